"""Fixtures: the app on a fresh database per test, a CSRF-aware client, factories.

The suite runs on SQLite by default and on PostgreSQL with TEST_DB=postgresql
(TEST_DATABASE_URL, or a throwaway server from the pgserver package).
"""

import contextvars
import email
import email.policy
import itertools
import os
import re
import socket
import uuid

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

from config import TestingConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role

PASSWORD = "correct horse battery staple"
USES_POSTGRES = os.environ.get("TEST_DB") == "postgresql"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if not USES_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    server.psql("CREATE DATABASE ideation_test;")
    uri = server.get_uri("ideation_test")
    yield uri.replace("postgresql://", "postgresql+psycopg://", 1)
    server.cleanup()


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database with no tables, of this pass's kind (migrations start from it)."""
    if not USES_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield (
        make_url(database_url).set(database=name).render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _config_for(url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # a real KDF, cheap enough for tests
        # Concurrency tests hold up to 48 connections at once; the default pool
        # has 15, and a request waiting for one would not race the others.
        SQLALCHEMY_ENGINE_OPTIONS = {
            **TestingConfig.SQLALCHEMY_ENGINE_OPTIONS,
            "pool_size": 30,
            "max_overflow": 30,
        }

    return Config


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(_config_for(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


def _empty_all_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(database_url, _schema, smtp_server):
    app = create_app(_config_for(database_url))
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port
    )
    smtp_server.messages.clear()
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


class _Inbox:
    """aiosmtpd handler: keeps every message the app delivers over SMTP."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on loopback; `.messages` holds what it received."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd cannot take port 0
        probe.bind(("127.0.0.1", 0))
        inbox.host, inbox.port = probe.getsockname()
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


class Client(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    Without this, a request would share the test's app context and database session,
    and a view that forgot to commit would still pass.
    """

    def open(self, *args, **kwargs):
        outermost = has_app_context()  # not when werkzeug follows a redirect
        if outermost:
            # The test's own transaction ends first, as a person's page view does
            # before they click: on SQLite it would hold a snapshot older than the
            # request's writes (and, after a CLI command, the write lock).
            fresh_transaction()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if outermost:
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """A valid CSRF token for this client's session (Flask-WTF's own format)."""
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        serializer = URLSafeTimedSerializer(
            self.application.secret_key, salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)

    def submit(self, url, data=None, **kwargs):
        """POST a form with its CSRF token, as the browser would."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def login(self, user, password=PASSWORD):
        response = self.submit(
            "/login", data={"email": user.email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


def fresh_transaction() -> None:
    """End the test's own transaction: what it writes next begins a new one. On
    SQLite, a transaction that has read cannot write once another connection (the
    browser tests' server) has committed since."""
    db.session.commit()


@pytest.fixture
def make_user(app):
    def make(
        role=Role.CITIZEN,
        email=None,
        name=None,
        password=PASSWORD,
        confirmed=True,
        **fields,
    ):
        n = next(_counter)
        fresh_transaction()
        if confirmed:
            fields.setdefault("email_confirmed_at", utcnow())
        user = User(
            email=email or f"user{n}@example.org",
            display_name=name or f"User {n}",
            password_hash=generate_password_hash(
                password, method=app.config["PASSWORD_HASH_METHOD"]
            ),
            role=getattr(role, "value", role),
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_question(app, make_user):
    def make(author=None, status=QuestionStatus.PUBLISHED, **fields):
        author = author or make_user(Role.OFFICIAL)
        fresh_transaction()
        fields.setdefault("title", "How can we improve access to public health?")
        fields.setdefault("context", "Tell us what would help **you**.")
        status = getattr(status, "value", status)
        question = Question(author=author, status=status, **fields)
        if status != QuestionStatus.DRAFT.value:
            question.published_at = utcnow()
        db.session.add(question)
        db.session.commit()
        return question

    return make


@pytest.fixture
def make_idea(app, make_user, make_question):
    def make(question=None, author=None, **fields):
        fields.setdefault("title", f"Idea number {next(_counter)}")
        fields.setdefault("description", "More clinics open in the evening.")
        question = question or make_question()
        author = author or make_user()
        fresh_transaction()
        idea = Idea(
            question=question,
            author=author,
            **fields,
        )
        db.session.add(idea)
        db.session.commit()
        return idea

    return make


def page_text(response) -> str:
    """The response body with tags stripped, for asserting on visible text."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
