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
from ideation.notifications.email import queue_email
from ideation.notifications.models import Notification
from ideation.notifications.outbox import EmailStatus, OutboxEmail
from ideation.shared.db import utcnow
from ideation.shared.errors import TokenError
from ideation.shared.personal_data import EXPORTERS, iso, rows_of
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
    """Everything the account wrote and did, for its owner: no password hash.

    The account, its notifications, e-mails and logins come from here; the
    sections of the other features from their exporters (shared/personal_data).
    """
    data = {"exported_at": iso(utcnow()), **personal_data(user)}
    for exporter in EXPORTERS.values():
        data.update(exporter(user))
    return data


def personal_data(user: User) -> dict:
    """The account itself, its notifications, the e-mails sent to it, its logins."""
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": str(user.role),
            "locale": user.locale,
            "created_at": iso(user.created_at),
            "email_confirmed_at": iso(user.email_confirmed_at),
            "email_preference": str(user.email_preference),
            "consent_at": iso(user.consent_at),
            "consent_version": user.consent_version,
            "blocked_at": iso(user.blocked_at),
            "blocked_reason": user.blocked_reason,
        },
        "notifications": [
            {
                "message": notification.message,
                "link": notification.link,
                "created_at": iso(notification.created_at),
                "read_at": iso(notification.read_at),
            }
            for notification in rows_of(Notification, Notification.user_id == user.id)
        ],
        "emails": [
            {
                "to": email.to_address,
                "subject": email.subject,
                "status": str(email.status),
                "created_at": iso(email.created_at),
                "sent_at": iso(email.sent_at),
            }
            for email in rows_of(OutboxEmail, OutboxEmail.user_id == user.id)
        ],
        "login_sessions": [
            {"created_at": iso(row.created_at), "last_seen_at": iso(row.last_seen_at)}
            for row in rows_of(LoginSession, LoginSession.user_id == user.id)
        ],
    }
