"""French stop words for theme detection: our own list, checked against lemmas and surface forms.

Three groups, kept apart so the reason for each word stays visible:

- FUNCTION_WORDS: grammar (articles, pronouns, prepositions, conjunctions, auxiliaries,
  frequent adverbs). They say nothing about what a text is about.
- PROPOSAL_WORDS: words every participatory proposal uses whatever its subject ("il faut",
  "mettre en place", "favoriser", "davantage"…). On Make.org every text opens with "Il faut";
  left in, these words would be the label of every theme.
- ENGLISH_WORDS: the English prompts some platforms put before the French text.

Entries are lower-case lemmas as simplemma gives them, plus the surface forms it does not
reduce (elided "qu", "jusqu", "aujourd"…), since a token is dropped when either its surface
form or its lemma is listed.
"""


def _entries(block: str) -> frozenset[str]:
    return frozenset(block.split())


FUNCTION_WORDS = _entries(
    """
    a à afin ai aie aient aies ait alors as au aucun aucune auquel aussi autant autre autres
    aux auxquelles auxquels avaient avais avait avant avec avez aviez avions avoir avons ayant
    ayez ayons

    beaucoup bien bon

    c ça car ce ceci cela celle celles celui cependant certain certaine certaines certains ces
    cet cette ceux chacun chacune chaque chez ci combien comme comment contre

    d dans de déjà depuis des desquelles desquels dessous dessus deux devant donc dont du duquel
    durant dès

    e elle elles en encore entre es est et étaient étais était étant été êtes étiez étions
    être eu eue eues eûmes eurent eus eusse eussent eusses eussiez eussions eut eût eûtes eux

    fois furent fus fusse fussent fusses fussiez fussions fut fût fûtes

    hors hui

    ici il ils

    j jamais je jusqu jusque

    l la là laquelle le lequel les lesquelles lesquels leur leurs lors lorsqu lorsque lui

    m ma mais me même mêmes mes moi moins mon

    n ne ni non nos notre nôtre nous

    on ont or ou où oui

    par parce parmi pas pendant peu peut plupart pour pourquoi presque puis puisqu puisque

    qu quand quant que quel quelle quelles quels quelqu quelque quelques qui quoi quoiqu

    s sa sans se selon sera serai seraient serais serait seras serez seriez serions serons
    seront ses si sien sienne soi soient sois soit sommes son sont sous soyez soyons suis sur

    t ta tandis tant te tel telle telles tels tes toi ton toujours tous tout toute toutes
    très trop tu

    un une unes uns

    va vers via voici voilà vos votre vôtre vous

    y

    aujourd etc ex afin ainsi lequel celles-ci celui-ci ceux-ci cela-même peut-être
    c'est-à-dire
    """
)

PROPOSAL_WORDS = _entries(
    """
    falloir faut devoir pouvoir vouloir aller faire mettre être avoir
    plus davantage mieux vraiment notamment exemple également enfin surtout ensemble
    tout toujours trop vrai grand petit nouveau
    permettre favoriser développer créer encourager promouvoir proposer donner rendre prendre
    améliorer renforcer augmenter diminuer réduire limiter arrêter cesser stopper éviter
    possible besoin chose gens idée cas niveau partie manière façon moyen
    interdire supprimer imposer obliger instaurer inciter soutenir valoriser repenser revoir
    remettre privilégier intégrer utiliser lutter aider accompagner assurer garantir
    an année fois
    """
)

# "I have an idea!", "We should…" (Civocracy's English interface).
ENGLISH_WORDS = _entries(
    """
    a an and are as at be by can could do for from has have i idea if in is it need of on
    or our should so that the this to we will with would you
    """
)

STOP_WORDS = FUNCTION_WORDS | PROPOSAL_WORDS | ENGLISH_WORDS
