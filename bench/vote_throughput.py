"""Throughput of the pairwise vote under gunicorn, next to a bare Flask insert.

    .venv/bin/python bench/vote_throughput.py [--backends sqlite,postgresql]
        [--levels 1,4,16] [--votes 40] [--workers 2] [--threads 4]

For each backend (a throwaway SQLite file; a throwaway PostgreSQL 16 server from the
pgserver package) it migrates an empty database (`flask db upgrade`), writes a
question in its voting phase with 40 proposals and one voter account per client,
then starts two servers with the same gunicorn settings on the same database:

- the app (APP_ENV=production, jobs left to a worker that is not started, so the
  score job only queues, as in production), and
- the reference: a minimal Flask app whose one view inserts one row through
  SQLAlchemy (with the app's SQLite set-up: WAL, busy timeout, BEGIN IMMEDIATE).

Each client is a thread with its own keep-alive HTTP connection (standard library),
signed in as its voter: it opens the vote page once, then answers the pair it was
given and takes the next from the JSON answer, as the page's script does, `--votes`
times. At each concurrency level of `--levels` the vote path and the reference run
the same number of requests; the script prints requests per second, p50 and p95
latency in milliseconds, errors (any answer but 200), and then checks in the
database that every accepted vote is in the `votes` table exactly once (and every
accepted reference insert in its table), and that no vote is there that no client
saw accepted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "a bench passphrase"
PROPOSALS = 40
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAIR = re.compile(r'action="(/questions/\d+/vote/\d+)"')


# -- the reference app (gunicorn loads it from this module) ---------------------------


def reference_app():
    """A minimal Flask app: POST /insert adds one row through SQLAlchemy."""
    from flask import Flask, jsonify
    from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert
    from sqlalchemy.orm import Session

    from ideation.shared.db import configure_sqlite

    app = Flask(__name__)
    engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
    configure_sqlite(engine)
    table = Table(
        "bench_reference",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("client", Integer, nullable=False),
        Column("n", Integer, nullable=False),
    )

    @app.post("/insert/<int:client>/<int:n>")
    def insert_row(client: int, n: int):
        with Session(engine) as session:
            session.execute(insert(table).values(client=client, n=n))
            session.commit()
        return jsonify(ok=True)

    return app


# -- setting up ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database(backend: str, workdir: Path):
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


def environment(url: str, workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="production",
        SECRET_KEY="bench-" + "x" * 40,
        DATABASE_URL=url,
        RATELIMIT_ALLOW_MEMORY="1",
        SESSION_COOKIE_SECURE="0",
        JOBS_MODE="manual",
        MAIL_BACKEND="file",
        MAIL_FILE_DIR=str(workdir / "mail"),
        FLASK_APP="ideation",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        # The limits are not what is measured here (tests check them).
        VOTE_LIMIT_PER_ACCOUNT="1000000 per minute",
        VOTE_LIMIT_PER_IP="1000000 per minute",
        LOGIN_LIMIT_PER_IP="1000000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT_AND_IP="1000000 per minute",
        PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )
    return env


def prepare(url: str, env: dict, voters: int) -> tuple[int, list[str]]:
    """Migrate, then a question in its voting phase and the voters; their e-mails."""
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from config import Config
    from ideation import create_app
    from ideation.auth.models import User
    from ideation.extensions import db
    from ideation.ideas.models import Idea
    from ideation.proposals.models import Phase, Proposal, ProposalIdea, QuestionCycle
    from ideation.questions.models import Question
    from ideation.shared.db import utcnow

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        JOBS_MODE = "manual"

    app = create_app(BenchConfig)
    with app.app_context():
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        official = User(
            email="official@bench.invalid",
            display_name="Official",
            role="official",
            password_hash=hashed,
        )
        db.session.add(official)
        question = Question(
            title="How can we improve access to public health?",
            status="published",
            author=official,
        )
        db.session.add(question)
        db.session.flush()
        for n in range(PROPOSALS):
            idea = Idea(question=question, author=official, title=f"Idea {n}")
            db.session.add(idea)
            db.session.flush()
            proposal = Proposal(
                question_id=question.id, title=f"Proposal {n}", body="Text."
            )
            db.session.add(proposal)
            db.session.flush()
            db.session.add(ProposalIdea(proposal_id=proposal.id, idea_id=idea.id))
        db.session.add(QuestionCycle(question_id=question.id, phase=Phase.VOTING))
        emails = [f"voter{n}@bench.invalid" for n in range(voters)]
        db.session.add_all(
            User(
                email=email,
                display_name=f"Voter {n}",
                role="citizen",
                password_hash=hashed,
                email_confirmed_at=utcnow(),
            )
            for n, email in enumerate(emails)
        )
        db.session.execute(
            text(
                "CREATE TABLE bench_reference (id INTEGER PRIMARY KEY"
                + (" GENERATED BY DEFAULT AS IDENTITY" if "postgresql" in url else "")
                + ", client INTEGER NOT NULL, n INTEGER NOT NULL)"
            )
        )
        db.session.commit()
        question_id = question.id
        db.engine.dispose()
    return question_id, emails


@contextmanager
def gunicorn(target: str, env: dict, workdir: Path, workers: int, threads: int):
    port = free_port()
    config = workdir / "gunicorn.empty.py"  # not the repository's: no model warm-up
    config.write_text("")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(config),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"},
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn {target} did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


# -- the clients -----------------------------------------------------------------------


class Client:
    """One keep-alive connection with its session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def reconnect(self) -> None:
        """A fresh connection: the server closes idle ones between levels."""
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method, path, form=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data.decode("utf-8", "replace")

    def log_in(self, email: str) -> None:
        _status, page = self.request("GET", "/login")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST",
            "/login",
            {"email": email, "password": PASSWORD, "csrf_token": token},
        )
        assert status == 302, f"login of {email}: {status}"


class Voter(Client):
    def start(self, question_id: int) -> None:
        status, page = self.request("GET", f"/questions/{question_id}/vote")
        assert status == 200, status
        self.token = CSRF.search(page).group(1)
        self.action = PAIR.search(page).group(1)
        self.accepted: list[int] = []

    def step(self, n: int) -> int:
        answer = ("first", "second", "undecided")[n % 3]
        status, body = self.request(
            "POST",
            self.action,
            {"answer": answer, "csrf_token": self.token},
            {"Accept": "application/json"},
        )
        if status == 200:
            self.accepted.append(int(self.action.rsplit("/", 1)[1]))
            following = json.loads(body)["next"]
            if following:
                self.action = following["action"]
        return status


class Inserter(Client):
    def __init__(self, port: int, number: int):
        super().__init__(port)
        self.number = number
        self.sent = 0
        self.accepted: list[int] = []

    def step(self, n: int) -> int:
        self.sent += 1  # unique per client over every level
        status, _ = self.request("POST", f"/insert/{self.number}/{self.sent}")
        if status == 200:
            self.accepted.append(self.sent)
        return status


def run_level(clients, requests_each: int) -> dict:
    """Every client sends `requests_each` requests, all at once; the figures."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def work(client):
        mine, codes = [], []
        barrier.wait()
        for n in range(requests_each):
            started = time.perf_counter()
            try:
                codes.append(client.step(n))
            except Exception:
                codes.append(0)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            statuses.extend(codes)

    for client in clients:
        client.reconnect()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(statuses) / elapsed,
        "p50": 1000 * statistics.median(latencies),
        "p95": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "errors": sum(1 for s in statuses if s != 200),
    }


def check_votes(url: str, voters: list[Voter]) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    accepted = [pair for voter in voters for pair in voter.accepted]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT pair_id FROM votes")).scalars().all()
    engine.dispose()
    stored = {}
    for pair_id in rows:
        stored[pair_id] = stored.get(pair_id, 0) + 1
    lost = [p for p in accepted if stored.get(p, 0) == 0]
    doubled = [p for p, n in stored.items() if n > 1]
    unseen = set(stored) - set(accepted)
    ok = not lost and not doubled and not unseen and len(rows) == len(accepted)
    return (
        f"{len(accepted)} accepted, {len(rows)} rows, {len(lost)} lost, "
        f"{len(doubled)} doubled, {len(unseen)} not seen accepted: "
        + ("OK" if ok else "MISMATCH")
    )


def check_reference(url: str, inserters: list[Inserter]) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT client, n FROM bench_reference")).all()
    engine.dispose()
    accepted = {(i.number, n) for i in inserters for n in i.accepted}
    stored = [tuple(row) for row in rows]
    ok = set(stored) == accepted and len(stored) == len(accepted)
    return f"{len(accepted)} accepted, {len(stored)} rows: " + (
        "OK" if ok else "MISMATCH"
    )


def bench_backend(backend: str, args) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"vote-bench-{backend}-"))
    try:
        with database(backend, workdir) as url:
            levels = [int(x) for x in args.levels.split(",")]
            env = environment(url, workdir)
            question_id, emails = prepare(url, env, max(levels))
            print(
                f"\n== {backend}: gunicorn --workers {args.workers} --threads "
                f"{args.threads}, {PROPOSALS} proposals, {args.votes} requests per "
                "client per level"
            )
            print(
                f"{'clients':>7} {'path':<10} {'req/s':>8} {'p50 ms':>8} "
                f"{'p95 ms':>8} {'errors':>6} {'ratio':>6}"
            )
            with (
                gunicorn("wsgi:app", env, workdir, args.workers, args.threads) as app,
                gunicorn(
                    "vote_throughput:reference_app()",
                    env,
                    workdir,
                    args.workers,
                    args.threads,
                ) as ref,
            ):
                voters = []
                for email in emails:
                    voter = Voter(app)
                    voter.log_in(email)
                    voter.start(question_id)
                    voters.append(voter)
                inserters = [Inserter(ref, n) for n in range(len(emails))]
                for level in levels:
                    vote = run_level(voters[:level], args.votes)
                    reference = run_level(inserters[:level], args.votes)
                    ratio = vote["rps"] / reference["rps"]
                    for name, figures, shown in (
                        ("vote", vote, f"{ratio:.2f}"),
                        ("reference", reference, ""),
                    ):
                        print(
                            f"{level:>7} {name:<10} {figures['rps']:>8.1f} "
                            f"{figures['p50']:>8.1f} {figures['p95']:>8.1f} "
                            f"{figures['errors']:>6} {shown:>6}"
                        )
                print("votes:    ", check_votes(url, voters))
                print("reference:", check_reference(url, inserters))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--votes", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        bench_backend(backend, args)


if __name__ == "__main__":
    main()
