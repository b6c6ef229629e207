"""Speed of similar ideas: the endpoint's latency per question size, and the backfill.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/similarity_speed.py \
        [--sizes 1000,10000,100000] [--backends sqlite,postgresql] [--requests 100]

For each backend (a throwaway SQLite file; a throwaway PostgreSQL server from the
pgserver package, with pgvector and the HNSW index), questions of 1k, 10k and 100k
ideas are built from real public text: ArgKP arguments and English Polis statements,
plus reworded variants of them (prefixes such as "In our town, ...") for the large
sets. Every question is built in the same database, so the later sizes are searched
among the rows of the earlier ones too (as on a site with several questions), and the
smaller questions are timed again once the 100k one exists.

Vectors: questions of up to 1,000 ideas are embedded whole by the real model; in
larger ones the first 600 ideas are, and the others get one of those vectors plus
Gaussian noise (cosine about 0.85 to its source), so that building 100k ideas takes
a minute, not an hour. The output says so.

Then it times GET /questions/<id>/similar?text=...(&description=...) through the test
client with the REAL model: varied typed texts (prefixes of held-out arguments and
statements, as if typing; a third with a description), 5 warm-up and --requests timed
requests per case, p50 and p95 in milliseconds, and how much of it is the model
(embedding the same texts alone) and the search (nearest_ideas with a ready vector).

Backfill: `flask similarity backfill` on 1,000 ideas without vectors, against
sentence-transformers' own `model.encode` on the same texts (titles and non-empty
descriptions), in rounds of the same run alternating which goes first, in texts per
second.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
from sqlalchemy import delete, insert, select, text

# Run as a script (`python bench/similarity_speed.py`): make the repository importable.
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from config import DevelopmentConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.similarity import pipeline, store
from ideation.similarity import search as vector_search
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.models import IdeaEmbedding, hnsw_index_name
from ideation.similarity.vectors import in_contexts, normalise

DATA = REPO.parent / "shared" / "data"
REAL_MAX = 1000  # questions up to this size are embedded whole by the real model
REAL_SAMPLE = 600  # larger ones: this many real vectors, the others noisy copies
BACKFILL_IDEAS = 1000
BACKFILL_ROUNDS = 2
WARMUP = 5
NOISE_NORM = 0.62  # |noise| / |vector|: cosine 1 / sqrt(1 + 0.62²) ≈ 0.85
PREFIXES = [
    "",
    "In our town, ",
    "I propose that ",
    "Please, ",
    "My idea: ",
    "For everyone's sake, ",
    "Simply put, ",
    "Honestly, ",
    "As a parent, ",
    "As a nurse, ",
]


# -- texts -----------------------------------------------------------------------------


def read_texts() -> list[str]:
    """ArgKP arguments and English Polis statements, cleaned, in a fixed shuffle."""
    texts = []
    for split in ("train", "dev"):
        with open(DATA / "argkp" / f"arguments_{split}.csv", encoding="utf-8") as f:
            texts += [row["argument"] for row in csv.DictReader(f)]
    with open(DATA / "polis" / "polis_comments_all.csv", encoding="utf-8") as f:
        texts += [row["text"] for row in csv.DictReader(f) if row["lang"] == "en"]
    texts = [" ".join(t.split()).strip("`'\" ") for t in texts]
    texts = list(dict.fromkeys(t for t in texts if len(t) >= 15))
    random.Random(7).shuffle(texts)
    return texts


def title_of(sentence: str, prefix: str = "") -> str:
    title = prefix + (sentence[0].lower() + sentence[1:] if prefix else sentence)
    return title[:140].rstrip()


@dataclass
class QuestionSet:
    size: int
    titles: list[str]
    descriptions: list[str]
    base: list[int] = field(default_factory=list)  # real-vector row of each idea


def real_count(size: int) -> int:
    """How many ideas of a question of `size` the real model embeds."""
    return size if size <= REAL_MAX else REAL_SAMPLE


def question_set(size: int, pool: list[str], rng: random.Random) -> QuestionSet:
    """`size` ideas: the first are pool texts, later ones reworded copies of them."""
    real = real_count(size)
    base_titles = pool[:real]
    others = pool[real:]
    titles, descriptions, base = [], [], []
    for i in range(size):
        b = i % real
        prefix = PREFIXES[(i // real) % len(PREFIXES)]
        suffix = (
            f" ({i // (real * len(PREFIXES))})" if i >= real * len(PREFIXES) else ""
        )
        titles.append(title_of(base_titles[b], prefix)[: 140 - len(suffix)] + suffix)
        # Half the ideas explain themselves in a description (another real text).
        descriptions.append(others[b % len(others)] if b % 2 else "")
        base.append(b)
    return QuestionSet(size, titles, descriptions, base)


def typed_texts(pool: list[str], count: int, rng: random.Random) -> list[tuple]:
    """What citizens type: a prefix of a held-out text, sometimes a description."""
    typed = []
    for i in range(count):
        words = pool[i].split()
        title = " ".join(words[: rng.randint(3, 15)])[:140]
        description = ""
        if i % 3 == 0:
            more = pool[count + i].split()
            description = " ".join(more[: rng.randint(10, 30)])
        typed.append((title, description))
    return typed


# -- the app and its database ----------------------------------------------------------


def bench_config(database_uri: str):
    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_uri
        JOBS_MODE = "manual"
        RATELIMIT_ENABLED = False
        PROPAGATE_EXCEPTIONS = True
        SESSION_COOKIE_SECURE = False
        SIMILAR_CHECK_TIMEOUT = 30  # time the model, never the time-out

    return BenchConfig


@contextmanager
def database(backend: str):
    """A throwaway database URI for `backend`, removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=f"similarity-bench-{backend}-"))
    try:
        if backend == "sqlite":
            yield f"sqlite:///{workdir / 'bench.db'}"
            return
        import pgserver

        server = pgserver.get_server(workdir / "pg", cleanup_mode="stop")
        try:
            server.psql("CREATE DATABASE bench;")
            uri = server.get_uri("bench")
            yield uri.replace("postgresql://", "postgresql+psycopg://", 1)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# Ideas are embedded after their question's title (QUESTION_CONTEXT): a title of a
# real question's length (13 words), so the model pays for it as it would.
QUESTION_TITLE = "What would you want to see in the Bowling Green of the future?"


def add_question(number: int, author_id: int) -> int:
    question = Question(
        title=f"{QUESTION_TITLE} ({number})",
        status="published",
        author_id=author_id,
        published_at=utcnow(),
    )
    db.session.add(question)
    db.session.commit()
    return question.id


def add_ideas(question_id: int, author_id: int, ideas: QuestionSet) -> list[int]:
    """Insert the ideas in bulk; their ids in order."""
    now = utcnow()
    first = (db.session.scalar(select(db.func.max(Idea.id))) or 0) + 1
    for start in range(0, ideas.size, 5000):
        rows = [
            {
                "id": first + i,
                "question_id": question_id,
                "author_id": author_id,
                "title": ideas.titles[i],
                "description": ideas.descriptions[i],
                "status": "submitted",
                "support_count": (i * 7919) % 40,
                "created_at": now,
            }
            for i in range(start, min(start + 5000, ideas.size))
        ]
        db.session.execute(insert(Idea), rows)
    db.session.commit()
    return list(range(first, first + ideas.size))


def synthetic_vectors(real: np.ndarray, base: list[int], seed: int) -> np.ndarray:
    """Real vectors for the first ideas, noisy copies of them for the others."""
    rng = np.random.default_rng(seed)
    vectors = real[np.asarray(base)].copy()
    count = len(real)
    noise = rng.normal(size=(len(base) - count, real.shape[1])).astype(np.float32)
    noise *= NOISE_NORM / np.sqrt(real.shape[1])
    vectors[count:] = normalise(vectors[count:] + noise)
    return vectors


def save_vectors(question_id, idea_ids, vectors, model) -> None:
    if db.engine.dialect.name == "postgresql":
        return copy_vectors(question_id, idea_ids, vectors, model)
    for start in range(0, len(idea_ids), 5000):
        ids = idea_ids[start : start + 5000]
        store.save_embeddings(
            [(i, question_id) for i in ids], vectors[start : start + len(ids)], model
        )
        db.session.commit()


def copy_vectors(question_id, idea_ids, vectors, model) -> None:
    """PostgreSQL: COPY in binary, minutes faster than INSERT at 100k rows."""
    from pgvector.psycopg import register_vector

    db.session.commit()
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        register_vector(conn)
        now = utcnow()
        columns = "idea_id, question_id, model, dimension, vector, created_at"
        with conn.cursor() as cursor:
            sql = f"COPY idea_embeddings ({columns}) FROM STDIN WITH (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                copy.set_types(
                    ["int4", "int4", "varchar", "int4", "vector", "timestamptz"]
                )
                for idea_id, vector in zip(idea_ids, vectors, strict=True):
                    copy.write_row(
                        (idea_id, question_id, model, len(vector), vector, now)
                    )
        conn.commit()
    finally:
        raw.close()


@contextmanager
def hnsw_built_after_load(dimension: int):
    """PostgreSQL: drop the HNSW index while loading, build it once at the end."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    name = hnsw_index_name(dimension)
    db.session.execute(text(f"DROP INDEX IF EXISTS {name}"))
    db.session.commit()
    yield
    started = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SET maintenance_work_mem = '1GB'"))
        conn.execute(text("SET max_parallel_maintenance_workers = 1"))
        conn.execute(
            text(
                f"CREATE INDEX {name} ON idea_embeddings USING hnsw "
                f"((vector::vector({dimension})) vector_cosine_ops) "
                f"WHERE dimension = {dimension}"
            )
        )
        conn.execute(text("VACUUM ANALYZE idea_embeddings"))
        conn.execute(text("ANALYZE ideas"))
    print(f"  HNSW index built in {time.perf_counter() - started:.1f} s")


# -- measurements ----------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94]


def time_endpoint(app, question_id: int, typed: list[tuple], requests: int) -> dict:
    client = app.test_client()
    samples, unavailable, found = [], 0, []
    for n in range(WARMUP + requests):
        title, description = typed[n % len(typed)]
        params = {"text": title}
        if description:
            params["description"] = description
        started = time.perf_counter()
        response = client.get(f"/questions/{question_id}/similar", query_string=params)
        data = response.get_json()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"similar ideas answered {response.status_code}")
        if n >= WARMUP:
            samples.append(elapsed)
            unavailable += bool(data.get("unavailable"))
            found.append(len(data["ideas"]))
    return {
        "endpoint": percentiles(samples),
        "unavailable": unavailable,
        "found": statistics.mean(found),
    }


def time_parts(app, question_id: int, typed: list[tuple], requests: int) -> dict:
    """The model alone, the search alone with ready vectors, and the share of the
    exact top 5 that the search found (below 1 only through the HNSW index)."""
    embedder = get_embedder(app)
    limit = app.config["SIMILAR_IDEAS_LIMIT"]
    embed, search, recall = [], [], []
    with app.app_context():
        question = db.session.get(Question, question_id)
        for n in range(WARMUP + requests):
            title, description = typed[n % len(typed)]
            started = time.perf_counter()
            vector = pipeline.idea_vectors(
                embedder, [title], [description], question_titles=[question.title]
            )[0]
            middle = time.perf_counter()
            found = vector_search.nearest_ideas(question, vector, limit)
            db.session.rollback()
            ended = time.perf_counter()
            if n >= WARMUP:
                embed.append((middle - started) * 1000)
                search.append((ended - middle) * 1000)
                recall.append(_recall(question, vector, limit, found))
    return {
        "model": percentiles(embed),
        "search": percentiles(search),
        "recall": statistics.mean(recall),
    }


def _recall(question, vector, limit, found) -> float:
    exact_below, vector_search.EXACT_BELOW = vector_search.EXACT_BELOW, 10**12
    try:
        exact = vector_search.nearest_ideas(question, vector, limit)
    finally:
        vector_search.EXACT_BELOW = exact_below
        db.session.rollback()
    wanted = {idea_id for idea_id, _ in exact}
    return len(wanted & {idea_id for idea_id, _ in found}) / max(1, len(wanted))


def count_fallbacks():
    """Count exact searches after the HNSW index came up short (PostgreSQL)."""
    counter = {"exact": 0}
    original = vector_search._exact

    def counted(*args, **kwargs):
        counter["exact"] += 1
        return original(*args, **kwargs)

    vector_search._exact = counted
    return counter


def time_backfill(app, runner, idea_ids: list[int]) -> dict:
    """Backfill vs model.encode on the same texts, in texts per second; and
    model.encode on the bare texts (without their question's title before them).

    Rounds alternate which goes first (ABBA), so that a machine getting busier or
    quieter during the run favours neither.
    """
    embedder = get_embedder(app)
    model = embedder._load()
    totals = {"backfill": [0.0, 0], "direct": [0.0, 0], "bare": [0.0, 0]}

    def backfill(texts):
        result = runner.invoke(args=["similarity", "backfill"])
        if result.exit_code:
            sys.exit(result.output)

    def direct(texts):
        model.encode(
            texts,
            batch_size=embedder.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    for number, chunk in enumerate(
        np.array_split(np.asarray(idea_ids), BACKFILL_ROUNDS)
    ):
        chunk_ids = [int(i) for i in chunk]
        with app.app_context():
            rows = pipeline.idea_texts(chunk_ids)
            db.session.execute(
                delete(IdeaEmbedding).where(IdeaEmbedding.idea_id.in_(chunk_ids))
            )
            db.session.commit()
            # What the backfill embeds: each text after its question's title.
            contexts = pipeline.contexts([r.question_title for r in rows])
        titles = [r.title for r in rows]
        descriptions = [r.description for r in rows]
        bare = titles + [d for d in descriptions if d]
        texts = in_contexts(contexts, titles) + [
            d for d in in_contexts(contexts, descriptions) if d
        ]
        runs = [("backfill", backfill), ("direct", direct)]
        for name, run in runs if number % 4 in (0, 3) else runs[::-1]:
            started = time.perf_counter()
            run(texts)
            totals[name][0] += time.perf_counter() - started
            totals[name][1] += len(texts)
        started = time.perf_counter()
        direct(bare)
        totals["bare"][0] += time.perf_counter() - started
        totals["bare"][1] += len(bare)
    return {name: count / seconds for name, (seconds, count) in totals.items()}


# -- the run ---------------------------------------------------------------------------


def run_backend(backend, sizes, requests, sets, typed, real_vectors) -> dict:
    results = {}
    with database(backend) as uri:
        app = create_app(bench_config(uri))
        runner = app.test_cli_runner()
        model = get_embedder(app).name
        fallbacks = count_fallbacks() if backend == "postgresql" else None
        with app.app_context():
            db.create_all()
            author = User(email="bench@example.invalid", display_name="Bench")
            db.session.add(author)
            db.session.commit()
            author_id = author.id
        questions = {}
        for number, size in enumerate(sizes):
            ideas = sets[size]
            with app.app_context():
                question_id = add_question(number, author_id)
                idea_ids = add_ideas(question_id, author_id, ideas)
            print(f"{backend}: {size} ideas added", flush=True)
            if size not in real_vectors:
                started = time.perf_counter()
                real = real_count(size)
                real_vectors[size] = pipeline.idea_vectors(
                    get_embedder(app),
                    ideas.titles[:real],
                    ideas.descriptions[:real],
                    question_titles=[f"{QUESTION_TITLE} ({number})"] * real,
                )
                print(
                    f"  {real} real vectors in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            vectors = synthetic_vectors(real_vectors[size], ideas.base, seed=size)
            with app.app_context():
                with hnsw_built_after_load(vectors.shape[1]):
                    save_vectors(question_id, idea_ids, vectors, model)
            questions[size] = (question_id, idea_ids)
            total = sum(sets[s].size for s in questions)
            results[(size, total)] = measure(
                app, question_id, typed, requests, fallbacks
            )
            report_line(backend, size, total, results[(size, total)])
        for size in sizes[:-1]:  # the smaller questions among all the rows
            total = sum(sets[s].size for s in sizes)
            question_id = questions[size][0]
            results[(size, total)] = measure(
                app, question_id, typed, requests, fallbacks
            )
            report_line(backend, size, total, results[(size, total)])
        first = sizes[0]
        backfill_ids = questions[first][1][:BACKFILL_IDEAS]
        results["backfill"] = time_backfill(app, runner, backfill_ids)
        print(
            f"{backend}: backfill {results['backfill']['backfill']:.0f} texts/s, "
            f"model.encode {results['backfill']['direct']:.0f} texts/s "
            f"(bare texts: {results['backfill']['bare']:.0f} texts/s)",
            flush=True,
        )
        with app.app_context():
            db.drop_all()
            db.engine.dispose()
    return results


def measure(app, question_id, typed, requests, fallbacks) -> dict:
    before = fallbacks["exact"] if fallbacks else 0
    result = time_endpoint(app, question_id, typed, requests)
    result["exact"] = (fallbacks["exact"] - before) if fallbacks else None
    result.update(time_parts(app, question_id, typed, requests))
    return result


def report_line(backend, size, total, r) -> None:
    p50, p95 = r["endpoint"]
    print(
        f"  {backend} {size} ideas ({total} in the table): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        flush=True,
    )


def print_table(all_results, sizes, requests) -> None:
    print(
        f"\nGET /questions/<id>/similar, real model, {requests} timed requests per "
        "row (after 5 warm-up); ms"
    )
    print(
        f"{'backend':<11} {'ideas':>7} {'in table':>9} {'p50':>7} {'p95':>7}   "
        f"{'model p50/p95':>14} {'search p50/p95':>15} {'exact':>6} {'recall':>6}"
    )
    for backend, results in all_results.items():
        for key, r in results.items():
            if key == "backfill":
                continue
            size, total = key
            p50, p95 = r["endpoint"]
            model = "{:.1f}/{:.1f}".format(*r["model"])
            search = "{:.1f}/{:.1f}".format(*r["search"])
            exact = "-" if r["exact"] is None else str(r["exact"])
            print(
                f"{backend:<11} {size:>7} {total:>9} {p50:>7.1f} {p95:>7.1f}   "
                f"{model:>14} {search:>15} {exact:>6} {r['recall']:>6.3f}"
            )
    print(
        "\nmodel: embedding the typed text alone; search: nearest_ideas with the "
        "vector ready. exact (PostgreSQL): endpoint requests, warm-up included, "
        "whose search scored every vector of the question: always for questions of "
        f"at most {vector_search.EXACT_BELOW} vectors, for larger ones when the HNSW "
        "scan found too few of the question's rows. recall: share of the exact top 5 "
        "found."
    )
    print("\nBackfill (flask similarity backfill) vs model.encode, same texts, texts/s")
    for backend, results in all_results.items():
        b = results["backfill"]
        print(
            f"{backend:<11} backfill {b['backfill']:7.1f}   model.encode "
            f"{b['direct']:7.1f}   ratio {b['backfill'] / b['direct']:.2f}   "
            f"model.encode on bare texts {b['bare']:7.1f}"
        )
    print(
        "(same texts: each after its question's title, as the pipeline embeds them; "
        "bare texts: without it)"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=100)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    backends = args.backends.split(",")
    started = time.perf_counter()
    texts = read_texts()
    rng = random.Random(11)
    held_out = texts[: 2 * args.requests]
    typed = typed_texts(held_out, args.requests, rng)
    pool = texts[len(held_out) :]
    sets = {}
    for n, size in enumerate(sizes):
        # Each question draws its real texts from its own slice of the pool.
        offset = (n * 3 * REAL_MAX) % max(1, len(pool) - 3 * REAL_MAX)
        sets[size] = question_set(size, pool[offset:] + pool[:offset], rng)
    print(
        f"{len(texts)} real texts (ArgKP arguments, English Polis statements); "
        f"sizes {sizes}; model {DevelopmentConfig.EMBEDDING_MODEL}"
    )
    print(
        f"Vectors: questions of up to {REAL_MAX} ideas are embedded by the real "
        f"model; in larger ones the first {REAL_SAMPLE} ideas are, and the others "
        "get those vectors plus Gaussian noise (cosine ~0.85 to their source)."
    )
    real_vectors: dict[int, np.ndarray] = {}
    all_results = {}
    for backend in backends:
        all_results[backend] = run_backend(
            backend, sizes, args.requests, sets, typed, real_vectors
        )
    print_table(all_results, sizes, args.requests)
    print(
        f"\nTotal time {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs."
    )


if __name__ == "__main__":
    main()
