"""How long the themes job's computation takes for one question of 1k and 10k ideas.

    .venv/bin/python bench/themes_job_speed.py [--sizes 1000 10000] [--real 4000]
        [--model NAME_OR_PATH] [--runs 3] [--data DIR] [--cache FILE] [--with-db]

What the job does once the vectors are stored (`ideation.similarity.pipeline.
compute_themes`): centre the question's vectors, k-means them (the colleague's
`similarity.themes.cluster_themes`), then label every theme by class-based TF-IDF
(`similarity.themes.describe_themes`). Timed apart, then together.

The ideas are real texts with real vectors: English Polis statements (not rejected by
a moderator) and ArgKP arguments from ../shared/data, embedded with the model (the
app's default, or --model). Only --real of them are embedded, to keep the run short;
a size above that is filled with perturbed copies of them (the vector plus Gaussian
noise, cosine about 0.9 to its source, and the source's text), which the output says.
The embedding time is printed but not part of the job: the app embeds each idea once,
when it is saved.

With --with-db it also times the whole job on a temporary SQLite database made with
create_all (a benchmark, not the app): `recompute_themes` reading the stored vectors
and texts, computing, and replacing the themes and assignments, then the commit.
"""

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ideation.similarity.embeddings import (
    REPO_ROOT,
    STOCK_MODEL,
    TUNED_MODEL,
    SentenceTransformerEmbedder,
)
from ideation.similarity.pipeline import compute_themes
from ideation.similarity.settings import Settings
from ideation.similarity.themes import cluster_themes, describe_themes, theme_count
from ideation.similarity.vectors import centre_question, normalise

DEFAULT_DATA = REPO.parent / "shared" / "data"
NOISE = 0.025  # per dimension, on 384-d unit vectors: cosine ~0.9 to the source


def real_texts(data: Path) -> list[str]:
    """English Polis statements (not rejected) and ArgKP arguments, each once."""
    texts = []
    with open(data / "polis" / "polis_comments_all.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["lang"] == "en" and row["moderated"] != "-1" and row["text"]:
                texts.append(row["text"].strip())
    with open(data / "argkp" / "argkp_clusters_train_dev.csv", encoding="utf-8") as f:
        texts += [row["argument"].strip() for row in csv.DictReader(f)]
    return list(dict.fromkeys(t for t in texts if t))


def embedded(texts: list[str], model: str, cache: Path | None) -> np.ndarray:
    if cache and cache.exists():
        vectors = np.load(cache)
        if len(vectors) == len(texts):
            print(f"vectors: {len(texts)} read from {cache}")
            return vectors
    embedder = SentenceTransformerEmbedder(model)
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    seconds = time.perf_counter() - started
    print(
        f"vectors: {len(texts)} texts embedded with {model} in {seconds:.1f} s "
        "(once per idea, when saved; not part of the job)"
    )
    if cache:
        np.save(cache, vectors)
    return vectors


def sample(texts, vectors, n, rng) -> tuple[list[str], np.ndarray, int]:
    """n ideas: real ones first, then perturbed copies; how many are real."""
    real = min(n, len(texts))
    order = rng.permutation(len(texts))[:real]
    chosen_texts = [texts[i] for i in order]
    chosen = vectors[order]
    if n > real:
        source = rng.integers(0, real, size=n - real)
        noise = NOISE * rng.normal(size=(n - real, vectors.shape[1]))
        copies = normalise(chosen[source] + noise)
        chosen = np.concatenate([chosen, copies])
        chosen_texts += [chosen_texts[i] for i in source]
    return chosen_texts, np.asarray(chosen, dtype=np.float32), real


def job_on_sqlite(idea_texts, idea_vectors, model: str) -> tuple[float, int]:
    """Seconds for recompute_themes + commit on a fresh SQLite file; themes made."""
    import tempfile

    from sqlalchemy import insert, select

    from config import DevelopmentConfig
    from ideation import create_app
    from ideation.auth.models import User
    from ideation.extensions import db
    from ideation.ideas.models import Idea
    from ideation.questions.models import Question, QuestionStatus
    from ideation.similarity.models import IdeaEmbedding
    from ideation.themes.operations import recompute_themes

    with tempfile.TemporaryDirectory() as tmp:

        class Config(DevelopmentConfig):
            DEBUG = False
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.db"
            JOBS_MODE = "manual"
            EMBEDDING_MODEL = model

        app = create_app(Config)
        with app.app_context():
            db.create_all()
            author = User(email="bench@example.org", display_name="Bench")
            question = Question(
                title="Bench", status=QuestionStatus.PUBLISHED.value, author=author
            )
            db.session.add(question)
            db.session.flush()
            db.session.execute(
                insert(Idea),
                [
                    {
                        "question_id": question.id,
                        "author_id": author.id,
                        "title": text[:140],
                        "description": text[140:2000],
                    }
                    for text in idea_texts
                ],
            )
            ids = db.session.scalars(select(Idea.id).order_by(Idea.id)).all()
            db.session.execute(
                insert(IdeaEmbedding),
                [
                    {
                        "idea_id": idea_id,
                        "question_id": question.id,
                        "model": model,
                        "dimension": len(vector),
                        "vector": vector,
                    }
                    for idea_id, vector in zip(ids, idea_vectors, strict=True)
                ],
            )
            db.session.commit()
            started = time.perf_counter()
            themes = recompute_themes(question)
            db.session.commit()
            seconds = time.perf_counter() - started
            db.engine.dispose()
    return seconds, len(themes)


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--real", type=int, default=4000, help="texts to embed")
    default_model = TUNED_MODEL if (REPO_ROOT / TUNED_MODEL).is_dir() else STOCK_MODEL
    parser.add_argument(
        "--model", default=os.environ.get("EMBEDDING_MODEL") or default_model
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="keep the vectors in this .npy")
    parser.add_argument(
        "--with-db", action="store_true", help="also time the whole job on SQLite"
    )
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    pool = real_texts(args.data)
    texts = [pool[i] for i in rng.permutation(len(pool))[: args.real]]
    vectors = embedded(texts, args.model, args.cache)
    print(f"cpu cores: {os.cpu_count()}; runs per size: {args.runs}")
    print(
        f"{'ideas':>6} {'real':>5} {'copies':>6} {'themes':>6} "
        f"{'cluster s':>10} {'labels s':>9} {'job s (median)':>15} {'max s':>6}"
    )
    for n in args.sizes:
        idea_texts, idea_vectors, real = sample(texts, vectors, n, rng)
        ids = list(range(n))
        settings = Settings()
        k = theme_count(
            n, settings.theme_divisor, settings.themes_min, settings.themes_max
        )
        clusters, labels, totals = [], [], []
        for _ in range(args.runs):
            t_cluster, assigned = timed(
                lambda v=idea_vectors, k=k: cluster_themes(centre_question(v), k)
            )
            t_labels, _ = timed(lambda t=idea_texts, a=assigned: describe_themes(t, a))
            t_total, themes = timed(
                lambda i=ids, v=idea_vectors, t=idea_texts: compute_themes(i, v, t)
            )
            clusters.append(t_cluster)
            labels.append(t_labels)
            totals.append(t_total)
        print(
            f"{n:>6} {real:>5} {n - real:>6} {len(themes):>6} "
            f"{statistics.median(clusters):>10.2f} {statistics.median(labels):>9.2f} "
            f"{statistics.median(totals):>15.2f} {max(totals):>6.2f}"
        )
        for theme in themes[:5]:
            print(f"         {theme.size:>5}  {', '.join(theme.keywords)}")
        if args.with_db:
            seconds, made = job_on_sqlite(idea_texts, idea_vectors, args.model)
            print(
                f"         whole job on SQLite (read vectors, compute, replace "
                f"{made} themes and {n} assignments, commit): {seconds:.2f} s"
            )
    print(
        "Sizes above --real are filled with perturbed copies of the real vectors "
        f"(Gaussian noise {NOISE} per dimension) carrying their source's text."
    )


if __name__ == "__main__":
    main()
