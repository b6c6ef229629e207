"""Speed of the idea search and the open data API on the demo data, side by side
with the question page (the reference): median per case and its ratio to it.

Builds the app on a throwaway SQLite file (or an empty PostgreSQL database given with
--postgres), loads the Polis demo, then times through Flask's test client, anonymous:
GET /questions/<id>?sort=top (reference), /questions/<id>/search?q=<word> for a word
common in the question's ideas and for one accent-free Portuguese-style word,
/search?q=<word>, /api/v1/ideas?question_id=<id> and the question's CSV.

    .venv/bin/python bench/search_speed.py [--postgres URL] [--requests 50]
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import inspect, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from ideation import create_app
from ideation.demo.loader import load_demo
from ideation.extensions import db
from ideation.ideas.models import Idea

WARMUP = 3


def bench_config(database_uri: str):
    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_uri
        PROPAGATE_EXCEPTIONS = True
        RATELIMIT_ENABLED = False  # the API's limit would refuse a benchmark
        JOBS_MODE = "manual"  # no job thread writing while pages are timed

    return BenchConfig


def common_word(question_id: int) -> str:
    """The most frequent word of 5+ letters in the question's idea titles."""
    titles = db.session.scalars(
        select(Idea.title).where(Idea.question_id == question_id)
    )
    counts = collections.Counter(
        word for title in titles for word in re.findall(r"\w{5,}", title.lower())
    )
    return counts.most_common(1)[0][0] if counts else "saude"


def timed(client, url: str, requests: int) -> float:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        uri = args.postgres or f"sqlite:///{folder}/bench.db"
        app = create_app(bench_config(uri))
        with app.app_context():
            if inspect(db.engine).get_table_names():
                sys.exit("The benchmark needs an empty database; this one has tables.")
            db.create_all()
            report = load_demo(Path(app.config["DEMO_DATA_DIR"]))
            db.session.commit()
            cases = []
            for conversation in report.conversations:
                qid = conversation.question_id
                word = common_word(qid)
                cases.append((conversation.tag, qid, word))
        client = app.test_client()
        dialect = "postgresql" if args.postgres else "sqlite"
        print(f"{dialect}, {args.requests} requests per case, medians:")
        try:
            for tag, qid, word in cases:
                reference = timed(client, f"/questions/{qid}?sort=top", args.requests)
                print(f"\n{tag} (question {qid}), word {word!r}")
                print(f"  question page (reference)   {reference:7.2f} ms")
                for label, url in (
                    ("search in the question", f"/questions/{qid}/search?q={word}"),
                    ("search, two words", f"/questions/{qid}/search?q={word}+saude"),
                    ("search everywhere", f"/search?q={word}"),
                    ("API ideas page", f"/api/v1/ideas?question_id={qid}"),
                    ("API CSV of the question", f"/api/v1/questions/{qid}/ideas.csv"),
                ):
                    median = timed(client, url, args.requests)
                    print(f"  {label:28}{median:7.2f} ms  x{median / reference:.2f}")
        finally:
            with app.app_context():
                db.drop_all()


if __name__ == "__main__":
    main()
