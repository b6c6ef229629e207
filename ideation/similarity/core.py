"""Similarity, duplicate groups and themes: pure numpy / scikit-learn, no Flask.

Vectors are float32 rows, L2-normalised. All ideas on one question share its topic, so
the pipeline centres them on the question's mean vector before comparing: what is left
is what tells one idea from another. The defaults below were tuned on ArgKP train (see
bench/similarity_quality.py and README); the app's configuration may override them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

# Centring: subtract CENTRE_WEIGHT * n / (n + CENTRE_PRIOR) times the mean of n vectors,
# so a question with a handful of ideas is barely centred (their mean is mostly
# themselves) and one with hundreds is centred fully. Weight 1 was best on ArgKP train
# (stock model: top-1 0.54 -> 0.59); priors 0 and 10 tie there, and 10 spares small
# questions.
CENTRE_WEIGHT = 1.0
CENTRE_PRIOR = 10.0
# Pair score = (1 - LEXICAL_WEIGHT) * centred cosine + LEXICAL_WEIGHT * trigram.
# Off: on train it gained at most 0.01 top-1 for the stock model, at a cost in STS-B.
LEXICAL_WEIGHT = 0.0
# Two ideas whose score reaches this are offered as near-duplicates: the best ARI on
# ArgKP train among thresholds whose grouped pairs share a key point 90 % of the time
# (0.1 has the best ARI overall, but lumps whole key points: ~15 ideas, 73 % right).
DUPLICATE_THRESHOLD = 0.35
DUPLICATE_LINKAGE = "average"  # single | average | complete, within each candidate set
# Themes: k = clip(round(sqrt(n) / THEME_DIVISOR), THEMES_MIN, THEMES_MAX); 3 had the
# best ARI on ArgKP train among divisors that give 1,000 ideas 10-25 themes (11).
THEME_DIVISOR = 3.0
THEMES_MIN = 2
THEMES_MAX = 25
THEME_MIN_IDEAS = 6  # fewer ideas than this make one theme
# Each idea (and the text a citizen types) is embedded after its question's title
# (in_context). ArgKP dev top-1 of the shipped model, centred: 0.735 bare, 0.753 so
# (bench/similarity_quality.py). Off: texts are embedded bare.
QUESTION_CONTEXT = True
# An idea's vector: title and description embedded apart, then
# normalise(title + DESCRIPTION_WEIGHT * description). Not tuned (ArgKP has no titles).
DESCRIPTION_WEIGHT = 0.5

_BLOCK = 4096  # rows per block when all pairs of a large matrix are compared
# BLAS / OpenMP threads for k-means and all-pairs products. One: a web or job worker
# shares 2 cores with others, and oversubscribed threads that spin waiting for each
# other made 10k-idea themes 18 times slower (14.6 s against 0.8 s, measured).
NUMERIC_THREADS = 1


@dataclass(frozen=True)
class Settings:
    """The knobs above, as one value; the app's configuration may override each."""

    centre_weight: float = CENTRE_WEIGHT
    centre_prior: float = CENTRE_PRIOR
    lexical_weight: float = LEXICAL_WEIGHT
    duplicate_threshold: float = DUPLICATE_THRESHOLD
    duplicate_linkage: str = DUPLICATE_LINKAGE
    theme_divisor: float = THEME_DIVISOR
    themes_min: int = THEMES_MIN
    themes_max: int = THEMES_MAX
    description_weight: float = DESCRIPTION_WEIGHT
    question_context: bool = QUESTION_CONTEXT

    @classmethod
    def from_mapping(cls, config) -> Settings:
        """Settings from a mapping such as app.config, keyed like the module's names."""
        values = {}
        for name, f in cls.__dataclass_fields__.items():
            key = name.upper()
            if config.get(key) is not None:
                kind = type(f.default)
                values[name] = kind(config[key])
        return cls(**values)


def _threads():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=NUMERIC_THREADS)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def centring_mean(
    vectors: np.ndarray, weight: float = CENTRE_WEIGHT, prior: float = CENTRE_PRIOR
) -> np.ndarray:
    """The vector to subtract from a question's ideas: their mean, shrunk when few."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    if n == 0 or weight == 0:
        return np.zeros(vectors.shape[-1], dtype=np.float32)
    return (weight * n / (n + prior)) * vectors.mean(axis=0)


def centre(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Vectors minus `mean`, renormalised."""
    return normalise(np.asarray(vectors, dtype=np.float32) - mean)


def centre_question(
    vectors: np.ndarray, weight: float = CENTRE_WEIGHT, prior: float = CENTRE_PRIOR
) -> np.ndarray:
    """One question's idea vectors centred on their (shrunk) mean, as compared."""
    return centre(vectors, centring_mean(vectors, weight, prior))


def in_context(context: str, text: str) -> str:
    """`text` as it is embedded: after the question it answers, when there is one.

    The model then reads "Should we ban cars downtown? More bike lanes" rather than a
    bare "More bike lanes": ideas that answer one question in different words come
    closer (ArgKP dev top-1 0.735 -> 0.753 with the shipped model), and centring
    takes the shared question back out.
    """
    context, text = (context or "").strip(), (text or "").strip()
    if not context or not text:
        return text
    separator = " " if context[-1] in ".?!:;" else ". "
    return context + separator + text


def in_contexts(contexts: list[str] | None, texts: list[str]) -> list[str]:
    """in_context for each text and its own context; the texts as they are when
    `contexts` is None."""
    if contexts is None:
        return list(texts)
    return [in_context(c, t) for c, t in zip(contexts, texts, strict=True)]


def combine_title_description(
    titles: np.ndarray, descriptions: np.ndarray, weight: float = DESCRIPTION_WEIGHT
) -> np.ndarray:
    """One vector per idea from its title and description vectors, embedded apart."""
    return normalise(np.asarray(titles) + weight * np.asarray(descriptions))


def top_k(
    query: np.ndarray, matrix: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosines of the k rows of `matrix` nearest to `query`, best first."""
    scores = np.asarray(matrix, dtype=np.float32) @ np.asarray(query, dtype=np.float32)
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if k < len(scores):
        best = np.argpartition(-scores, k - 1)[:k]
    else:
        best = np.arange(len(scores))
    best = best[np.argsort(-scores[best], kind="stable")]
    return best, scores[best]


def similar_pairs(
    vectors: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs i < j with cosine >= threshold: (i, j, score) arrays, blockwise."""
    vectors = np.asarray(vectors, dtype=np.float32)
    rows, cols, scores = [], [], []
    for start in range(0, len(vectors), _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        i, j = np.nonzero(block >= threshold)
        i = i + start
        keep = i < j
        rows.append(i[keep])
        cols.append(j[keep])
        scores.append(block[i[keep] - start, j[keep]])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)


# -- lexical ---------------------------------------------------------------------------

_ALNUM = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: of each lower-cased word padded "  word "."""
    grams = set()
    for word in _ALNUM.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """PostgreSQL pg_trgm similarity(a, b): shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    union = len(ta | tb)
    return len(ta & tb) / union if union else 0.0


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shared_phrases(text_a: str, text_b: str, max_phrases: int = 5) -> list[str]:
    """The longest word sequences two texts share, stop words only at no edge."""
    stop = _stop_words()
    a, b = _words(text_a), _words(text_b)
    used_a, used_b = [False] * len(a), [False] * len(b)
    phrases: list[str] = []
    # Every common run (length, start in a, start in b), then the longest first.
    runs = []
    previous = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                current[j] = previous[j - 1] + 1
                runs.append((current[j], i - current[j], j - current[j]))
        previous = current
    runs.sort(key=lambda run: (-run[0], run[1], run[2]))
    for length, i, j in runs:
        if any(used_a[i : i + length]) or any(used_b[j : j + length]):
            continue
        words = a[i : i + length]
        start, end = 0, len(words)
        while start < end and words[start] in stop:
            start += 1
        while end > start and words[end - 1] in stop:
            end -= 1
        if start == end:
            continue
        # Only a maximal run is taken, so its sub-runs never come back as phrases.
        used_a[i : i + length] = [True] * length
        used_b[j : j + length] = [True] * length
        phrase = " ".join(words[start:end])
        if phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == max_phrases:
            break
    return phrases


# -- pair scores -----------------------------------------------------------------------


def score_vectors(
    a: np.ndarray, b: np.ndarray, mean: np.ndarray | None = None
) -> np.ndarray:
    """Cosine of each row of `a` with the same row of `b`, after centring on `mean`."""
    if mean is not None:
        a, b = centre(a, mean), centre(b, mean)
    return np.einsum("ij,ij->i", normalise(a), normalise(b))


def blend(
    semantic: np.ndarray, lexical: np.ndarray, weight: float = LEXICAL_WEIGHT
) -> np.ndarray:
    """Semantic scores mixed with lexical (trigram) ones."""
    return (1 - weight) * np.asarray(semantic) + weight * np.asarray(lexical)


def score_pairs(
    a_texts: list[str],
    b_texts: list[str],
    embedder,
    groups: list | None = None,
    centre_weight: float = CENTRE_WEIGHT,
    centre_prior: float = CENTRE_PRIOR,
    lexical_weight: float = LEXICAL_WEIGHT,
    contexts: list[str] | None = None,
) -> np.ndarray:
    """The pipeline's score for each pair (a_texts[i], b_texts[i]).

    Both texts of pair i are embedded in contexts[i] (the question they answer), when
    given. Each group (all rows when `groups` is None) is centred on the mean of its
    distinct texts, as the ideas of one question are.
    """
    if len(a_texts) != len(b_texts):
        raise ValueError("a_texts and b_texts differ in length")
    n = len(a_texts)
    groups = list(groups) if groups is not None else [None] * n
    lexical_a, lexical_b = a_texts, b_texts
    a_texts, b_texts = in_contexts(contexts, a_texts), in_contexts(contexts, b_texts)
    unique = list(dict.fromkeys([*a_texts, *b_texts]))
    index = {text: i for i, text in enumerate(unique)}
    vectors = embedder.embed(unique)
    scores = np.zeros(n, dtype=np.float32)
    rows_of: dict = {}
    for i, group in enumerate(groups):
        rows_of.setdefault(group, []).append(i)
    for rows in rows_of.values():
        ia = np.array([index[a_texts[i]] for i in rows], dtype=np.int64)
        ib = np.array([index[b_texts[i]] for i in rows], dtype=np.int64)
        members = np.unique(np.concatenate([ia, ib]))
        mean = centring_mean(vectors[members], centre_weight, centre_prior)
        scores[rows] = score_vectors(vectors[ia], vectors[ib], mean)
    if lexical_weight:
        lexical = [
            trigram_similarity(a, b) for a, b in zip(lexical_a, lexical_b, strict=True)
        ]
        scores = blend(scores, np.array(lexical), lexical_weight).astype(np.float32)
    return scores


# -- duplicate groups ------------------------------------------------------------------


@dataclass
class DuplicatePair:
    a: object
    b: object
    similarity: float
    shared: list[str] = field(default_factory=list)


@dataclass
class DuplicateGroup:
    ids: list
    pairs: list[DuplicatePair]


def _split_component(
    vectors: np.ndarray, members: np.ndarray, threshold: float, linkage: str
) -> list[np.ndarray]:
    if linkage == "single" or len(members) <= 2:
        return [members]
    from scipy.cluster.hierarchy import fcluster
    from scipy.cluster.hierarchy import linkage as hierarchy

    sub = vectors[members]
    distances = np.clip(1 - sub @ sub.T, 0, 2)
    condensed = distances[np.triu_indices(len(members), 1)].astype(np.float64)
    tree = hierarchy(condensed, method=linkage)
    labels = fcluster(tree, t=1 - threshold, criterion="distance")
    return [members[labels == label] for label in np.unique(labels)]


def duplicate_labels(
    vectors: np.ndarray,
    threshold: float = DUPLICATE_THRESHOLD,
    linkage: str = DUPLICATE_LINKAGE,
) -> np.ndarray:
    """A group number per vector, 0, 1, ... by first row: equal means near-duplicate."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    vectors = normalise(vectors)
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    with _threads():
        i, j, _ = similar_pairs(vectors, threshold)
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    for component in np.unique(components):
        members = np.flatnonzero(components == component)
        for part in _split_component(vectors, members, threshold, linkage):
            labels[part] = next_label
            next_label += 1
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def duplicate_groups(
    vectors: np.ndarray,
    ids: list,
    threshold: float = DUPLICATE_THRESHOLD,
    texts: list[str] | None = None,
    linkage: str = DUPLICATE_LINKAGE,
) -> list[DuplicateGroup]:
    """Groups of two or more near-duplicates, each with its pairs above the threshold.

    Pairs come best first, with the phrases the two texts share when `texts` is given;
    groups come largest first.
    """
    vectors = normalise(vectors)
    labels = duplicate_labels(vectors, threshold, linkage)
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        sims = vectors[members] @ vectors[members].T
        pairs = []
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if sims[x, y] >= threshold:
                    a, b = members[x], members[y]
                    shared = shared_phrases(texts[a], texts[b]) if texts else []
                    pairs.append(
                        DuplicatePair(ids[a], ids[b], float(sims[x, y]), shared)
                    )
        pairs.sort(key=lambda p: -p.similarity)
        groups.append(DuplicateGroup([ids[m] for m in members], pairs))
    groups.sort(key=lambda g: -len(g.ids))
    return groups


# -- themes ----------------------------------------------------------------------------


def theme_count(
    n: int,
    divisor: float = THEME_DIVISOR,
    low: int = THEMES_MIN,
    high: int = THEMES_MAX,
) -> int:
    """How many themes n ideas make: about sqrt(n) / divisor, within [low, high]."""
    if n < THEME_MIN_IDEAS:
        return 1 if n else 0
    return int(np.clip(round(np.sqrt(n) / divisor), low, min(high, n)))


def cluster_themes(
    vectors: np.ndarray, n_themes: int | None = None, seed: int = 0
) -> np.ndarray:
    """A theme number per vector (0, 1, ... largest theme first), by k-means.

    Pass the question's centred vectors (`centre_question`), as for duplicates.
    """
    from sklearn.cluster import KMeans

    vectors = normalise(vectors)
    n = len(vectors)
    k = theme_count(n) if n_themes is None else min(n_themes, n)
    if k <= 1:
        return np.zeros(n, dtype=np.int64)
    # Unit vectors: Euclidean k-means ranks like cosine (spherical k-means, nearly).
    with _threads():
        labels = KMeans(k, n_init=3, random_state=seed).fit_predict(vectors)
    sizes = np.bincount(labels, minlength=k)
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(k)
    return rank[labels]


def _terms(text: str) -> list[str]:
    """Words and two-word phrases, without stop words (no phrase across one)."""
    stop = _stop_words()
    words = [
        w if len(w) > 1 and w not in stop and not w.isdigit() else None
        for w in _words(text)
    ]
    terms = [w for w in words if w]
    terms += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a and b]
    return terms


def theme_labels(texts: list[str], labels, top_n: int = 5) -> dict[int, list[str]]:
    """Distinctive keywords per theme by class-based TF-IDF (as in BERTopic)."""
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(labels)
    themes = [int(t) for t in np.unique(labels)]
    documents = [
        " \n ".join(t for t, lab in zip(texts, labels, strict=True) if lab == theme)
        for theme in themes
    ]
    try:
        vectorizer = CountVectorizer(analyzer=_terms)
        counts = vectorizer.fit_transform(documents).toarray().astype(np.float64)
    except ValueError:  # only stop words, or no text at all
        return {theme: [] for theme in themes}
    terms = [str(t) for t in vectorizer.get_feature_names_out()]
    column = {term: i for i, term in enumerate(terms)}
    # c-TF-IDF: a term's share of its class x log(1 + mean class size / its frequency).
    words_per_class = counts.sum(axis=1).mean()
    idf = np.log(1 + words_per_class / np.maximum(counts.sum(axis=0), 1))
    ctfidf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) * idf
    return {
        theme: _pick_keywords(ctfidf[row], counts[row], terms, column, top_n)
        for row, theme in enumerate(themes)
    }


def _pick_keywords(scores, counts, terms, column, top_n) -> list[str]:
    chosen: list[str] = []
    for i in np.argsort(-scores, kind="stable"):
        if scores[i] <= 0 or len(chosen) == top_n:
            break
        term = terms[i]
        words = term.split()
        covered = {w for c in chosen for w in c.split()}
        if all(w in covered for w in words):
            continue  # "uniform" adds nothing after "school uniform"
        if len(words) > 1:
            # A phrase replaces its words when it accounts for most of their uses.
            inside = [c for c in chosen if c in words]
            if any(counts[i] < 0.5 * counts[column[c]] for c in inside):
                continue
            chosen = [c for c in chosen if c not in inside]
        chosen.append(term)
    return chosen


@dataclass
class Theme:
    number: int
    size: int
    keywords: list[str]
    members: list


def describe_themes(
    texts: list[str], labels, ids: list | None = None, top_n: int = 5
) -> list[Theme]:
    """Each theme with its size, keywords and member ids, largest first."""
    labels = np.asarray(labels)
    ids = list(range(len(texts))) if ids is None else list(ids)
    keywords = theme_labels(texts, labels, top_n)
    themes = [
        Theme(
            t,
            int((labels == t).sum()),
            keywords[t],
            [ids[i] for i in np.flatnonzero(labels == t)],
        )
        for t in keywords
    ]
    themes.sort(key=lambda theme: (-theme.size, theme.number))
    return themes
