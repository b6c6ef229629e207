"""Account changes: create, authenticate, confirm the address, profile, password
(changed, or reset through an e-mailed link) and role."""

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ideation.audit.operations import record_action
from ideation.auth.events import log_event
from ideation.auth.login_sessions import end_login_sessions, open_login_session
from ideation.auth.models import User
from ideation.auth.passwords import hash_password, password_problem, verify_password
from ideation.auth.queries import find_user_by_email, normalize_email
from ideation.auth.tokens import make_confirmation_token, make_password_reset_token
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.notifications.email import queue_email
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import ROLE_RANK, Role
from ideation.shared.web import public_url_for

PASSWORD_RESET_JOB = "mail.password_reset"

DISPLAY_NAME_MAX = User.__table__.c.display_name.type.length
EMAIL_MAX = User.__table__.c.email.type.length


class AccountError(DomainError):
    """A refused account change; `field` names the form field it concerns."""


class EmailTaken(AccountError):
    """Another account has the address (said to administrators, never on the web)."""


def create_account(
    email: str,
    display_name: str,
    password: str,
    role: Role = Role.CITIZEN,
    reason: str = "",
    email_confirmed: bool = False,
    locale: str | None = None,
) -> User:
    """Add an account (web registration or `flask users create`); flushes.

    Unless `email_confirmed` (accounts made by an administrator), the address gets
    the e-mail with the link that confirms it, in the same transaction, written in
    `locale` (the language the visitor registered in).
    """
    email = normalize_email(email)
    _check_email(email)
    display_name = _checked_display_name(display_name)
    _check_password(password, field="password")
    if find_user_by_email(email) is not None:
        raise EmailTaken(_email_taken_message(), field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        role=Role(role).value,
        email_confirmed_at=utcnow() if email_confirmed else None,
        locale=locale if locale in current_app.config["LANGUAGES"] else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        # Another request registered the address between the check and the insert.
        raise EmailTaken(_email_taken_message(), field="email") from error
    if not email_confirmed:
        _queue_confirmation(user)
    if user.role != Role.CITIZEN.value:
        # Powerful accounts are born outside the web (CLI): keep a trace of them.
        record_action(None, "user.created", user, reason, role=user.role)
    return user


def register_account(
    email: str, display_name: str, password: str, locale: str | None = None
) -> User | None:
    """Registration on the web: the same answer whether or not the address has an
    account, so that nobody learns which addresses do.

    A new address gets its account (None is never returned for it) and the e-mail
    that confirms it; an address that has an account gets an e-mail to that
    account instead (someone tried to register with it; a link to choose a new
    password), and None. Both take the same work: a password hash and an e-mail.
    """
    try:
        return create_account(email, display_name, password, locale=locale)
    except EmailTaken:
        hash_password(password)  # as long as making the account would have taken
        owner = find_user_by_email(email)
        log_event("registration_with_a_taken_address", owner)
        _queue_registration_attempt(owner)
        return None


def authenticate(email: str, password: str) -> User | None:
    """The account these credentials open, or None (never says which was wrong)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def send_email_confirmation(user: User) -> None:
    """Send `user` a new link to confirm their address (unless it is confirmed)."""
    if user.email_confirmed_at is not None:
        raise AccountError(
            _("Your e-mail address %(email)s is already confirmed.", email=user.email)
        )
    _queue_confirmation(user)


def confirm_email(user: User) -> bool:
    """Mark `user`'s address confirmed; False if it already was (the link is reused)."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = utcnow()
    db.session.flush()
    return True


def request_password_reset(email: str) -> None:
    """Ask for the reset e-mail of the account with this address, if there is one.

    A job looks the account up and writes the e-mail, so this request takes the same
    time and gives the same answer whether or not the account exists.
    """
    jobs.enqueue(PASSWORD_RESET_JOB, {"email": normalize_email(email)[:EMAIL_MAX]})


@jobs.job(PASSWORD_RESET_JOB)
def send_password_reset(email: str) -> None:
    """Queue the e-mail with a link to choose a new password, if the account exists."""
    user = find_user_by_email(email)
    # An account without a password cannot log in (demo participants): a reset
    # link must not give it one.
    if user is None or user.password_hash is None:
        return
    token = make_password_reset_token(user)
    log_event("password_reset_mailed", user)
    queue_email(
        user,
        "auth.password_reset",
        _l("Choose a new password"),
        "password_reset",
        link=public_url_for("auth.reset_password", token=token),
        forgot_url=public_url_for("auth.forgot_password"),
        max_age=current_app.config["PASSWORD_RESET_MAX_AGE"],
        format_timedelta=format_timedelta,
    )


def reset_password(user: User, new_password: str) -> None:
    """Set the password chosen through an e-mailed link; the link then stops working,
    and so does every session of the account."""
    _check_password(new_password, field="new_password")
    user.password_hash = hash_password(new_password)
    # The link reached the mailbox: the address is its owner's, and whoever was
    # signed in (someone who registered the address, or knew the old password)
    # is no longer welcome.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    end_login_sessions(user)
    db.session.flush()


def update_profile(user: User, display_name: str, locale: str) -> None:
    """Change the account's display name and preferred language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Choose one of the offered languages."), field="locale")
    user.display_name = _checked_display_name(display_name)
    user.locale = locale


def change_password(user: User, current_password: str, new_password: str) -> str:
    """Replace the password, after checking the current one, and end every session
    of the account; the token of a new session for the browser that changed it."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(
            _("Your current password is not correct."), field="current_password"
        )
    _check_password(new_password, field="new_password")
    user.password_hash = hash_password(new_password)
    # The changing browser's own session is replaced too, so that a copy of its
    # cookie taken before the change dies with the others.
    end_login_sessions(user)
    return open_login_session(user)


def change_role(user: User, role: Role | str, actor: User | None, reason: str) -> None:
    """Give `user` another role, in the audit log; `actor` None is the CLI."""
    try:
        new_role = Role(role)
    except ValueError:
        raise AccountError(_("This role does not exist."), field="role") from None
    old_role = Role(user.role)
    if not reason.strip():
        raise AccountError(_("Give a reason for the change."), field="reason")
    if new_role is old_role:
        raise AccountError(
            _("%(name)s already has this role.", name=user.display_name), field="role"
        )
    if (
        actor is not None
        and actor.id == user.id
        and (ROLE_RANK[new_role] < ROLE_RANK[old_role])
    ):
        # Also keeps the last admin from locking everyone out of this page.
        raise AccountError(
            _("You cannot lower your own role. Ask another administrator."),
            field="role",
        )
    user.role = new_role
    record_action(
        actor,
        "user.role_changed",
        user,
        reason.strip(),
        old=old_role.value,
        new=new_role.value,
    )
    db.session.flush()


def _queue_confirmation(user: User) -> None:
    token = make_confirmation_token(user)
    queue_email(
        user,
        "auth.confirm_email",
        _l("Confirm your e-mail address"),
        "confirm_email",
        link=public_url_for("auth.confirm_email", token=token),
        resend_url=public_url_for("auth.resend_confirmation"),
        max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"],
        format_timedelta=format_timedelta,
    )


def _queue_registration_attempt(user: User | None) -> None:
    # An account without a password cannot log in (demo participants): a reset
    # link must not give it one.
    if user is None or user.password_hash is None:
        return
    queue_email(
        user,
        "auth.registration_attempt",
        _l("Someone tried to register with your e-mail address"),
        "registration_attempt",
        link=public_url_for(
            "auth.reset_password", token=make_password_reset_token(user)
        ),
        login_url=public_url_for("auth.login"),
        forgot_url=public_url_for("auth.forgot_password"),
        max_age=current_app.config["PASSWORD_RESET_MAX_AGE"],
        format_timedelta=format_timedelta,
    )


def _check_email(email: str) -> None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_("Enter a valid e-mail address."), field="email") from None
    if len(email) > EMAIL_MAX:
        raise AccountError(_("This e-mail address is too long."), field="email")


def _checked_display_name(display_name: str) -> str:
    display_name = display_name.strip()
    if not display_name:
        raise AccountError(_("Enter a display name."), field="display_name")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise AccountError(
            _("Use at most %(count)s characters.", count=DISPLAY_NAME_MAX),
            field="display_name",
        )
    return display_name


def _check_password(password: str, field: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, field=field)


def _email_taken_message() -> str:
    return _(
        "An account with this e-mail address already exists. "
        "Log in, or use another address."
    )
