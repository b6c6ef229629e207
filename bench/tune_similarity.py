"""Grid-search the pipeline's knobs on ArgKP / STS-B train (never dev) and print them.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/tune_similarity.py [--model NAME]

Centring (weight, prior) and the lexical blend maximise ArgKP train top-1, provided
STS-B train Spearman does not fall by more than 0.005. Read them off the stock model:
a model fine-tuned on ArgKP train flatters every knob on train. For the fine-tuned
model, pass the chosen centring (--centre-weight, --centre-prior) to skip that grid.
The duplicate threshold and linkage maximise the ARI of duplicate groups, among those
whose grouped pairs share a key point at least 90 % of the time (the pipeline's), or
without that floor (the baselines'); the theme divisor maximises the ARI of themes,
among the divisors that give 1,000 ideas 10-25 themes. About 10 minutes on 2 cores.
"""

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import eval_data
import numpy as np
from similarity_quality import (
    CachedEmbedder,
    Column,
    argkp_ari,
    argkp_top1,
    stsb_spearman,
    topic_vectors,
)

from ideation.similarity import embeddings

THRESHOLDS = [round(t, 2) for t in np.arange(0.05, 0.86, 0.05)]
LINKAGES = ["single", "average", "complete"]


def best_duplicates(column, sides, vectors=None, min_precision=0.0):
    """(ARI, threshold, linkage, pair precision) of the best duplicate grouping.

    Only groupings whose pairs share a key point at least `min_precision` of the time
    compete: a merge suggestion should be right.
    """
    results = []
    for threshold, method in itertools.product(THRESHOLDS, LINKAGES):
        candidate = replace(column, duplicate_threshold=threshold, linkage=method)
        ari, _, precision = argkp_ari(candidate, sides, vectors, themes=False)
        if precision >= min_precision:
            results.append((ari, threshold, method, precision))
    return max(results) if results else None


def best_divisor(column, sides, vectors):
    """(ARI of themes, divisor) for divisors that give 1,000 ideas 10-25 themes."""
    results = []
    for divisor in (1.3, 1.5, 1.75, 2.0, 2.5, 3.0):
        candidate = replace(column, theme_divisor=divisor)
        results.append(
            (argkp_ari(candidate, sides, vectors, duplicates=False)[1], divisor)
        )
    return max(results)


def tune_model(name, data, sides, sts, threads=None, centre=None, context=False):
    """Print the best knobs for one model (`centre`: fixed (weight, prior), no grid;
    `context`: ArgKP texts embedded after their topic, as ideas after a question)."""
    embedder = CachedEmbedder(
        embeddings.SentenceTransformerEmbedder(name, threads=threads)
    )
    raw = Column(name, embedder, context=context)
    base_sts = stsb_spearman(raw, sts)
    print(f"{name}: raw top-1 {argkp_top1(raw, sides):.3f}, STS-B {base_sts:.3f}")
    if centre:
        centred_knobs(raw, sides, *centre)
        return
    grid = []
    for weight, prior, lexical in itertools.product(
        (0.0, 0.5, 0.75, 1.0), (0, 10, 20, 50), (0.0, 0.1, 0.2, 0.3)
    ):
        if weight == 0 and prior:
            continue
        column = replace(
            raw, centre_weight=weight, centre_prior=prior, lexical_weight=lexical
        )
        top1, spearman = argkp_top1(column, sides), stsb_spearman(column, sts)
        grid.append((top1, spearman, weight, prior, lexical))
        print(
            f"  centre {weight} prior {prior} lexical {lexical}: "
            f"top-1 {top1:.3f} STS-B {spearman:.3f}",
            flush=True,
        )
    allowed = [g for g in grid if g[1] >= base_sts - 0.005]
    top1, spearman, weight, prior, lexical = max(allowed)
    print(
        f"  best: centre weight {weight}, prior {prior}, lexical {lexical}: "
        f"top-1 {top1:.3f}, STS-B {spearman:.3f}"
    )
    centred_knobs(raw, sides, weight, prior)


def centred_knobs(raw, sides, weight, prior):
    """Print the best duplicate and theme knobs, raw and centred."""
    for title, centre_weight in (("raw", 0.0), ("centred", weight)):
        column = replace(raw, centre_weight=centre_weight, centre_prior=prior)
        vectors = topic_vectors(column, sides)
        for floor in (0.0, 0.9):
            best = best_duplicates(column, sides, vectors, floor)
            print(f"  {title}: duplicates with pair precision >= {floor}: {best}")
        ari, divisor = best_divisor(column, sides, vectors)
        print(f"  {title}: themes ARI {ari:.3f} with divisor {divisor}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    parser.add_argument(
        "--model",
        action="append",
        help="models to tune (default: the stock and the tuned one)",
    )
    parser.add_argument("--skip-trigram", action="store_true")
    parser.add_argument("--threads", type=int, help="torch threads")
    parser.add_argument("--centre-weight", type=float)
    parser.add_argument("--centre-prior", type=float)
    parser.add_argument(
        "--context", action="store_true", help="embed texts after their topic"
    )
    args = parser.parse_args()
    sides = eval_data.argkp(args.data, "train")
    sts = eval_data.stsb(args.data, "train")
    if not args.skip_trigram:
        trigram = Column("trigram", None)
        print(
            f"trigram: top-1 {argkp_top1(trigram, sides):.3f}, "
            f"STS-B {stsb_spearman(trigram, sts):.3f}"
        )
        print(f"  duplicates: {best_duplicates(trigram, sides)}")
    for name in args.model or [embeddings.STOCK_MODEL, embeddings.TUNED_MODEL]:
        centre = None
        if args.centre_weight is not None:
            centre = (args.centre_weight, args.centre_prior or 0.0)
        tune_model(name, args.data, sides, sts, args.threads, centre, args.context)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
