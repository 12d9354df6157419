"""French tokenisation, stop words and lemmas: what a text is compared on."""

from ruche.analysis.engine.text_french import features, is_stop_word, lemmatize, words


def _lemmas(text):
    return [word.lemma for word in words(text)]


def test_elided_articles_are_split_off_and_dropped():
    """ "l'école", "d'élèves", "qu'on" keep the noun and drop the elided article or pronoun."""
    assert _lemmas("L'école d'élèves qu’on aime") == ["école", "élève", "aimer"]


def test_il_faut_and_proposal_phrasing_carry_no_theme():
    """ "Il faut", "mettre en place", "favoriser", "plus" are dropped: every proposal has them."""
    assert _lemmas("Il faut mettre en place plus de pistes cyclables") == ["piste", "cyclable"]
    assert _lemmas("Il faudrait favoriser davantage le télétravail") == ["télétravail"]
    assert _lemmas("Nous devrions tout faire") == []


def test_grammar_words_numbers_and_single_letters_are_dropped():
    """Articles, pronouns, prepositions, numbers and single letters are not content words."""
    assert _lemmas("Les 3 écoles de la ville et leurs 25 classes, à 8 h") == [
        "école",
        "ville",
        "classe",
    ]


def test_inflections_share_one_lemma():
    """Plural, feminine and conjugated forms compare equal through their lemma."""
    assert lemmatize("hôpitaux") == lemmatize("hôpital") == "hôpital"
    assert lemmatize("cyclables") == "cyclable"
    assert lemmatize("soignantes") == lemmatize("soignant")
    assert lemmatize("pourrions") == "pouvoir"


def test_case_keeps_proper_nouns_apart():
    """ "Paris" the city stays "paris", while the common noun "paris" (bets) becomes "pari"."""
    assert _lemmas("Des jardins à Paris") == ["jardin", "paris"]
    assert lemmatize("paris") == "pari"


def test_stop_words_are_checked_on_lemma_and_written_form():
    """A stop word is recognised whatever its inflection or case."""
    assert is_stop_word("Faut") and is_stop_word("fallait") and is_stop_word("pourrions")
    assert not is_stop_word("vélo") and not is_stop_word("école")


def test_hyphenated_words_and_alphanumerics_stay_whole():
    """ "centre-ville" and "5G" are single words; the surface keeps what was written."""
    found = words("Interdire la 5G au centre-ville")
    assert [(w.lemma, w.surface) for w in found] == [("5g", "5G"), ("centre-ville", "centre-ville")]


def test_bigrams_join_neighbours_and_quote_the_written_phrase():
    """Bigrams join content words at most one stop word apart, keyed by lemmas, shown as written."""
    pairs = dict(features("Il faut des pistes cyclables et des transports en commun à Lyon"))
    assert pairs["piste cyclable"] == "pistes cyclables"
    assert pairs["transport commun"] == "transports en commun"
    assert "cyclable transport" not in pairs  # two stop words apart: not a phrase


def test_no_bigram_across_punctuation():
    """A comma or full stop ends a phrase: no bigram spans it."""
    keys = [key for key, _ in features("Des vélos, des écoles. Hôpitaux")]
    assert keys == ["vélo", "école", "hôpital"]


def test_sentence_initial_capital_is_not_kept_in_the_written_form():
    """ "Planter des arbres" shows "planter", but a proper noun keeps its capital."""
    found = {w.lemma: w.surface for w in words("Planter des arbres. Europe unie")}
    assert found["planter"] == "planter"
    assert found["europe"] == "Europe"


def test_english_prompts_are_dropped():
    """Civocracy's English prompt "I have an idea!" / "We should" adds no content word."""
    assert _lemmas("I have an idea ! We should planter des arbres") == ["planter", "arbre"]
