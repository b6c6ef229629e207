"""Themes: k-means clusters of one question's ideas, labelled with keywords.

Pure numpy and scikit-learn, no Flask. Clustering suggests; a person reads the themes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ideation.similarity.phrases import stop_words, words_of
from ideation.similarity.settings import (
    THEME_DIVISOR,
    THEME_MIN_IDEAS,
    THEMES_MAX,
    THEMES_MIN,
)
from ideation.similarity.vectors import normalise, numeric_threads


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
    with numeric_threads():
        labels = KMeans(k, n_init=3, random_state=seed).fit_predict(vectors)
    sizes = np.bincount(labels, minlength=k)
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(k)
    return rank[labels]


def _terms(text: str) -> list[str]:
    """Words and two-word phrases, without stop words (no phrase across one)."""
    stop = stop_words()
    words = [
        w if len(w) > 1 and w not in stop and not w.isdigit() else None
        for w in words_of(text)
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
    """One theme: its number, size, keywords and member ids."""

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
