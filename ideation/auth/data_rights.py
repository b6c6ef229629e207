"""Citizens' data rights (Brazil's LGPD): the consent given at registration,
changing the e-mail address through a link sent to the new one, a copy of
everything an account wrote and did, and deleting the account.

Deleting an account keeps its `users` row, emptied of personal data: its ideas,
questions to the governor, supports, reports and invitations keep pointing at it,
so no foreign key blocks (ideas.author_id, governor_questions.author_id and
questions.author_id have no ON DELETE on purpose: an author row is never deleted)
and no count drifts. Supports stay as rows, so the support counts of ideas and
governor questions still equal their rows; once the account names nobody, a
support says nothing about a person.
"""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ideation.audit.operations import record_action
from ideation.auth.login_sessions import end_login_sessions
from ideation.auth.models import EmailPreference, LoginSession, User
from ideation.auth.operations import EMAIL_MAX, AccountError
from ideation.auth.passwords import verify_password
from ideation.auth.queries import find_user_by_email, normalize_email
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionSupport
from ideation.ideas.models import Idea, Support
from ideation.moderation.models import Flag
from ideation.notifications.email import queue_email
from ideation.notifications.models import Notification
from ideation.notifications.outbox import EmailStatus, OutboxEmail
from ideation.questions.models import Question
from ideation.sessions.models import DesignSession, Invitation
from ideation.shared.db import utcnow
from ideation.shared.errors import TokenError
from ideation.shared.roles import Role
from ideation.shared.signing import SignedLink
from ideation.shared.web import public_url_for

EMAIL_CHANGE = SignedLink("ideation.email-change", "EMAIL_CHANGE_MAX_AGE")
# Stored in place of a deleted account's name (shown translated: User.display_name).
DELETED_NAME = "Deleted account"


def record_consent(user: User) -> None:
    """Note that `user` accepted the privacy notice and terms in force now."""
    user.consent_at = utcnow()
    user.consent_version = current_app.config["PRIVACY_NOTICE_VERSION"]


def request_email_change(user: User, password: str, new_email: str) -> str:
    """E-mail the new address a link that moves the account to it; the address.

    When another account has the address nothing is sent, and the caller says the
    same as when it is sent: this page must not tell who is registered.
    """
    _check_password(user, password, field="current_password")
    new_email = normalize_email(new_email)
    try:
        validate_email(new_email, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(
            _("Enter a valid e-mail address."), field="new_email"
        ) from None
    if len(new_email) > EMAIL_MAX:
        raise AccountError(_("This e-mail address is too long."), field="new_email")
    if new_email == user.email:
        raise AccountError(
            _("This is already the address of your account."), field="new_email"
        )
    if find_user_by_email(new_email) is not None:
        return new_email
    token = EMAIL_CHANGE.make({"user": user.id, "old": user.email, "new": new_email})
    queue_email(
        user,
        "auth.email_change",
        _l("Confirm your new e-mail address"),
        "email_change",
        to_address=new_email,
        new_email=new_email,
        link=public_url_for("privacy.confirm_email_change", token=token),
        max_age=current_app.config["EMAIL_CHANGE_MAX_AGE"],
        format_timedelta=format_timedelta,
    )
    return new_email


def change_email(token: str) -> User:
    """Move the account to the address its link was sent to; the old address is
    told. Refused once the account's address changed since the link was made."""
    data = EMAIL_CHANGE.load(
        token,
        expired=_(
            "This link to change your e-mail address has expired. "
            "Ask for a new one from your account page."
        ),
        invalid=_(
            "This link to change your e-mail address is not valid. Check that you "
            "copied all of it, or ask for a new one."
        ),
    )
    user = db.session.get(User, data.get("user")) if "user" in data else None
    new_email = str(data.get("new", ""))
    if user is None or user.is_deleted or user.email != data.get("old"):
        raise TokenError(
            _(
                "This link to change your e-mail address has already been used, or "
                "the address changed since it was sent."
            )
        )
    taken = _(
        "Another account uses this e-mail address now: your address is unchanged."
    )
    if find_user_by_email(new_email) is not None:
        raise AccountError(taken)
    # Written before the change, so it goes to the old address.
    queue_email(
        user,
        "auth.email_changed",
        _l("Your e-mail address was changed"),
        "email_changed",
        new_email=new_email,
        privacy_url=public_url_for("privacy.privacy"),
    )
    try:
        with db.session.begin_nested():
            user.email = new_email
            # The link reached this mailbox: the new address is confirmed.
            user.email_confirmed_at = utcnow()
    except IntegrityError as error:
        raise AccountError(taken) from error
    return user


def delete_account(user: User, password: str) -> None:
    """Erase the account's personal data and end its sessions; its contributions
    stay, by a deleted account, and its supports stay counted. Audited."""
    _check_password(user, password, field="password")
    if Role(user.role) is not Role.CITIZEN:
        # Their decisions are in the audit log under this account.
        raise AccountError(
            _(
                "Accounts with a role cannot be deleted. Ask an administrator to "
                "make yours a citizen account first."
            )
        )
    record_action(user, "user.deleted", user)
    end_login_sessions(user)
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    _erase_emails(user)
    user.email = f"deleted-{user.id}"  # no "@": never an address, still unique
    user.display_name = DELETED_NAME
    user.password_hash = None
    user.locale = None
    user.email_confirmed_at = None
    user.email_preference = EmailPreference.OFF
    user.deleted_at = utcnow()
    db.session.flush()


def _erase_emails(user: User) -> None:
    # Unsent ones are dropped; sent ones stay as the record of what was sent,
    # without the address or the text (which greets the person by name).
    db.session.execute(
        delete(OutboxEmail).where(
            OutboxEmail.user_id == user.id, OutboxEmail.status != EmailStatus.SENT
        )
    )
    for email in db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.user_id == user.id)
    ):
        email.to_address = f"deleted-{user.id}"
        email.body_text = ""
        email.body_html = None


def _check_password(user: User, password: str, field: str) -> None:
    if not verify_password(user.password_hash, password):
        raise AccountError(_("Your current password is not correct."), field=field)


def export_account_data(user: User) -> dict:
    """Everything the account wrote and did, for its owner: no password hash."""
    return {
        "exported_at": _time(utcnow()),
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": str(user.role),
            "locale": user.locale,
            "created_at": _time(user.created_at),
            "email_confirmed_at": _time(user.email_confirmed_at),
            "email_preference": str(user.email_preference),
            "consent_at": _time(user.consent_at),
            "consent_version": user.consent_version,
            "blocked_at": _time(user.blocked_at),
            "blocked_reason": user.blocked_reason,
        },
        "ideas": [
            {
                "id": idea.id,
                "question_id": idea.question_id,
                "title": idea.title,
                "description": idea.description,
                "status": str(idea.status),
                "support_count": idea.support_count,
                "created_at": _time(idea.created_at),
                "updated_at": _time(idea.updated_at),
                "withdrawn_at": _time(idea.withdrawn_at),
                "hidden_at": _time(idea.hidden_at),
            }
            for idea in _rows(Idea, Idea.author_id == user.id)
        ],
        "idea_supports": [
            {"idea_id": support.idea_id, "created_at": _time(support.created_at)}
            for support in _rows(Support, Support.user_id == user.id)
        ],
        "governor_questions": [
            {
                "id": question.id,
                "title": question.title,
                "body": question.body,
                "status": str(question.status),
                "support_count": question.support_count,
                "created_at": _time(question.created_at),
                "answered_at": _time(question.answered_at),
                "hidden_at": _time(question.hidden_at),
            }
            for question in _rows(
                GovernorQuestion, GovernorQuestion.author_id == user.id
            )
        ],
        "governor_question_supports": [
            {"question_id": row.question_id, "created_at": _time(row.created_at)}
            for row in _rows(
                GovernorQuestionSupport, GovernorQuestionSupport.user_id == user.id
            )
        ],
        "consultation_questions": [
            {"id": question.id, "title": question.title}
            for question in _rows(Question, Question.author_id == user.id)
        ],
        "reports": [
            {
                "target_type": str(flag.target_type),
                "target_id": flag.target_id,
                "reason": str(flag.reason),
                "note": flag.note,
                "created_at": _time(flag.created_at),
                "resolved_at": _time(flag.resolved_at),
            }
            for flag in _rows(Flag, Flag.user_id == user.id)
        ],
        "notifications": [
            {
                "message": notification.message,
                "link": notification.link,
                "created_at": _time(notification.created_at),
                "read_at": _time(notification.read_at),
            }
            for notification in _rows(Notification, Notification.user_id == user.id)
        ],
        "session_invitations": [
            {
                "session_id": invitation.session_id,
                "session_title": db.session.get(
                    DesignSession, invitation.session_id
                ).title,
                "status": str(invitation.status),
                "responded_at": _time(invitation.responded_at),
                "attended": invitation.attended,
                "created_at": _time(invitation.created_at),
            }
            for invitation in _rows(Invitation, Invitation.user_id == user.id)
        ],
        "emails": [
            {
                "to": email.to_address,
                "subject": email.subject,
                "status": str(email.status),
                "created_at": _time(email.created_at),
                "sent_at": _time(email.sent_at),
            }
            for email in _rows(OutboxEmail, OutboxEmail.user_id == user.id)
        ],
        "login_sessions": [
            {
                "created_at": _time(row.created_at),
                "last_seen_at": _time(row.last_seen_at),
            }
            for row in _rows(LoginSession, LoginSession.user_id == user.id)
        ],
    }


def _rows(model, condition) -> list:
    return list(db.session.scalars(select(model).where(condition).order_by(model.id)))


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
