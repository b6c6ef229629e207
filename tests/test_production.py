"""The production set-up of README's "Production" section, run for real.

APP_ENV=production with a SECRET_KEY; `flask db upgrade` on an empty PostgreSQL
database; gunicorn with two workers and JOBS_MODE=manual; `flask jobs work` in a
process of its own; Redis (Debian's redis-server, started here) for the rate
limits; e-mail over SMTP to the suite's aiosmtpd server. Through HTTP, as a browser
behind the TLS proxy would (X-Forwarded-Proto: https, TRUSTED_PROXIES=1): an
official publishes a question and an idea; a citizen registers, logs in, confirms
the address by the e-mailed link, proposes an idea that the worker process embeds,
supports the official's idea, logs out, and a copy of the session cookie no longer
works.

It runs once, in the PostgreSQL pass, on a database of that pass's server. Every
process it starts is ended when it finishes, failed or not; their logs are printed
then (pytest shows them when the test fails).
"""

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import USES_POSTGRES

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(
        not USES_POSTGRES, reason="production runs on PostgreSQL: TEST_DB=postgresql"
    ),
]

ROOT = Path(__file__).resolve().parents[1]
REDIS_SERVER = "/usr/bin/redis-server"
# Generous: the worker loads the embedding model before its first embedding.
DEADLINE_SECONDS = 90
OFFICIAL = ("official@example.org", "an official's long passphrase")
CITIZEN = ("citizen@example.org", "a citizen's long passphrase")

# Settings of the developer's shell that would change what is tested here.
NOT_INHERITED = {
    "APP_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "RATELIMIT_ALLOW_MEMORY",
    "EMBEDDING_MODEL",
    "JOBS_MODE",
    "MAIL_BACKEND",
    "SESSION_COOKIE_SECURE",
    "FLASK_DEBUG",
    "TEST_DATABASE_URL",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, deadline: float = DEADLINE_SECONDS):
    """Poll `check` until it returns something true; fail after `deadline` s."""
    give_up = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > give_up:
            pytest.fail(f"gave up waiting for {what} after {deadline} s")
        time.sleep(0.2)


@contextlib.contextmanager
def process(name: str, argv: list[str], env: dict, logs: Path):
    """Run `argv` in a process group of its own; end the group on the way out."""
    log_path = logs / f"{name}.log"
    with open(log_path, "wb") as log:
        started = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield started
        finally:
            _end_group(started)
            tail = log_path.read_text(errors="replace").splitlines()[-40:]
            print(f"--- {name} (exit {started.returncode}) ---", *tail, sep="\n")


def _end_group(started: subprocess.Popen) -> None:
    # The group is the one this test made (start_new_session): gunicorn's master
    # and its workers, or one flask process.
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(started.pid, sig)
        try:
            started.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', self.text).group(1)


class Browser:
    """A browser reaching the app through the TLS proxy: X-Forwarded-Proto: https,
    a same-origin Referer (Flask-WTF checks it over HTTPS), its cookies (Secure ones
    too, since the browser's side of the proxy is HTTPS); no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Page:
        return self._request("GET", path)

    def submit(self, form_page: str, action: str, data: dict) -> Page:
        """Open the page with the form, then POST it with the page's CSRF token."""
        token = self.get(form_page).csrf_token()
        return self.post(action, {**data, "csrf_token": token})

    def post(self, path: str, data: dict) -> Page:
        return self._request("POST", path, data)

    def _request(self, method: str, path: str, form: dict | None = None) -> Page:
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "User-Agent": "production-test",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            self._keep(header)
        return page

    def _keep(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


@dataclass
class Site:
    port: int
    database_url: str
    redis_url: str
    logs: Path


def production_environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(settings)
    return env


def flask(env: dict, *args: str) -> str:
    """A `flask` command, to completion; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextlib.contextmanager
def redis_server(logs: Path):
    """A throwaway Redis on a free port, nothing saved to disk; its URL."""
    import redis

    if not os.path.exists(REDIS_SERVER):
        pytest.fail(
            f"{REDIS_SERVER} is missing: the production test needs Debian's "
            "redis-server (apt-get install redis-server; .ci/run installs it)."
        )
    port = free_port()
    argv = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1"]
    argv += ["--save", "", "--appendonly", "no", "--dir", str(logs)]
    with process("redis", argv, os.environ.copy(), logs):
        client = redis.Redis(port=port)

        def answers() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for("Redis", answers)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def site(empty_database_url, smtp_server, tmp_path):
    """README's production, started: yields where it listens."""
    port = free_port()
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(tmp_path))
        env = production_environment(
            APP_ENV="production",
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=empty_database_url,
            REDIS_URL=redis_url,
            TRUSTED_PROXIES="1",
            PUBLIC_URL=f"https://127.0.0.1:{port}",
            MAIL_SERVER=smtp_server.host,
            MAIL_PORT=str(smtp_server.port),
            MAIL_DEFAULT_SENDER="noreply@example.org",
            JOBS_MODE="manual",
            JOB_POLL_SECONDS="1",
            FLASK_APP="ideation",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            PYTHONUNBUFFERED="1",
        )
        flask(env, "db", "upgrade")
        email, password = OFFICIAL
        # README's first admin, as an official; the password is asked for there.
        flask(
            env,
            *("users", "create", "--email", email, "--name", "Official"),
            *("--role", "official", "--password", password),
        )
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2"]
        gunicorn += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
        web = stack.enter_context(process("gunicorn", gunicorn, env, tmp_path))
        worker = [sys.executable, "-m", "flask", "jobs", "work"]
        stack.enter_context(process("worker", worker, env, tmp_path))
        wait_for("gunicorn", lambda: _serving(port, web))
        smtp_server.messages.clear()
        yield Site(port, empty_database_url, redis_url, tmp_path)


def _serving(port: int, web: subprocess.Popen) -> bool:
    if web.poll() is not None:
        pytest.fail(f"gunicorn stopped (exit {web.returncode}): see its log below")
    try:
        return Browser(port).get("/").status == 200
    except OSError:
        return False


def log_in(browser: Browser, email: str, password: str) -> Page:
    return browser.submit("/login", "/login", {"email": email, "password": password})


def confirmation_path(smtp_server, to: str) -> str:
    """The path of the link in the confirmation e-mail, once the worker sent it."""

    def arrived():
        return [m for m in smtp_server.messages if m["To"] == to]

    [message] = wait_for(f"the e-mail to {to}", arrived)
    body = message.get_body(preferencelist=("plain",)).get_content()
    return urlsplit(re.search(r"https://\S+/confirm/\S+", body).group(0)).path


def new_idea(browser: Browser, question: str, title: str, description: str) -> str:
    """Propose an idea; the path of its page."""
    form = f"{question}/ideas/new"
    data = {"title": title, "description": description}
    page = browser.submit(form, form, data)
    if page.status == 200 and "similar-found" in page.text:
        # The model answered within its budget and, every idea here being read after
        # the question's title, found the other idea close: publish anyway, as the
        # citizen would.
        page = browser.submit(form, form, {**data, "confirmed_different": "1"})
    assert page.status == 302, page.text[-2000:]
    return page.location


def test_production(site, smtp_server):
    official = Browser(site.port)
    assert log_in(official, *OFFICIAL).location == "/"
    page = official.submit(
        "/questions/new",
        "/questions/new",
        {"title": "How should the state spend its road budget?", "context": ""},
    )
    preview = page.location  # /questions/<id>/preview
    question = preview.removesuffix("/preview")  # also the public page's path
    assert official.submit(preview, f"{question}/publish", {}).status == 302
    officials_idea = new_idea(
        official,
        question,
        "Repair potholes on rural roads first",
        "Farmers lose a day's harvest to broken axles.",
    )

    citizen = Browser(site.port)
    email, password = CITIZEN
    registered = citizen.submit(
        "/register",
        "/register",
        {
            "email": email,
            "display_name": "Citizen",
            "password": password,
            "password_confirm": password,
            "consent": "y",
        },
    )
    assert registered.location == "/login"  # the same answer for a taken address
    logged_in = log_in(citizen, email, password)
    assert logged_in.location == "/"
    (session_cookie,) = [
        h for h in logged_in.headers.get_all("Set-Cookie") if h.startswith("session=")
    ]
    attributes = {a.strip().split("=")[0].lower() for a in session_cookie.split(";")}
    assert {"secure", "httponly"} <= attributes
    assert "SameSite=Lax" in session_cookie
    # The security headers, as the production server sends them.
    home = citizen.get("/")
    assert "default-src 'self'" in home.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"]
    assert "max-age=" in home.headers["Strict-Transport-Security"]
    assert "no-store" in home.headers["Cache-Control"]  # a signed-in person's page

    confirmed = citizen.get(confirmation_path(smtp_server, email))
    assert confirmed.location == "/"
    assert "is confirmed" in citizen.get("/").text

    citizens_idea = new_idea(
        citizen,
        question,
        "Night buses between the towns of the valley",
        "Shift workers have no way home after ten.",
    )
    supported = citizen.submit(officials_idea, f"{officials_idea}/support", {})
    assert supported.status == 302

    engine = create_engine(site.database_url)
    try:
        idea_id = int(citizens_idea.rsplit("/", 1)[1])

        def embedded():
            with engine.connect() as conn:
                return conn.execute(
                    text("SELECT dimension FROM idea_embeddings WHERE idea_id = :id"),
                    {"id": idea_id},
                ).scalar()

        assert wait_for("the worker to embed the idea", embedded) == 384
        with engine.connect() as conn:
            supports = conn.execute(text("SELECT count(*) FROM supports")).scalar()
        assert supports == 1
    finally:
        engine.dispose()

    # The limits count in Redis, shared by both gunicorn workers.
    import redis

    with redis.Redis.from_url(site.redis_url) as counters:
        assert any(counters.scan_iter("LIMITS*"))

    copied = Browser(site.port)
    copied.cookies = dict(citizen.cookies)
    assert copied.get("/account").status == 200
    logged_out = citizen.submit("/", "/logout", {})
    assert logged_out.location == "/"
    assert copied.get("/account").location.startswith("/login")

    # Production pages: no debugger, CSRF enforced.
    missing = citizen.get("/no-such-page")
    assert missing.status == 404 and "Traceback" not in missing.text
    assert citizen.post("/logout", {}).status == 400

    gunicorn_log = (site.logs / "gunicorn.log").read_text()
    assert gunicorn_log.count("Booting worker") == 2
    assert "ran " in (site.logs / "worker.log").read_text()
