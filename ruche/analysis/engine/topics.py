"""Themes of French free text: which texts speak of the same thing, and what that thing is.

Pipeline, and why each step:

1. Content lemmas and bigrams per text (text_french): inflections and grammar words would
   otherwise split or merge themes for reasons unrelated to meaning.
2. TF-IDF with sublinear tf, L2-normalised: words shared by every text weigh little, a word
   repeated in one long text does not swamp it.
3. LSA (truncated SVD to 30 dimensions), normalised again: short texts rarely share exact
   words; the reduction lets words that occur together pull texts together. 30 beat 50, 75
   and 100 against the human themes of both Civocracy sets.
   When a spaCy French model is installed (text_vectors), each text's TF-IDF-weighted mean
   word vector, centred and reduced to 30 dimensions, is joined to it (35 % of the length):
   those vectors know "vélo" and "cycliste" are near even when no text says both. NMI on
   Civocracy proposals 0.14 → 0.19; replies unchanged (benchmarks/bench_topics.py).
4. k-means on the unit vectors (spherical k-means in effect). Without k: the best cosine
   silhouette over 2..min(20, √n), passing over any k that leaves a theme under 3 texts.
   On real consultations the silhouette keeps rising with k (there are no sharp themes,
   only finer and finer ones), so it then picks the top of the range: √n keeps themes
   readable and larger than their number.
5. Labels from class-based TF-IDF (terms frequent in the theme, rare elsewhere), shown as
   the words people wrote; representatives are the members closest to the theme's centre.
6. Near-duplicates: texts whose unigram TF-IDF vectors have cosine ≥ a threshold, grouped by
   connected components, found through sparse products in blocks (never an n × n matrix).

Inputs are plain (id, text) records; outputs are dataclasses; the same seed gives the same
result. No Django here: the engine is benchmarked and tested on its own.
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from ruche.analysis.engine import text_french, text_vectors


@dataclass(frozen=True)
class TopicOptions:
    """Tuning knobs; the defaults are the ones measured in benchmarks/bench_topics.py."""

    # k is chosen in k_min..min(k_max, √n): beyond √n themes average fewer texts than
    # there are themes, too fine to read.
    k_min: int = 2
    k_max: int = 20
    # 30 dimensions beat 50, 75 and 100 on both Civocracy sets (NMI, 10 seeds).
    lsa_dimensions: int = 30
    # A spaCy model package whose static vectors complement LSA; None: LSA alone.
    word_vectors: str | None = text_vectors.DEFAULT_MODEL
    # Share of the squared length given to word vectors in the joined text vector.
    word_vector_weight: float = 0.35
    word_vector_dimensions: int = 30
    # Texts used to choose k on large inputs: silhouette is quadratic in the sample.
    k_choice_sample: int = 3000
    k_choice_restarts: int = 3
    min_theme_size: int = 3
    # k-means restarts, fewer on large inputs: there one run varies little, and ten would
    # cost 2 s of the 15 s budget on 18,690 texts.
    kmeans_restarts: int = 10
    kmeans_restarts_large: int = 3
    large_input: int = 5000
    keywords: int = 8
    label_words: int = 3
    representatives: int = 3
    near_duplicate_cosine: float = 0.9


@dataclass(frozen=True)
class Topic:
    """One theme: its label, keywords, member ids (input order) and representative ids."""

    label: str
    keywords: tuple[str, ...]
    members: tuple[Hashable, ...]
    representatives: tuple[Hashable, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class TopicAnalysis:
    """Themes, largest first; ids in no theme; groups of ids that say the same thing."""

    topics: tuple[Topic, ...]
    unassigned: tuple[Hashable, ...]
    near_duplicates: tuple[tuple[Hashable, ...], ...]
    k_chosen: bool  # True when the number of themes was chosen from the data
    silhouettes: dict[int, float] = field(default_factory=dict)  # per k tried
    representation: str = ""  # what texts were compared on, e.g. "lsa30+fr_core_news_md"
    seconds: float = 0.0


def find_topics(
    records: Iterable[tuple[Hashable, str]],
    k: int | None = None,
    seed: int = 0,
    options: TopicOptions | None = None,
) -> TopicAnalysis:
    """Group texts into themes: k of them if given, else a number chosen from the data.

    Blank texts and texts with no content word (only stop words, numbers, punctuation) go
    to `unassigned`: nothing in them says which theme they belong to.
    """
    started = time.perf_counter()
    # One thread: on small dense blocks OpenMP's k-means threads spend more time waiting on
    # each other than computing (measured 18x slower on 2 cores); one thread is also
    # bit-for-bit repeatable.
    with threadpool_limits(limits=1):
        analysis = _find_topics(list(records), k, seed, options or TopicOptions())
    return replace(analysis, seconds=time.perf_counter() - started)


def _find_topics(
    records: list[tuple[Hashable, str]], k: int | None, seed: int, options: TopicOptions
) -> TopicAnalysis:
    ids = [record_id for record_id, _ in records]
    feats = [text_french.features(text or "") for _, text in records]
    keys = [[key for key, _ in doc] for doc in feats]

    placed = [i for i, doc in enumerate(keys) if doc]
    unassigned = tuple(ids[i] for i, doc in enumerate(keys) if not doc)
    near_duplicates = _near_duplicates(
        [[key for key in keys[i] if " " not in key] for i in placed],
        [ids[i] for i in placed],
        options.near_duplicate_cosine,
    )
    if not placed:
        return TopicAnalysis((), unassigned, near_duplicates, k is None)

    tfidf, vocabulary = _tfidf([keys[i] for i in placed])
    surfaces = _surface_forms([feats[i] for i in placed])
    vectors, representation = _text_vectors(tfidf, vocabulary, surfaces, options, seed)
    silhouettes: dict[int, float] = {}
    chosen = k is None
    if chosen:
        k, silhouettes = _choose_k(vectors, options, seed)
    k = max(1, min(k, len(placed)))
    restarts = options.kmeans_restarts
    if len(placed) > options.large_input:
        restarts = options.kmeans_restarts_large
    assignment, centres = _cluster(vectors, k, restarts, seed)

    keywords = _keywords(tfidf, assignment, k, vocabulary, surfaces, options.keywords)
    topics = []
    for cluster in range(k):
        rows = np.flatnonzero(assignment == cluster)
        if rows.size == 0:
            continue
        closeness = vectors[rows] @ centres[cluster]
        closest = rows[np.lexsort((rows, -closeness))][: options.representatives]
        words = keywords[cluster]
        topics.append(
            Topic(
                label=", ".join(words[: options.label_words]),
                keywords=tuple(words),
                members=tuple(ids[placed[r]] for r in rows),
                representatives=tuple(ids[placed[r]] for r in closest),
            )
        )
    topics.sort(key=lambda t: -t.size)  # stable: equal sizes keep cluster order
    return TopicAnalysis(
        topics=tuple(topics),
        unassigned=unassigned,
        near_duplicates=near_duplicates,
        k_chosen=chosen,
        silhouettes=silhouettes,
        representation=representation,
    )


def _identity(doc: list[str]) -> list[str]:
    return doc


def _tfidf(docs: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF of feature lists, rows L2-normalised.

    Every feature is kept, even one seen once: cutting rare words would leave texts such as
    "interdire les biocarburants" empty, and no theme could be given to them.
    """
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float64)
    return vectorizer.fit_transform(docs).tocsr(), vectorizer.get_feature_names_out()


def _text_vectors(
    tfidf: sparse.csr_matrix,
    vocabulary: np.ndarray,
    surfaces: dict[str, str],
    options: TopicOptions,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Unit vectors to cluster: LSA, joined with mean word vectors when a model is there."""
    lsa = _lsa(tfidf, options.lsa_dimensions, seed)
    name = f"lsa{lsa.shape[1]}"
    vectors = text_vectors.load(options.word_vectors) if options.word_vectors else None
    if vectors is None or options.word_vector_weight <= 0 or tfidf.shape[0] < 2:
        return lsa, name
    unigrams = np.flatnonzero([" " not in term for term in vocabulary])
    lexicon = text_vectors.lexicon_matrix(vectors, [str(vocabulary[j]) for j in unigrams], surfaces)
    # Each text: its words' vectors weighted by TF-IDF. Centring removes what all texts
    # share (being French proposals), which would otherwise dominate every cosine.
    embedded = np.asarray(tfidf[:, unigrams] @ lexicon)
    has_vector = np.linalg.norm(embedded, axis=1) > 0
    embedded = normalize(embedded)
    embedded[has_vector] -= embedded[has_vector].mean(axis=0)
    # Principal axes only: 300 dimensions would make k-means ten times slower, and the
    # minor axes are mostly noise for themes.
    dimensions = _reduced_dimensions(options.word_vector_dimensions, *embedded.shape)
    if dimensions >= 2:
        embedded = TruncatedSVD(dimensions, random_state=seed).fit_transform(embedded)
    embedded = normalize(embedded)
    weight = options.word_vector_weight
    joined = np.hstack([np.sqrt(weight) * embedded, np.sqrt(1 - weight) * lsa])
    return normalize(joined), f"{name}+{vectors.name}"


def _reduced_dimensions(wanted: int, n_docs: int, n_columns: int) -> int:
    """At most a third of the texts: near full rank, SVD only rotates the space and stops
    merging co-occurring words (18 toy texts in 17 dimensions split a clear theme)."""
    return min(wanted, n_docs // 3, n_columns - 1)


def _lsa(tfidf: sparse.csr_matrix, dimensions: int, seed: int) -> np.ndarray:
    dimensions = _reduced_dimensions(dimensions, *tfidf.shape)
    if dimensions < 2:
        return normalize(tfidf.toarray())
    svd = TruncatedSVD(n_components=dimensions, random_state=seed)
    return normalize(svd.fit_transform(tfidf))


def _cluster(
    vectors: np.ndarray, k: int, restarts: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """k-means on unit vectors; centres renormalised so closeness is a cosine."""
    if k == 1:
        return np.zeros(len(vectors), dtype=int), normalize(vectors.mean(axis=0, keepdims=True))
    model = KMeans(n_clusters=k, n_init=restarts, random_state=seed).fit(vectors)
    return model.labels_, normalize(model.cluster_centers_)


def _choose_k(
    vectors: np.ndarray, options: TopicOptions, seed: int
) -> tuple[int, dict[int, float]]:
    """The k with the best cosine silhouette, tried on a sample when the input is large.

    A k that leaves a theme with fewer than `min_theme_size` texts is passed over while
    another is possible: silhouette rewards splitting off a pair of near-identical texts,
    which is a near-duplicate group, not a theme.
    """
    n = len(vectors)
    k_max = min(options.k_max, math.isqrt(n), n - 1)
    k_min = max(2, min(options.k_min, k_max))
    if k_max < 2:
        return 1, {}
    rng = np.random.default_rng(seed)
    sample = vectors
    if n > options.k_choice_sample:
        sample = vectors[np.sort(rng.choice(n, options.k_choice_sample, replace=False))]
    distances = np.clip(1.0 - sample @ sample.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    scores, smallest = {}, {}
    for k in range(k_min, k_max + 1):
        labels, _ = _cluster(sample, k, options.k_choice_restarts, seed)
        sizes = np.bincount(labels, minlength=k)
        if np.count_nonzero(sizes) < 2:
            continue
        scores[k] = float(silhouette_score(distances, labels, metric="precomputed"))
        smallest[k] = int(sizes.min())
    if not scores:  # all texts alike
        return 1, {}
    sized = [k for k in scores if smallest[k] >= options.min_theme_size] or list(scores)
    best = max(sized, key=lambda k: (scores[k], -k))
    return best, scores


def _surface_forms(feats: list[list[tuple[str, str]]]) -> dict[str, str]:
    """How each feature is shown, always as people wrote it (real words, never stems).

    A word is shown as its lemma when someone wrote it so ("vélo", not "vélos"), else as its
    commonest form; a bigram as its commonest wording ("transports en commun"). Case comes
    from the text ("Europe"); ties go to alphabetical order.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in feats:
        for key, surface in doc:
            counts[key][surface] += 1
    shown = {}
    for key, forms in counts.items():
        as_lemma = {s: c for s, c in forms.items() if s.lower() == key and " " not in key}
        pool = as_lemma or forms
        shown[key] = min(pool, key=lambda s: (-pool[s], s))
    return shown


def _keywords(
    tfidf: sparse.csr_matrix,
    assignment: np.ndarray,
    k: int,
    vocabulary: np.ndarray,
    surfaces: dict[str, str],
    count: int,
) -> list[list[str]]:
    """Top class-based TF-IDF terms of each cluster, as written, without repeats.

    Weight of a term in a cluster = its share of the cluster's mass × log(1 + mean mass per
    cluster / its mass everywhere): frequent in the theme and rare elsewhere (BERTopic's
    c-TF-IDF). A bigram wins over its own words ("pistes cyclables" over "cyclables").
    """
    presence = tfidf.copy()
    presence.data[:] = 1.0
    membership = sparse.csr_matrix(
        (np.ones(len(assignment)), (assignment, np.arange(len(assignment)))),
        shape=(k, len(assignment)),
    )
    per_cluster = np.asarray((membership @ presence).todense())
    totals = per_cluster.sum(axis=0)
    mean_mass = per_cluster.sum() / k
    idf = np.log1p(mean_mass / np.maximum(totals, 1e-12))
    share = per_cluster / np.maximum(per_cluster.sum(axis=1, keepdims=True), 1e-12)
    fallback = share * idf
    weights = fallback.copy()
    # A word from a single text says nothing about a theme of several, unless no word of
    # the theme is shared by two of its texts (then a label of single-text words beats none).
    sizes = np.bincount(assignment, minlength=k)
    weights[per_cluster < np.minimum(2, sizes)[:, None]] = 0.0
    result = []
    for cluster in range(k):
        row = weights[cluster] if weights[cluster].max(initial=0.0) > 0 else fallback[cluster]
        order = np.lexsort((vocabulary, -row))
        chosen: list[str] = []
        for j in order:
            if row[j] <= 0 or len(chosen) >= count:
                break
            key = str(vocabulary[j])
            parts = key.split(" ")
            if len(parts) == 1 and any(key in c.split(" ") for c in chosen):
                continue
            if len(parts) == 2:
                chosen = [c for c in chosen if c not in parts]
            chosen.append(key)
        shown: list[str] = []
        for key in chosen:
            text = surfaces.get(key, key)
            if text.lower() not in {s.lower() for s in shown}:
                shown.append(text)
        result.append(shown)
    return result


def _near_duplicates(
    docs: list[list[str]], ids: Sequence[Hashable], threshold: float, block: int = 2000
) -> tuple[tuple[Hashable, ...], ...]:
    """Groups of texts whose unigram TF-IDF cosine reaches the threshold (connected components).

    Every word counts here, rare ones included: two texts that share their common words but
    differ in a rare one do not say the same thing.
    """
    if len(docs) < 2:
        return ()
    matrix = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(docs).tocsr()
    transposed = matrix.T.tocsc()
    pairs_i, pairs_j = [], []
    for start in range(0, matrix.shape[0], block):
        similarity = (matrix[start : start + block] @ transposed).tocoo()
        mask = (similarity.data >= threshold - 1e-9) & (similarity.row + start < similarity.col)
        pairs_i.append(similarity.row[mask] + start)
        pairs_j.append(similarity.col[mask])
    rows = np.concatenate(pairs_i)
    cols = np.concatenate(pairs_j)
    n = matrix.shape[0]
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in np.unique(np.concatenate([rows, cols])):
        groups[component[index]].append(int(index))
    ordered = sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])
    return tuple(tuple(ids[i] for i in group) for group in ordered)
