"""Queue e-mail in the caller's transaction; a job sends it, with retries."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from ideation.auth.models import User
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.notifications.backends import deliver
from ideation.notifications.outbox import EmailStatus, OutboxEmail
from ideation.notifications.unsubscribe import is_notification_email, unsubscribe_url
from ideation.shared.db import utcnow
from ideation.shared.text import one_line

SEND_JOB = "mail.send"
SUBJECT_MAX = OutboxEmail.__table__.c.subject.type.length


def queue_email(
    user: User,
    kind: str,
    subject: str,
    template: str,
    *,
    to_address: str | None = None,
    **context,
) -> OutboxEmail:
    """Write an e-mail to `user` into the outbox, rendered in their language.

    `template` names templates/mail/<template>.txt (and .html when it exists); they
    get `user` and `context`. It goes to the account's address unless `to_address`
    (an address the account is changing to). A job sends it after the commit.
    """
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        # A header holds one line: a line break from a title would make the
        # message impossible to send, every attempt.
        subject_text = one_line(str(subject))[:SUBJECT_MAX]
        body_text = render_template(f"mail/{template}.txt", user=user, **context)
        body_html = _render_optional(f"mail/{template}.html", user=user, **context)
    email = OutboxEmail(
        to_address=to_address or user.email,
        user_id=user.id,
        kind=kind,
        subject=subject_text,
        body_text=body_text,
        body_html=body_html,
    )
    db.session.add(email)
    db.session.flush()
    jobs.enqueue(SEND_JOB, {"email_id": email.id})
    return email


def _render_optional(name: str, **context) -> str | None:
    loader = current_app.jinja_env.loader
    if name not in loader.list_templates():
        return None
    return render_template(name, **context)


def build_message(email: OutboxEmail, config) -> EmailMessage:
    """The MIME message for an outbox row (plain text, with HTML when there is one)."""
    message = EmailMessage()
    message["Subject"] = one_line(email.subject)
    message["From"] = formataddr(
        (config["MAIL_SENDER_NAME"], config["MAIL_DEFAULT_SENDER"])
    )
    message["To"] = email.to_address
    message["Message-ID"] = make_msgid(
        idstring=f"outbox-{email.id}", domain=config["MAIL_MESSAGE_ID_DOMAIN"]
    )
    if email.user_id and is_notification_email(email.kind):
        message["List-Unsubscribe"] = f"<{unsubscribe_url(email.user_id)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    return message


@jobs.job(SEND_JOB)
def send_email(email_id: int) -> None:
    """Send one outbox e-mail; a failure raises, so the job queue retries it."""
    email = db.session.get(OutboxEmail, email_id, with_for_update=True)
    if email is None or email.status == EmailStatus.SENT.value:
        return  # sent by an earlier attempt that failed after delivery
    email.attempts += 1
    try:
        deliver(build_message(email, current_app.config), current_app.config)
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()  # keep the attempt count and error; the job retries
        raise
    email.status = EmailStatus.SENT
    email.sent_at = utcnow()
    email.last_error = ""
