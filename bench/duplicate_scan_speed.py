"""How long the duplicate scan's computation takes, and its peak memory, by size.

    .venv/bin/python bench/duplicate_scan_speed.py [--sizes 1000 10000 100000] [--k 10]

What the scan does once the vectors are stored (`ideation.similarity.pipeline.
candidate_pairs`): centre the question's vectors, find each idea's k nearest
neighbours block by block, group around representatives (most supported first), then
list each group's pairs with their shared phrases. Vectors are synthetic: 384
dimensions (as MiniLM), random directions, with one idea in ten a near-copy (cosine
about 0.9) of an earlier one, so that groups exist. Texts are short made-up titles.

Peak memory is what tracemalloc sees numpy and Python allocate during the scan (the
input vectors excluded); time is wall-clock of one run (tracemalloc slows Python code,
so the time is measured in a second run without it).
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ideation.similarity.pipeline import candidate_pairs  # noqa: E402
from ideation.similarity.settings import Settings  # noqa: E402

DIMENSION = 384


def synthetic(n: int, seed: int = 0):
    """n unit vectors, one in ten a near-copy of an earlier one; ids, texts."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, DIMENSION)).astype(np.float32)
    copies = np.flatnonzero(rng.random(n) < 0.1)
    copies = copies[copies > 0]
    sources = (rng.random(len(copies)) * copies).astype(np.int64)
    noise = rng.normal(size=(len(copies), DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    vectors[copies] = vectors[sources] + 0.48 * noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = list(range(1, n + 1))
    texts = [f"Idea number {i} about the park {i % 97}" for i in ids]
    return ids, vectors, texts


def scan(ids, vectors, texts, k: int):
    knobs = Settings(same_idea_neighbours=k)
    return candidate_pairs(ids, vectors, texts, knobs, supports=[0] * len(ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--k", type=int, default=Settings().same_idea_neighbours)
    args = parser.parse_args()
    print(f"duplicate scan, k={args.k}, {DIMENSION} dimensions, pid {os.getpid()}")
    print(f"{'ideas':>8} {'seconds':>8} {'peak MiB':>9} {'pairs':>7}")
    for n in args.sizes:
        ids, vectors, texts = synthetic(n)
        tracemalloc.start()
        pairs = scan(ids, vectors, texts, args.k)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        start = time.perf_counter()
        scan(ids, vectors, texts, args.k)
        seconds = time.perf_counter() - start
        print(f"{n:>8} {seconds:>8.2f} {peak / 2**20:>9.1f} {len(pairs):>7}")


if __name__ == "__main__":
    main()
