"""The outbox: e-mail is written in the caller's transaction and sent by a job."""

import pytest

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job
from ideation.notifications.email import queue_email
from ideation.notifications.outbox import EmailStatus, OutboxEmail
from ideation.shared.db import utcnow


@pytest.fixture
def template(app, tmp_path):
    """A mail template for the test, rendered from a folder of its own."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    folder = tmp_path / "templates" / "mail"
    folder.mkdir(parents=True)
    (folder / "hello.txt").write_text(
        "{{ _('Log in') }}, {{ user.display_name }} {{ link }}"
    )
    app.jinja_loader  # noqa: B018  (builds the app's loader before we wrap it)
    app.jinja_env.loader = ChoiceLoader(
        [app.jinja_env.loader, FileSystemLoader(str(tmp_path / "templates"))]
    )
    return "hello"


def test_email_is_sent_only_after_commit_and_arrives(
    app, make_user, template, smtp_server
):
    user = make_user(name="Ana Souza", email="ana@example.org")
    queue_email(user, "test.hello", "Hello", template, link="https://x.test/1")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(OutboxEmail.id))) == 0

    queue_email(user, "test.hello", "Hello", template, link="https://x.test/1")
    db.session.commit()
    assert smtp_server.messages == []  # nothing leaves inside the request
    jobs.run_pending()
    [message] = smtp_server.messages
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Hello"
    assert "Log in, Ana Souza https://x.test/1" in message.get_content()
    email = db.session.scalars(db.select(OutboxEmail)).one()
    assert email.status == EmailStatus.SENT.value and email.sent_at is not None


def test_email_is_rendered_in_the_recipients_language(
    app, make_user, template, smtp_server
):
    user = make_user(locale="pt_BR")
    queue_email(user, "test.hello", "Hello", template, link="")
    db.session.commit()
    jobs.run_pending()
    assert "Entrar" in smtp_server.messages[0].get_content()


def test_failed_delivery_is_kept_and_retried(app, make_user, template, smtp_server):
    user = make_user()
    queue_email(user, "test.hello", "Hello", template, link="")
    db.session.commit()
    port = app.config["MAIL_PORT"]
    with socket_closed() as closed_port:
        app.config["MAIL_PORT"] = closed_port
        jobs.run_pending()
    email = db.session.scalars(db.select(OutboxEmail)).one()
    assert email.status == EmailStatus.PENDING.value
    assert email.attempts == 1 and email.last_error
    job = db.session.scalars(db.select(Job)).one()
    assert job.status == "pending"  # the queue retries it later
    app.config["MAIL_PORT"] = port
    job.run_after = utcnow()
    db.session.commit()
    jobs.run_pending()
    db.session.refresh(email)
    assert email.status == EmailStatus.SENT.value
    assert len(smtp_server.messages) == 1


def test_file_backend_writes_eml(app, make_user, template, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "out"))
    queue_email(make_user(), "test.hello", "Hello", template, link="")
    db.session.commit()
    jobs.run_pending()
    [written] = list((tmp_path / "out").glob("*.eml"))
    assert b"Subject: Hello" in written.read_bytes()


class socket_closed:
    """A loopback port with nothing listening on it."""

    def __enter__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def __exit__(self, *exc):
        return False
