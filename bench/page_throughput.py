"""Throughput of the hot paths under gunicorn, next to bare Flask references.

For SQLite and for PostgreSQL (a throwaway server from the pgserver package), this
script migrates an empty database with `flask db upgrade`, fills it (a published
question with a Markdown context and 50 ideas, 128 citizens, an official), and starts
side by side with the production configuration:

- the app: `gunicorn --workers 2 wsgi:app` (sync workers), APP_ENV=production, a
  fresh 64-hex-character SECRET_KEY, JOBS_MODE=manual, rate limits counted in a
  redis-server started here (when /usr/bin/redis-server exists; else in memory with
  RATELIMIT_ALLOW_MEMORY, which the output says);
- the references (bench/throughput_reference.py, same gunicorn settings): a bare
  Flask view rendering a Jinja page of the same length as each app page with no
  database, and a bare Flask view inserting one row through SQLAlchemy into the same
  database.

A second process (this script with --load) then sends requests from 16 threads, each
on its own keep-alive http.client connection (gunicorn's sync workers close it after
each response; the thread reconnects), for --seconds per path, reference first, then
the app: the question page anonymous and signed in, the idea page, the shortlist
board (an official), and the support POST (CSRF token, JSON answer, each thread
cycling over 8 signed-in citizens and the 50 ideas). It prints req/s, p50, p95,
errors and the ratio of the app to its reference, then checks that every idea's
support count equals its support rows (and the question's idea count its ideas).

Two settings differ from a real deployment, on purpose, and the output says so:
SUPPORT_LIMIT_PER_ACCOUNT is raised (each citizen here supports faster than the
60-per-minute limit allows; the limit is still checked in Redis on every POST), and
EMBEDDING_MODEL=fake, so that no worker spends the run loading the model.

    .venv/bin/python bench/page_throughput.py [--seconds 10]
        [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

CONNECTIONS = 16
CITIZENS_PER_CONNECTION = 8
IDEAS = 50
PASSWORD = "throughput-password-123"
# Cheap to check at login (the stored hash names its own parameters): 128 logins
# before the load would otherwise take the production KDF a minute.
SEED_HASH_METHOD = "scrypt:1024:8:1"
REDIS_SERVER = "/usr/bin/redis-server"
RAISED_SUPPORT_LIMIT = "1000000 per minute"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


# ---------------------------------------------------------------- the load process


def load(spec: dict) -> dict:
    """Send the spec's requests from one thread per connection for `seconds`."""
    host, port = spec["host"], spec["port"]
    deadline_box = {}
    latencies: list[list[float]] = [[] for _ in spec["connections"]]
    errors = [0] * len(spec["connections"])
    samples = [""] * len(spec["connections"])
    start = threading.Barrier(len(spec["connections"]) + 1)

    def worker(index: int, requests: list[dict]) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        start.wait()
        deadline = deadline_box["deadline"]
        n = 0
        while time.perf_counter() < deadline:
            req = requests[n % len(requests)]
            n += 1
            began = time.perf_counter()
            try:
                conn.request(
                    req["method"],
                    req["path"],
                    body=req.get("body"),
                    headers=req["headers"],
                )
                response = conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                errors[index] += 1
                samples[index] = repr(error)
                continue
            latencies[index].append(time.perf_counter() - began)
            if response.status != req.get("expect", 200):
                errors[index] += 1
                samples[index] = f"{response.status} {data[:200]!r}"
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(i, reqs))
        for i, reqs in enumerate(spec["connections"])
    ]
    for thread in threads:
        thread.start()
    deadline_box["deadline"] = time.perf_counter() + spec["seconds"]
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    all_latencies = sorted(x for per in latencies for x in per)
    done = len(all_latencies)
    return {
        "requests": done,
        "rps": done / elapsed,
        "p50": statistics.median(all_latencies) * 1000 if done else float("nan"),
        "p95": (
            statistics.quantiles(all_latencies, n=100)[94] * 1000
            if done > 1
            else float("nan")
        ),
        "errors": sum(errors),
        "sample_error": next((s for s in samples if s), ""),
    }


def run_load(spec: dict) -> dict:
    """`load(spec)` in a second process, so the client does not share our GIL."""
    result = subprocess.run(
        [sys.executable, __file__, "--load"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


# ------------------------------------------------------------ HTTP from this process


class Browser:
    """One visitor: its cookies, over one http.client connection per request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def login(self, email: str) -> str:
        """Sign in through the login form; the CSRF token of the signed-in pages."""
        status, page = self.request("GET", "/login")
        token = CSRF_META.search(page)[1]
        form = {"email": email, "password": PASSWORD, "csrf_token": token}
        status, _ = self.request("POST", "/login", form)
        if status != 302:
            raise SystemExit(f"Signing in as {email} failed: {status}")
        status, page = self.request("GET", "/")
        return CSRF_META.search(page)[1]


# ------------------------------------------------------------------ servers and data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered on port {port} within {seconds} s")


@contextmanager
def process(args: list[str], env: dict, log: Path):
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def gunicorn(target: str, port: int, env: dict, log: Path, pythonpath=None):
    args = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if pythonpath:
        # Not the app's gunicorn.conf.py: the reference has no model to warm up.
        args += ["--pythonpath", str(pythonpath), "--config", os.devnull]
    return process([*args, target], env, log)


@contextmanager
def database(backend: str, tmp: Path):
    """An empty database of `backend`: its SQLAlchemy URL."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'throughput.db'}"
        return
    import pgserver

    server = pgserver.get_server(tmp / "pg", cleanup_mode="stop")
    server.psql("CREATE DATABASE throughput;")
    uri = server.get_uri("throughput")
    try:
        yield uri.replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        server.cleanup()


def app_env(database_url: str, redis_url: str | None, tmp: Path) -> dict:
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "JOBS_MODE": "manual",
        "FLASK_APP": "ideation",
        "EMBEDDING_MODEL": "fake",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(tmp / "mail"),
        "SUPPORT_LIMIT_PER_ACCOUNT": RAISED_SUPPORT_LIMIT,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["RATELIMIT_ALLOW_MEMORY"] = "1"
    return env


def seed(database_url: str) -> dict:
    """The question, its ideas and the people; their ids and e-mail addresses."""
    from profile_question_page import CONTEXT
    from werkzeug.security import generate_password_hash

    from config import DevelopmentConfig
    from ideation import create_app
    from ideation.auth.models import User
    from ideation.extensions import db
    from ideation.ideas.models import Idea
    from ideation.questions.models import Question, QuestionStatus
    from ideation.shared.db import utcnow

    class SeedConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_url
        JOBS_MODE = "manual"
        EMBEDDING_MODEL = "fake"

    app = create_app(SeedConfig)
    with app.app_context():
        password_hash = generate_password_hash(PASSWORD, method=SEED_HASH_METHOD)
        now = utcnow()

        def person(email, name, role="citizen"):
            return User(
                email=email,
                display_name=name,
                password_hash=password_hash,
                role=role,
                email_confirmed_at=now,
            )

        official = person("official@bench.invalid", "Official", "official")
        question = Question(
            title="Como podemos melhorar o acesso à saúde pública?",
            context=CONTEXT,
            status=QuestionStatus.PUBLISHED.value,
            published_at=now,
            author=official,
        )
        citizens = [
            person(f"citizen{n}@bench.invalid", f"Cidadã {n}")
            for n in range(CONNECTIONS * CITIZENS_PER_CONNECTION)
        ]
        ideas = [
            Idea(
                question=question,
                author=person(f"author{n}@bench.invalid", f"Autora {n}"),
                title=f"Postos de saúde abertos à noite no bairro {n}",
                description="Mais horários para quem trabalha de dia, e mais "
                "médicos nos fins de semana.",
            )
            for n in range(IDEAS)
        ]
        db.session.add_all([official, question, *citizens, *ideas])
        db.session.commit()
        seeded = {
            "question_id": question.id,
            "idea_ids": [idea.id for idea in ideas],
            "citizens": [c.email for c in citizens],
            "official": official.email,
        }
        db.session.remove()
        db.engine.dispose()
    return seeded


def check_counts(database_url: str) -> list[str]:
    """Counts that do not equal their rows (an empty list when all do)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    problems = []
    with engine.connect() as conn:
        drifted = conn.execute(
            text(
                "SELECT id, support_count, (SELECT count(*) FROM supports s"
                " WHERE s.idea_id = i.id) FROM ideas i"
                " WHERE support_count <> (SELECT count(*) FROM supports s"
                " WHERE s.idea_id = i.id)"
            )
        ).all()
        problems += [f"idea {i}: count {c}, rows {r}" for i, c, r in drifted]
        total = conn.execute(text("SELECT count(*) FROM supports")).scalar()
        columns = {c["name"] for c in inspect(conn).get_columns("questions")}
        if "idea_count" in columns:
            drifted = conn.execute(
                text(
                    "SELECT id, idea_count, (SELECT count(*) FROM ideas i"
                    " WHERE i.question_id = q.id AND i.status NOT IN"
                    " ('withdrawn', 'merged') AND i.hidden_at IS NULL)"
                    " FROM questions q"
                )
            ).all()
            problems += [
                f"question {q}: idea count {c}, listed ideas {r}"
                for q, c, r in drifted
                if c != r
            ]
    engine.dispose()
    print(f"  supports in the table after the run: {total}")
    return problems


# ----------------------------------------------------------------------- the rounds


def measure(backend: str, seconds: float, tmp: Path) -> list[tuple]:
    rows = []
    tmp.mkdir(parents=True)
    with database(backend, tmp) as url, redis(tmp) as redis_url:
        env = app_env(url, redis_url, tmp)
        subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        data = seed(url)
        app_port, ref_port = free_port(), free_port()
        with (
            gunicorn("wsgi:app", app_port, env, tmp / f"app-{backend}.log"),
            gunicorn(
                "throughput_reference:create_reference()",
                ref_port,
                env,
                tmp / f"ref-{backend}.log",
                pythonpath=BENCH,
            ),
        ):
            wait_for(app_port, "/")
            wait_for(ref_port, "/page")
            print(
                f"\n{backend}: app on :{app_port}, reference on :{ref_port}; "
                + (
                    "rate limits counted in redis-server"
                    if redis_url
                    else "rate limits in memory (no redis-server)"
                )
                + f"; SUPPORT_LIMIT_PER_ACCOUNT raised to {RAISED_SUPPORT_LIMIT}"
                "; EMBEDDING_MODEL=fake"
            )
            for name, app_spec, ref_spec in paths(data, app_port, ref_port):
                reference = run_load({**ref_spec, "seconds": seconds})
                result = run_load({**app_spec, "seconds": seconds})
                rows.append((backend, name, result, reference))
                print_row(rows[-1])
        problems = check_counts(url)
        print(
            "  counts equal their rows"
            if not problems
            else "  COUNTS DRIFTED: " + "; ".join(problems[:10])
        )
    return rows


@contextmanager
def redis(tmp: Path):
    if not Path(REDIS_SERVER).exists():
        yield None
        return
    port = free_port()
    args = [REDIS_SERVER, "--port", str(port), "--save", "", "--appendonly", "no"]
    args += ["--dir", str(tmp)]
    with process(args, dict(os.environ), tmp / "redis.log"):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"


def paths(data: dict, app_port: int, ref_port: int):
    """(name, app spec, reference spec) for every measured path."""
    question = f"/questions/{data['question_id']}"
    idea = f"/ideas/{data['idea_ids'][0]}"
    citizens = [Browser(app_port) for _ in data["citizens"]]
    emails = data["citizens"]
    tokens = [b.login(email) for b, email in zip(citizens, emails, strict=True)]
    official = Browser(app_port)
    official.login(data["official"])
    readers = citizens[:CONNECTIONS]

    def spec(port, per_connection):
        return {"host": "127.0.0.1", "port": port, "connections": per_connection}

    def get(path, browser=None):
        headers = {"Cookie": browser.cookie_header()} if browser else {}
        return [{"method": "GET", "path": path, "headers": headers}]

    def page_reference(path, browser, forms):
        size = len((browser or Browser(app_port)).request("GET", path)[1].encode())
        return spec(ref_port, [get(f"/page?bytes={size}&forms={forms}")] * CONNECTIONS)

    yield (
        "question page, anonymous",
        spec(app_port, [get(question)] * CONNECTIONS),
        page_reference(question, None, 0),
    )
    yield (
        "question page, signed in",
        spec(app_port, [get(question, b) for b in readers]),
        page_reference(question, readers[0], 1),
    )
    yield (
        "idea page, signed in",
        spec(app_port, [get(idea, b) for b in readers]),
        page_reference(idea, readers[0], 1),
    )
    board = f"{question}/board"
    yield (
        "shortlist board, official",
        spec(app_port, [get(board, official)] * CONNECTIONS),
        page_reference(board, official, 1),
    )
    supports = []
    for c in range(CONNECTIONS):
        group = range(c * CITIZENS_PER_CONNECTION, (c + 1) * CITIZENS_PER_CONNECTION)
        requests = []
        # Every (citizen, idea) pair once, then every support taken back: each
        # request changes a row and a count.
        for action in ("support", "unsupport"):
            for idea_id in data["idea_ids"]:
                for n in group:
                    requests.append(
                        {
                            "method": "POST",
                            "path": f"/ideas/{idea_id}/{action}",
                            "body": urllib.parse.urlencode({"csrf_token": tokens[n]}),
                            "headers": {
                                "Cookie": citizens[n].cookie_header(),
                                "Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/json",
                            },
                        }
                    )
        supports.append(requests)
    insert = [
        {
            "method": "POST",
            "path": "/insert",
            "body": "csrf_token=" + "x" * 91,
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        }
    ]
    yield (
        "support POST, 128 citizens",
        spec(app_port, supports),
        spec(ref_port, [insert] * CONNECTIONS),
    )


HEADER = (
    f"  {'path':<28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    f" | {'ref req/s':>9} {'ref p50':>7} | {'ratio':>5}"
)


def print_row(row) -> None:
    backend, name, app, ref = row
    if name.startswith("question page, anonymous"):
        print(HEADER)
    ratio = app["rps"] / ref["rps"] if ref["rps"] else float("nan")
    print(
        f"  {name:<28} {app['rps']:>7.1f} {app['p50']:>7.1f} {app['p95']:>7.1f}"
        f" {app['errors']:>6} | {ref['rps']:>9.1f} {ref['p50']:>7.1f} | {ratio:>5.2f}"
    )
    for label, result in (("app", app), ("reference", ref)):
        if result["errors"]:
            print(f"    {label} error sample: {result['sample_error']}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load:
        print(json.dumps(load(json.load(sys.stdin))))
        return
    print(
        f"{CONNECTIONS} connections, {args.seconds:g} s per path, reference first;"
        f" gunicorn 2 sync workers; {os.cpu_count()} CPUs;"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="throughput-"))
    try:
        for backend in args.backends.split(","):
            measure(backend, args.seconds, tmp / backend)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
