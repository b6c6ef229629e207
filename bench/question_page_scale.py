"""How the question page's time grows with the question: 1,000 vs 100,000 ideas.

For each size, a throwaway SQLite file (or, with --postgres, a throwaway server
from the pgserver package) holds one question with that many listed ideas (bulk
inserted, random supports and dates); through the test client, one visitor asks
for the first page and for a page in the middle of the list (reached as the
pager's links reach it: by the cursor of the idea before it), for every sort.
Prints p50 and p95 per case and the ratio of the largest size to the smallest.

    .venv/bin/python bench/question_page_scale.py [--sizes 1000,100000]
        [--requests 30] [--postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.counting import recount_statement
from ideation.ideas.models import Idea, listed_idea, new_shuffle_key
from ideation.ideas.queries import SEED_SESSION_KEY, listing_order
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow

SORTS = ("random", "top", "new")


def bench_config(url: str):
    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = url
        PROPAGATE_EXCEPTIONS = True
        JOBS_MODE = "manual"
        EMBEDDING_MODEL = "fake"

    return BenchConfig


def fill(app, size: int) -> int:
    """A published question with `size` listed ideas; its id."""
    rng = random.Random(size)
    with app.app_context():
        db.create_all()
        now = utcnow()
        author = User(
            email="author@bench.invalid",
            display_name="Autora",
            password_hash="x",
            email_confirmed_at=now,
        )
        question = Question(
            title="Como melhorar a saúde?",
            context="**Conte** para nós.",
            status=QuestionStatus.PUBLISHED.value,
            published_at=now,
            author=author,
        )
        db.session.add_all([author, question])
        db.session.flush()
        for start in range(0, size, 10_000):
            db.session.execute(
                insert(Idea),
                [
                    {
                        "question_id": question.id,
                        "author_id": author.id,
                        "title": f"Ideia número {n}",
                        "description": "",
                        "support_count": int(rng.paretovariate(1.2)) - 1,
                        "created_at": now - timedelta(minutes=rng.randrange(10**6)),
                        "shuffle_key": new_shuffle_key(),
                    }
                    for n in range(start, min(size, start + 10_000))
                ],
            )
        db.session.execute(recount_statement(question.id))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # As autovacuum would after a bulk load: the planner's statistics.
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        return question.id


def middle_cursor(app, question_id: int, sort: str, seed: int) -> str:
    """The cursor of the idea just before the middle of the list, in `sort`."""
    with app.test_request_context():
        order = listing_order(sort, {SEED_SESSION_KEY: seed})
        stmt = select(Idea).where(Idea.question_id == question_id).where(listed_idea())
        total = db.session.get(Question, question_id).idea_count
        (before_middle,) = order.offset(stmt, total // 2 - 1, 1)
        return order.encode(before_middle)


def timings(client, url: str, requests: int) -> list[float]:
    samples = []
    for n in range(requests + 3):
        began = time.perf_counter()
        response = client.get(url)
        response.get_data()
        if response.status_code != 200:
            sys.exit(f"GET {url}: {response.status_code}")
        if n >= 3:
            samples.append((time.perf_counter() - began) * 1000)
    return samples


def measure(url: str, size: int, requests: int) -> dict:
    app = create_app(bench_config(url))
    question_id = fill(app, size)
    client = app.test_client()
    seed = 123_456_789
    with client.session_transaction() as session:
        session[SEED_SESSION_KEY] = seed
    results = {}
    for sort in SORTS:
        base = f"/questions/{question_id}?sort={sort}"
        cursor = middle_cursor(app, question_id, sort, seed)
        for where, page_url in (
            ("first page", base),
            ("middle page", f"{base}&page=2&after={cursor}"),
        ):
            samples = timings(client, page_url, requests)
            results[(sort, where)] = (
                statistics.median(samples),
                statistics.quantiles(samples, n=20)[18],
            )
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return results


@contextmanager
def databases(postgres: bool):
    with tempfile.TemporaryDirectory() as tmp:
        if not postgres:
            yield lambda size: f"sqlite:///{Path(tmp) / f'scale-{size}.db'}"
            return
        import pgserver

        server = pgserver.get_server(Path(tmp) / "pg", cleanup_mode="stop")

        def url(size: int) -> str:
            server.psql(f"CREATE DATABASE scale_{size};")
            uri = server.get_uri(f"scale_{size}")
            return uri.replace("postgresql://", "postgresql+psycopg://", 1)

        try:
            yield url
        finally:
            server.cleanup()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{backend}, {args.requests} timed requests per case, one client")
    with databases(args.postgres) as url_for_size:
        results = {
            size: measure(url_for_size(size), size, args.requests) for size in sizes
        }
    header = "".join(f" | {size:>7} p50 / p95 ms" for size in sizes)
    print(f"{'sort':<7} {'page':<12}{header} | p95 ratio")
    for key in results[sizes[0]]:
        cells = "".join(
            f" | {results[s][key][0]:>10.1f} / {results[s][key][1]:>6.1f}"
            for s in sizes
        )
        ratio = results[sizes[-1]][key][1] / results[sizes[0]][key][1]
        print(f"{key[0]:<7} {key[1]:<12}{cells} | {ratio:>8.2f}")


if __name__ == "__main__":
    main()
