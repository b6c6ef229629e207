"""Page speed of the question page on the demo data: median and p95 per case.

Builds the app on a throwaway SQLite file (or an empty PostgreSQL database given with
--postgres), loads the Polis demo, then times GET /questions/<id>?sort=... for every
demo question and sort, anonymous and signed in as the demo citizen, through Flask's
test client: no network, no web server, only the app and its database.

    .venv/bin/python bench/page_speed.py [--postgres URL] [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, inspect, make_url, select

# Run as a script (`python bench/page_speed.py`): make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.demo.loader import CITIZEN_EMAIL, DEMO_PASSWORD, load_demo
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.questions.models import Question

SORTS = ("top", "new", "random")
WARMUP_REQUESTS = 5
TIMED_REQUESTS = 100
P95 = 95


def bench_config(database_uri: str):
    """Development settings without debug, on the benchmark's own database."""

    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_uri
        # A failing page raises here instead of timing an error page.
        PROPAGATE_EXCEPTIONS = True

    return BenchConfig


def prepare(app) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Create the schema, load the demo; the questions to time and the row counts."""
    with app.app_context():
        db.create_all()
        report = load_demo(Path(app.config["DEMO_DATA_DIR"]))
        db.session.commit()
        print(f"Demo loaded in {report.seconds:.2f} s.")
        counts = {
            model.__tablename__: db.session.scalar(
                select(func.count()).select_from(model)
            )
            for model in (User, Question, Idea, Support)
        }
        citizen = select(User.id).where(User.email == CITIZEN_EMAIL).scalar_subquery()
        counts["supports by the demo citizen"] = db.session.scalar(
            select(func.count()).where(Support.user_id == citizen)
        )
        questions = [(c.tag, c.question_id) for c in report.conversations]
    return questions, counts


def require_empty_database(app) -> None:
    """Refuse a database that has tables: the benchmark drops its tables at the end."""
    with app.app_context():
        if inspect(db.engine).get_table_names():
            sys.exit("The benchmark needs an empty database; this one has tables.")


def signed_in_client(app):
    """A test client signed in as the demo citizen through the real login form."""
    client = app.test_client()
    # The token Flask-WTF would have put in the login form (same secret and salt).
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", os.urandom(20).hex())
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    credentials = {"email": CITIZEN_EMAIL, "password": DEMO_PASSWORD}
    response = client.post("/login", data={**credentials, "csrf_token": token})
    if response.status_code != 302:
        sys.exit(f"Signing in as {CITIZEN_EMAIL} failed: {response.status_code}")
    return client


def time_page(client, url: str, warmup: int, timed: int) -> list[float]:
    """Milliseconds per GET of `url`, after `warmup` untimed requests."""
    samples = []
    for n in range(warmup + timed):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"GET {url} gave {response.status_code}")
        if n >= warmup:
            samples.append(elapsed)
    return samples


def run(app, warmup: int, timed: int) -> None:
    """Time every (question, sort, user) case and print the table."""
    questions, counts = prepare(app)
    clients = {"anonymous": app.test_client(), "citizen": signed_in_client(app)}
    print(f"{warmup} warm-up + {timed} timed requests per case.\n")
    print(f"{'question':<14} {'sort':<7} {'user':<10} {'median ms':>10} {'p95 ms':>8}")
    for tag, question_id in questions:
        for sort in SORTS:
            for who, client in clients.items():
                url = f"/questions/{question_id}?sort={sort}"
                samples = time_page(client, url, warmup, timed)
                median = statistics.median(samples)
                p95 = statistics.quantiles(samples, n=100)[P95 - 1]
                print(f"{tag:<14} {sort:<7} {who:<10} {median:>10.1f} {p95:>8.1f}")
    print("\nRows: " + ", ".join(f"{table} {n}" for table, n in counts.items()))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="an empty PostgreSQL database to use instead of a temporary SQLite "
        "file; its tables are dropped at the end",
    )
    parser.add_argument("--requests", type=int, default=TIMED_REQUESTS)
    parser.add_argument("--warmup", type=int, default=WARMUP_REQUESTS)
    args = parser.parse_args(argv)
    if args.requests < 2 or args.warmup < 0:
        parser.error("--requests needs at least 2 (for a percentile), --warmup >= 0")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.postgres:
        url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        app = create_app(bench_config(url))
        print(f"PostgreSQL: {make_url(url).render_as_string(hide_password=True)}")
        require_empty_database(app)
        try:
            run(app, args.warmup, args.requests)
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
        return
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(bench_config(f"sqlite:///{Path(tmp) / 'bench.db'}"))
        print("SQLite: temporary file")
        run(app, args.warmup, args.requests)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
