"""How long themes and duplicate groups take for one question of 1k and 10k ideas.

    .venv/bin/python bench/themes_speed.py [--sizes 1000 10000] [--data DIR]

Vectors are stored already (the app embeds each idea once, when it is saved), so this
times what a themes job does with them: centring, k-means, c-TF-IDF labels, and the
duplicate groups. The vectors are a synthetic mixture of 60 topics in 384 dimensions
(the model's size); the texts are real ArgKP arguments, drawn with replacement, so the
label vocabulary is realistic. Best of 3 runs.
"""

import argparse
import sys
import time
from pathlib import Path

import eval_data
import numpy as np

sys.path.insert(0, str(eval_data.REPO))

from ideation.similarity.grouping import duplicate_labels
from ideation.similarity.themes import cluster_themes, theme_labels
from ideation.similarity.vectors import centre_question, normalise


def mixture(n: int, rng: np.random.Generator, topics: int = 60) -> np.ndarray:
    """n unit vectors around `topics` directions that share one question direction."""
    question = rng.normal(size=384)
    centres = rng.normal(size=(topics, 384)) + 2 * question
    which = rng.integers(0, topics, size=n)
    return normalise(centres[which] + 1.2 * rng.normal(size=(n, 384)))


def best_of(runs: int, fn):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--data", type=Path, default=eval_data.DEFAULT_DATA)
    args = parser.parse_args()
    path = args.data / "argkp" / "argkp_clusters_train_dev.csv"
    arguments = [r["argument"] for r in eval_data.read_csv(path)]
    rng = np.random.default_rng(0)
    print(
        f"{'ideas':>6} {'themes':>7} {'centre+k-means':>15} {'labels':>8} "
        f"{'duplicates':>11} {'total':>7}"
    )
    for n in args.sizes:
        vectors = mixture(n, rng)
        texts = [arguments[i] for i in rng.integers(0, len(arguments), size=n)]
        t_themes, labels = best_of(
            3,
            lambda v=vectors: cluster_themes(centre_question(v)),
        )
        t_labels, _ = best_of(3, lambda t=texts, lab=labels: theme_labels(t, lab))
        t_dups, _ = best_of(
            3,
            lambda v=vectors: duplicate_labels(centre_question(v)),
        )
        total = t_themes + t_labels + t_dups
        print(
            f"{n:>6} {len(set(labels)):>7} {t_themes:>14.2f}s {t_labels:>7.2f}s "
            f"{t_dups:>10.2f}s {total:>6.2f}s"
        )


if __name__ == "__main__":
    main()
