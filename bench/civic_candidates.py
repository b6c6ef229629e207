"""Candidate pairs for the civic dev set, pooled from several scorers (GUIDELINE.md).

    .venv/bin/python bench/civic_candidates.py --conversation bg2050-volunteers \
        --out /tmp/candidates.csv

For each accepted statement of one Polis conversation (../shared/data/polis), its
nearest neighbour under each of three scorers (character trigrams, minilm-argkp and
e5-small-ptes, each on the bare texts), pooled and deduplicated, plus about 10 %
random pairs of the same conversation; shuffled. The file has the question and the
two texts, and no score or method: labels are written by reading it
(bench/civic/README.md).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

import eval_data
import numpy as np

sys.path.insert(0, str(eval_data.REPO))
import lexical

from ideation.similarity import embeddings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    parser.add_argument("--conversation", default="bg2050-volunteers")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [
        r
        for r in eval_data.read_csv(args.data / "polis" / "polis_comments_all.csv")
        if r["conversation"] == args.conversation and r["moderated"] == "1"
    ]
    texts = [r["text"].strip() for r in rows]
    n = len(texts)
    pairs: set[tuple[int, int]] = set()
    grams = [lexical.trigrams(t) for t in texts]
    for i in range(n):
        best = max(
            (j for j in range(n) if j != i),
            key=lambda j: len(grams[i] & grams[j]) / (len(grams[i] | grams[j]) or 1),
        )
        pairs.add((min(i, best), max(i, best)))
    for model in (embeddings.TUNED_MODEL, embeddings.E5_MODEL):
        vectors = embeddings.SentenceTransformerEmbedder(model, threads=1).embed(texts)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -2)
        for i, j in enumerate(sims.argmax(axis=1)):
            pairs.add((min(i, int(j)), max(i, int(j))))
    rng = random.Random(args.seed)
    for _ in range(len(pairs) // 10):
        i, j = rng.sample(range(n), 2)
        pairs.add((min(i, j), max(i, j)))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    with args.out.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["conversation", "question", "id_a", "id_b", "a", "b"])
        for i, j in ordered:
            out.writerow(
                [
                    args.conversation,
                    rows[i]["topic"],
                    rows[i]["comment_id"],
                    rows[j]["comment_id"],
                    texts[i],
                    texts[j],
                ]
            )
    print(f"{len(ordered)} pairs of {n} statements -> {args.out}")


if __name__ == "__main__":
    main()
