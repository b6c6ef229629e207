"""Render time of the impact dashboard on the demo data, next to a bare Flask page.

Builds the app on a throwaway SQLite file (or an empty PostgreSQL database given with
--postgres), loads the Polis demo, then gives it what the demo lacks for the
dashboard's answer figures: every question an ideas phase that ended the day after
its last idea, and a first public response to every third idea (some on time, some
late). It times, through Flask's test client, the public dashboard (all questions,
per month and per week; one question), the officials' view and the site-wide
answer ledger, each computed afresh on every request (IMPACT_CACHE_SECONDS=0) and
with the figures cached as configured; and in the same run, a bare Flask app
rendering a one-line template, as the floor any page stands on.

    .venv/bin/python bench/dashboard_speed.py [--postgres URL] [--requests 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template_string
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, inspect, make_url, select

# Run as a script (`python bench/dashboard_speed.py`): make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.demo.loader import DEMO_PASSWORD, OFFICIAL_EMAIL, load_demo
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.questions.models import Question
from ideation.responses.models import IdeaResponse
from ideation.shared.roles import Role

WARMUP_REQUESTS = 3
TIMED_REQUESTS = 50
TARGET_MS = 200


def bench_config(database_uri: str, cache_seconds: int):
    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_uri
        PROPAGATE_EXCEPTIONS = True
        IMPACT_CACHE_SECONDS = cache_seconds
        # No job thread: nothing runs beside the timed requests, and nothing
        # polls the tables after they are dropped.
        JOBS_MODE = "manual"

    return BenchConfig


def prepare(app) -> tuple[list[int], dict[str, int]]:
    """Schema, demo, deadlines and responses; the question ids and row counts."""
    with app.app_context():
        db.create_all()
        report = load_demo(Path(app.config["DEMO_DATA_DIR"]))
        db.session.commit()
        print(f"Demo loaded in {report.seconds:.2f} s.")
        official = db.session.scalar(select(User).where(User.role == Role.OFFICIAL))
        for question in db.session.scalars(select(Question)):
            last = db.session.scalar(
                select(func.max(Idea.created_at)).where(Idea.question_id == question.id)
            )
            question.closes_at = last + timedelta(days=1)
        ideas = db.session.scalars(select(Idea).order_by(Idea.id)).all()
        for n, idea in enumerate(ideas):
            if n % 3 == 0 and idea.status == IdeaStatus.SUBMITTED:
                db.session.add(
                    IdeaResponse(
                        idea_id=idea.id,
                        status_from=IdeaStatus.SUBMITTED,
                        status_to=IdeaStatus.UNDER_REVIEW,
                        body="We are looking into it.",
                        department="Secretaria da Saúde",
                        actor_id=official.id if official else None,
                        created_at=idea.question.closes_at + timedelta(days=n % 60),
                    )
                )
                idea.status = IdeaStatus.UNDER_REVIEW
        db.session.commit()
        counts = {
            model.__tablename__: db.session.scalar(
                select(func.count()).select_from(model)
            )
            for model in (User, Question, Idea, Support, IdeaResponse)
        }
        ids = list(db.session.scalars(select(Question.id).order_by(Question.id)))
    return ids, counts


def official_client(app):
    """A test client signed in as the demo official through the real login form."""
    client = app.test_client()
    # The token Flask-WTF would have put in the login form (same secret and salt).
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", os.urandom(20).hex())
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    credentials = {"email": OFFICIAL_EMAIL, "password": DEMO_PASSWORD}
    response = client.post("/login", data={**credentials, "csrf_token": token})
    if response.status_code != 302:
        sys.exit(f"Signing in as {OFFICIAL_EMAIL} failed: {response.status_code}")
    return client


def time_page(client, url: str, warmup: int, timed: int) -> list[float]:
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


def bare_app() -> Flask:
    """The reference: a Flask app rendering a one-line template, nothing else."""
    app = Flask("bare")

    @app.get("/")
    def page():
        return render_template_string("<p>{{ text }}</p>", text="Hello")

    return app


def line(name: str, samples: list[float], reference: float) -> None:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=100)[94]
    print(f"{name:<44} {median:>9.1f} {p95:>8.1f} {median / reference:>9.0f}×")


def run(uri: str, warmup: int, timed: int, cached_seconds: int) -> None:
    fresh = create_app(bench_config(uri, 0))
    questions, counts = prepare(fresh)
    cached = create_app(bench_config(uri, cached_seconds))
    reference = statistics.median(
        time_page(bare_app().test_client(), "/", warmup, timed)
    )
    print(f"{warmup} warm-up + {timed} timed requests per case.\n")
    print(f"{'page':<44} {'median ms':>9} {'p95 ms':>8} {'vs bare':>10}")
    print(f"{'bare Flask page (reference)':<44} {reference:>9.2f}")
    cases = [
        ("dashboard, all questions, per month", "/impact/"),
        ("dashboard, all questions, per week", "/impact/?period=week"),
        (f"dashboard, question {questions[0]}", f"/impact/?question={questions[0]}"),
        ("answer ledger, all questions", "/answers"),
        (
            f"answer ledger, question {questions[0]}",
            f"/questions/{questions[0]}/answers",
        ),
    ]
    for label, app in (("computed", fresh), ("cached", cached)):
        client = app.test_client()
        for name, url in cases:
            line(f"{name} ({label})", time_page(client, url, warmup, timed), reference)
        samples = time_page(official_client(app), "/impact/official", warmup, timed)
        line(f"officials' view ({label})", samples, reference)
    print(f"\nTarget: the dashboard's median under {TARGET_MS} ms.")
    print("Rows: " + ", ".join(f"{table} {n}" for table, n in counts.items()))


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
    parser.add_argument(
        "--cache-seconds",
        type=int,
        default=DevelopmentConfig.IMPACT_CACHE_SECONDS,
        help="IMPACT_CACHE_SECONDS of the cached runs",
    )
    args = parser.parse_args(argv)
    if args.requests < 2 or args.warmup < 0:
        parser.error("--requests needs at least 2 (for a percentile), --warmup >= 0")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.postgres:
        url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        print(f"PostgreSQL: {make_url(url).render_as_string(hide_password=True)}")
        app = create_app(bench_config(url, 0))
        with app.app_context():
            if inspect(db.engine).get_table_names():
                sys.exit("The benchmark needs an empty database; this one has tables.")
        try:
            run(url, args.warmup, args.requests, args.cache_seconds)
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite: temporary file")
        run(
            f"sqlite:///{Path(tmp) / 'bench.db'}",
            args.warmup,
            args.requests,
            args.cache_seconds,
        )


if __name__ == "__main__":
    main()
