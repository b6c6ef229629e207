"""How well the similarity pipeline finds "the same idea, said differently".

    HF_HUB_OFFLINE=1 .venv/bin/python bench/similarity_quality.py [--data DIR]

Prints, side by side, the app's pipeline, what each of its steps adds, and the trigram
baseline (PostgreSQL pg_trgm similarity, as Decidim uses) on:

- STS Benchmark: Spearman correlation of the pair score with the human scores;
- ArgKP: top-1 accuracy of matching each argument (with exactly one matched key point)
  to the most similar key point of its topic and stance; and the adjusted Rand index of
  duplicate groups and of themes against the key-point clusters, per topic and stance,
  averaged over the topic-and-stance sides without weights.

Also: the share of pairs in duplicate groups that share a key point (their precision).
A topic is a question: its arguments and key points are centred together. Every
column's knobs were tuned on train by bench/tune_similarity.py. About a minute on 2
idle cores (two models embed the data); on a busy machine pass --threads 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import eval_data
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.stats import spearmanr
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(eval_data.REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import lexical

from ideation.similarity import embeddings
from ideation.similarity.grouping import duplicate_labels
from ideation.similarity.opposed import opposed
from ideation.similarity.settings import (
    CENTRE_PRIOR,
    DUPLICATE_THRESHOLD,
    THEME_DIVISOR,
    model_settings,
)
from ideation.similarity.themes import cluster_themes, theme_count
from ideation.similarity.vectors import (
    centre_question,
    centring_mean,
    in_context,
    normalise,
    score_vectors,
)


class CachedEmbedder(embeddings.Embedder):
    """Embeds each distinct text once per run (several columns share a model)."""

    def __init__(self, inner: embeddings.Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.stack([self._cache[t] for t in texts])


@dataclass(frozen=True)
class Column:
    """One way of scoring; embedder None is the trigram baseline."""

    title: str
    embedder: embeddings.Embedder | None
    centre_weight: float = 0.0
    centre_prior: float = CENTRE_PRIOR
    lexical_weight: float = 0.0
    context: bool = False  # texts embedded after their topic, as ideas after a question
    duplicate_threshold: float = DUPLICATE_THRESHOLD
    # Linkage of the trigram baseline's grouping; embedding columns group as the app
    # does (ideation.similarity.grouping: around a representative, never chaining).
    linkage: str = "average"
    theme_divisor: float = THEME_DIVISOR
    opposed_rule: bool = False  # ideation.similarity.opposed keeps pairs apart


# Tuned on ArgKP train by bench/tune_similarity.py (the pipeline's: its settings.py).
# (threshold, linkage) with the best ARI on train; the pipeline's threshold is the
# best ARI whose duplicate pairs are at least 90 % right on train (see README).
TRIGRAM_DUPLICATE = (0.2, "average")
STOCK_RAW_DUPLICATE = (0.55, "complete")
STOCK_CENTRED_DUPLICATE = (0.05, "average")
TUNED_RAW_DUPLICATE = (0.55, "average")


def pair_scores(column: Column, a: list[str], b: list[str]) -> np.ndarray:
    """The column's score for each pair."""
    if column.embedder is None:
        return np.array(
            [lexical.trigram_similarity(x, y) for x, y in zip(a, b, strict=True)]
        )
    return lexical.score_pairs(
        a,
        b,
        column.embedder,
        centre_weight=column.centre_weight,
        centre_prior=column.centre_prior,
        lexical_weight=column.lexical_weight,
    )


def stsb_spearman(column: Column, sts: eval_data.Stsb) -> float:
    """Spearman correlation of the column's scores with the human scores."""
    scores = pair_scores(column, sts.sentence1, sts.sentence2)
    return float(spearmanr(scores, sts.score).statistic)


def argkp_top1(column: Column, sides: list[eval_data.ArgkpSide]) -> float:
    """Share of single-match arguments whose best-scoring key point is the right one.

    As the app searches a question: the argument is the typed idea, the key points the
    stored ones, both centred on the mean of the question's ideas (all the topic's
    arguments) and embedded after the topic when the column says so.
    """
    hits = []
    for topic in dict.fromkeys(s.topic for s in sides):
        mine = [s for s in sides if s.topic == topic]
        if column.embedder is None:
            score = lexical.trigram_similarity
        else:
            score = _centred_scorer(column, topic, mine)
        for side in mine:
            for arg, kp_id in zip(side.arguments, side.kp_ids, strict=True):
                if kp_id:
                    scores = [score(arg, kp) for kp in side.key_points]
                    right = side.key_point_ids.index(kp_id)
                    hits.append(int(np.argmax(scores) == right))
    return float(np.mean(hits))


def _embed(column: Column, topic: str, texts: list[str]) -> np.ndarray:
    if column.context:
        texts = [in_context(topic, t) for t in texts]
    return column.embedder.embed(texts)


def _centred_scorer(column: Column, topic: str, sides: list[eval_data.ArgkpSide]):
    """score(argument, key point) within one topic, as the pipeline computes it."""
    arguments = [t for s in sides for t in s.arguments]
    key_points = [k for s in sides for k in s.key_points]
    texts = list(dict.fromkeys([*arguments, *key_points]))
    vectors = dict(zip(texts, _embed(column, topic, texts), strict=True))
    mean = centring_mean(
        np.stack([vectors[t] for t in arguments]),
        column.centre_weight,
        column.centre_prior,
    )
    return lambda a, b: float(
        score_vectors(vectors[a][None], vectors[b][None], mean)[0]
    )


def _single_match(side: eval_data.ArgkpSide) -> tuple[list[str], list[str]]:
    rows = [i for i, c in enumerate(side.cluster_ids) if c]
    return [side.arguments[i] for i in rows], [side.cluster_ids[i] for i in rows]


def topic_vectors(column: Column, sides: list[eval_data.ArgkpSide]) -> dict:
    """Each side's single-match arguments as the pipeline sees them.

    A topic's arguments, both stances and all matches, are one question's ideas: they
    are centred together.
    """
    vectors = {}
    for topic in dict.fromkeys(s.topic for s in sides):
        mine = [s for s in sides if s.topic == topic]
        raw = _embed(column, topic, [t for s in mine for t in s.arguments])
        centred = centre_question(raw, column.centre_weight, column.centre_prior)
        start = 0
        for side in mine:
            rows = [start + i for i, c in enumerate(side.cluster_ids) if c]
            vectors[side.topic, side.stance] = centred[rows]
            start += len(side.arguments)
    return vectors


_trigram_matrices: dict[tuple[str, ...], np.ndarray] = {}


def _trigram_matrix(texts: list[str]) -> np.ndarray:
    key = tuple(texts)
    if key not in _trigram_matrices:
        _trigram_matrices[key] = _compute_trigram_matrix(texts)
    return _trigram_matrices[key]


def _compute_trigram_matrix(texts: list[str]) -> np.ndarray:
    grams = [lexical.trigrams(t) for t in texts]
    n = len(texts)
    matrix = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            union = len(grams[i] | grams[j])
            matrix[i, j] = matrix[j, i] = (
                len(grams[i] & grams[j]) / union if union else 0
            )
    return matrix


def _tree(similarities: np.ndarray, method: str):
    distances = np.clip(1 - similarities, 0, None)
    return linkage(distances[np.triu_indices(len(distances), 1)], method=method)


def argkp_ari(
    column: Column,
    sides: list[eval_data.ArgkpSide],
    vectors: dict | None = None,
    duplicates: bool = True,
    themes: bool = True,
) -> tuple[float, float, float]:
    """Mean ARI over sides of duplicate groups and of themes against key-point clusters,
    and the share of pairs in duplicate groups that share a key point.

    What is not asked for (duplicates=False or themes=False) comes back as NaN.
    """
    if column.embedder is not None and vectors is None:
        vectors = topic_vectors(column, sides)
    dup_ari, theme_ari, right, pairs = [], [], 0, 0
    for side in sides:
        texts, truth = _single_match(side)
        if len(texts) < 2:
            continue
        if duplicates:
            labels = _duplicates(column, side, vectors)
            dup_ari.append(adjusted_rand_score(truth, labels))
            same_group = np.equal.outer(labels, labels)
            same_truth = np.equal.outer(np.asarray(truth), np.asarray(truth))
            upper = np.triu(same_group, 1)
            pairs += int(upper.sum())
            right += int((upper & same_truth).sum())
        if themes:
            theme_ari.append(adjusted_rand_score(truth, _themes(column, side, vectors)))
    mean = lambda values: float(np.mean(values)) if values else float("nan")  # noqa: E731
    precision = right / pairs if pairs else float("nan")
    return mean(dup_ari), mean(theme_ari), precision


def _duplicates(column: Column, side: eval_data.ArgkpSide, vectors) -> np.ndarray:
    if column.embedder is None:
        tree = _tree(_trigram_matrix(_single_match(side)[0]), column.linkage)
        return fcluster(tree, t=1 - column.duplicate_threshold, criterion="distance")
    v = vectors[side.topic, side.stance]
    return duplicate_labels(v, column.duplicate_threshold)


def _themes(column: Column, side: eval_data.ArgkpSide, vectors) -> np.ndarray:
    texts = _single_match(side)[0]
    k = theme_count(len(texts), column.theme_divisor)
    if column.embedder is None:
        tree = _tree(_trigram_matrix(texts), "average")
        return fcluster(tree, t=k, criterion="maxclust")
    return cluster_themes(vectors[side.topic, side.stance], k)


def whole_topics(
    column: Column, sides: list[eval_data.ArgkpSide], threshold: float
) -> tuple[int, float, int]:
    """Duplicate groups over whole topics, both stances together, as the duplicate
    scan groups a question's ideas: (pairs grouped among arguments with one key
    point, the share of them that share it, pairs of opposite stances grouped).
    """
    pairs = right = cross = 0
    for topic in dict.fromkeys(s.topic for s in sides):
        mine = [s for s in sides if s.topic == topic]
        texts = [t for s in mine for t in s.arguments]
        truth = np.array([c for s in mine for c in s.cluster_ids], dtype=object)
        stance = np.array([s.stance for s in mine for _ in s.arguments])
        if column.embedder is None:
            tree = _tree(_trigram_matrix(texts), column.linkage)
            labels = fcluster(tree, t=1 - threshold, criterion="distance")
        else:
            raw = _embed(column, topic, texts)
            centred = centre_question(raw, column.centre_weight, column.centre_prior)
            excluded = None
            if column.opposed_rule:

                def excluded(a: int, b: int, texts=texts) -> bool:
                    return opposed(texts[a], texts[b])

            labels = duplicate_labels(centred, threshold, excluded=excluded)
        upper = np.triu(np.equal.outer(labels, labels), 1)
        judged = truth != ""
        both = upper & np.outer(judged, judged)
        pairs += int(both.sum())
        right += int((both & np.equal.outer(truth, truth)).sum())
        cross += int((upper & ~np.equal.outer(stance, stance)).sum())
    return pairs, (right / pairs if pairs else float("nan")), cross


CIVIC = Path(__file__).resolve().parent / "civic" / "bg2050_pairs.csv"


def civic(column: Column, data: Path, part: str = "test") -> dict[str, float]:
    """The labelled civic pairs (bench/civic/README.md) of one part ("tune" or
    "test"), scored as the app scores two ideas of one question: every accepted
    statement of the conversation is an idea of the question, all centred together.
    At the column's same-idea decision (threshold, and the opposed rule when on): how
    many pairs are flagged, the share labelled duplicate (precision) and opposed, the
    share of duplicates flagged (recall); and the average precision of the score."""
    from sklearn.metrics import average_precision_score

    pairs = [r for r in eval_data.read_csv(CIVIC) if r["split"] == part]
    question = pairs[0]["question"]
    if column.embedder is None:
        scores = np.array([lexical.trigram_similarity(r["a"], r["b"]) for r in pairs])
    else:
        ideas = {
            r["comment_id"]: r["text"].strip()
            for r in eval_data.read_csv(data / "polis" / "polis_comments_all.csv")
            if r["conversation"] == pairs[0]["conversation"] and r["moderated"] == "1"
        }
        ids = list(ideas)
        raw = _embed(column, question, [ideas[i] for i in ids])
        centred = normalise(
            centre_question(raw, column.centre_weight, column.centre_prior)
        )
        row = {i: k for k, i in enumerate(ids)}
        a = centred[[row[r["id_a"]] for r in pairs]]
        b = centred[[row[r["id_b"]] for r in pairs]]
        scores = np.einsum("ij,ij->i", a, b)
    labels = np.array([r["label"] for r in pairs])
    flagged = scores >= column.duplicate_threshold
    if column.opposed_rule:
        flagged &= np.array([not opposed(r["a"], r["b"]) for r in pairs])
    duplicate = labels == "duplicate"
    n = int(flagged.sum())
    share = (lambda m: float((m & flagged).sum() / n)) if n else (lambda m: np.nan)
    return {
        f"civic {part}: pairs flagged": n,
        f"civic {part}: precision": share(duplicate),
        f"civic {part}: opposed share": share(labels == "opposed"),
        f"civic {part}: recall": float((duplicate & flagged).sum() / duplicate.sum()),
        f"civic {part}: average precision": float(
            average_precision_score(duplicate, scores)
        ),
    }


def evaluate(
    column: Column, data: Path, split: str, pair_sets: list[str]
) -> dict[str, float]:
    """All the figures for one column on one split."""
    results = {}
    for name in pair_sets:
        results[f"{name} Spearman"] = stsb_spearman(
            column, eval_data.pair_set(data, name, split)
        )
    sides = eval_data.argkp(data, split)
    results["ArgKP top-1"] = argkp_top1(column, sides)
    pairs, precision, cross = whole_topics(column, sides, column.duplicate_threshold)
    results["same-idea threshold"] = column.duplicate_threshold
    results["ArgKP topics: pairs grouped"] = pairs
    results["ArgKP topics: pair precision"] = precision
    results["ArgKP topics: cross-stance"] = cross
    results.update(civic(column, data, "test"))
    return results


def candidates(
    threads: int | None = None, e5_model: str = embeddings.E5_MODEL
) -> list[Column]:
    """The models compared, each in the app's pipeline (centred, in the question's
    context) at its own same-idea threshold, and the trigram baseline."""

    def pipeline(title: str, model: str, settings_of: str | None = None) -> Column:
        embedder = embeddings.SentenceTransformerEmbedder(model, threads=threads)
        knobs = model_settings(settings_of or model)
        return Column(
            title,
            CachedEmbedder(embedder),
            centre_weight=knobs.centre_weight,
            centre_prior=knobs.centre_prior,
            context=knobs.question_context,
            duplicate_threshold=knobs.same_idea_threshold,
        )

    return [
        Column("trigram", None, **{"duplicate_threshold": 0.35, "linkage": "complete"}),
        pipeline("MiniLM", embeddings.STOCK_MODEL),
        pipeline("minilm-argkp", embeddings.TUNED_MODEL),
        e5 := pipeline("e5-small-ptes", e5_model, embeddings.E5_MODEL),
        replace(e5, title="e5 bare", context=False),
        replace(e5, title="e5 prior 10", centre_prior=CENTRE_PRIOR),
        replace(e5, title="+ opposed rule", opposed_rule=True),
    ]


def sweep(column: Column, data: Path, split: str, thresholds: list[float]) -> None:
    """Whole-topic ArgKP groups, and how human scores sit above each threshold."""
    sides = eval_data.argkp(data, split)
    assin = eval_data.pair_set(data, "ASSIN 2", split)
    scores = np.asarray(pair_scores(column, assin.sentence1, assin.sentence2))
    human = np.asarray(assin.score)
    print(
        f"{column.title}, {split}: threshold -> ArgKP topics (pairs, precision, "
        "cross-stance); ASSIN 2 pairs at or above it (count, share scored >= 4, >= 3)"
    )
    for t in thresholds:
        pairs, precision, cross = whole_topics(column, sides, t)
        above = scores >= t
        share = float((human[above] >= 4).mean()) if above.any() else float("nan")
        related = float((human[above] >= 3).mean()) if above.any() else float("nan")
        print(
            f"  {t:.2f}: {pairs:5d} {precision:6.3f} {cross:4d}   "
            f"{int(above.sum()):4d} {share:6.3f} {related:6.3f}"
        )


def print_table(results: dict[str, dict[str, float]], heading: str) -> None:
    """Columns side by side, one figure a row."""
    titles = list(results)
    width = max(len(m) for m in results[titles[0]]) + 2
    print(heading)
    print("".ljust(width) + "".join(t.rjust(15) for t in titles))
    for metric in results[titles[0]]:
        values = [results[t][metric] for t in titles]
        if metric.endswith(("pairs grouped", "cross-stance", "pairs flagged")):
            cells = "".join(f"{int(v):15d}" for v in values)
        else:
            cells = "".join(f"{v:15.3f}" for v in values)
        print(metric.ljust(width) + cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument(
        "--only", nargs="+", help="the columns to run (titles), default all"
    )
    parser.add_argument(
        "--sweep",
        nargs="+",
        type=float,
        help="print grouping figures at these thresholds instead of the table",
    )
    parser.add_argument(
        "--threads", type=int, help="torch threads (1 on a busy machine)"
    )
    parser.add_argument(
        "--civic",
        choices=["tune", "test"],
        help="print only the civic set's figures, on this part",
    )
    parser.add_argument(
        "--e5",
        default=embeddings.E5_MODEL,
        help="the multilingual column's model (default: %(default)s)",
    )
    args = parser.parse_args()

    started = time.time()
    pair_sets = ["ASSIN 2", "ASSIN 1 pt-BR", "STS-B en", "STS-B pt", "STS-B es"]
    chosen = [
        c
        for c in candidates(args.threads, args.e5)
        if not args.only or c.title in args.only
    ]
    if args.civic:
        results = {c.title: civic(c, args.data, args.civic) for c in chosen}
        print_table(results, f"civic pairs, {args.civic} part")
        return
    if args.sweep:
        for column in chosen:
            sweep(column, args.data, args.split, args.sweep)
        return
    results = {}
    contexts = {c.title: c for c in chosen}
    for column in chosen:
        results[column.title] = evaluate(column, args.data, args.split, pair_sets)
        print(f"  {column.title}: {time.time() - started:.0f} s", file=sys.stderr)
    print_table(
        results,
        f"split: {args.split}; default model {embeddings.DEFAULT_MODEL}; each "
        "model's settings (ideation/similarity/settings.py); centring prior: "
        + ", ".join(
            f"{t} {contexts[t].centre_prior:g}" for t in results if contexts[t].embedder
        )
        + "; ArgKP texts after their topic (as ideas after their question's title) "
        "for: " + ", ".join(t for t in results if contexts[t].context),
    )
    print(f"({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
