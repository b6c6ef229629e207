"""Resident memory of a worker with each embedding model loaded, side by side.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/model_memory.py [MODEL ...]

Each model in a fresh interpreter (one torch thread, as a worker runs): VmRSS after
importing torch and sentence-transformers, then after loading the model through the
app's embedder and embedding one text; and the time that load and first embedding
took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys, time
sys.path.insert(0, {repo!r})
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
import torch, sentence_transformers
from ideation.similarity.embeddings import SentenceTransformerEmbedder
before = rss()
started = time.perf_counter()
SentenceTransformerEmbedder({model!r}, threads=1).embed(["Mais ônibus à noite"])
print(json.dumps([before, rss(), time.perf_counter() - started]))
"""


def main() -> None:
    from ideation.similarity import embeddings

    models = sys.argv[1:] or [
        embeddings.E5_MODEL,
        embeddings.TUNED_MODEL,
        embeddings.STOCK_MODEL,
    ]
    print(f"{'model':28} {'imports MB':>11} {'loaded MB':>10} {'load s':>7}")
    for model in models:
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(repo=str(REPO), model=model)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        before, after, seconds = json.loads(out.strip().splitlines()[-1])
        print(f"{model:28} {before:11.0f} {after:10.0f} {seconds:7.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
