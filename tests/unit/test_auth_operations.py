"""Account operations: creation, password policy, authentication, roles."""

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ideation.audit.models import AuditLog
from ideation.auth import operations
from ideation.auth.models import User
from ideation.auth.operations import (
    AccountError,
    authenticate,
    change_password,
    change_role,
    create_account,
    update_profile,
)
from ideation.auth.passwords import common_passwords, password_problem
from ideation.extensions import db
from ideation.shared.roles import Role
from tests.conftest import PASSWORD


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_account_normalizes_and_hashes(app):
    user = create_account("  Ana.Silva@Example.ORG ", "  Ana Silva ", PASSWORD)
    db.session.commit()

    assert user.email == "ana.silva@example.org"
    assert user.display_name == "Ana Silva"
    assert user.role == Role.CITIZEN.value
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)
    assert _count(AuditLog) == 0  # registering is not an official's action


def test_create_account_refuses_duplicate_email_in_any_case(app, make_user):
    make_user(email="ana@example.org")

    with pytest.raises(AccountError) as caught:
        create_account("ANA@example.org", "Another Ana", PASSWORD)

    assert caught.value.field == "email"
    assert "already exists" in str(caught.value)
    assert _count(User) == 1


def test_create_account_turns_a_unique_violation_race_into_a_clear_error(
    app, make_user, monkeypatch
):
    # The other request inserted the address after our check found nothing.
    make_user(email="ana@example.org")
    monkeypatch.setattr(operations, "find_user_by_email", lambda email: None)

    with pytest.raises(AccountError) as caught:
        create_account("ana@example.org", "Ana again", PASSWORD)

    assert caught.value.field == "email"
    # Only the savepoint was rolled back: the session still works.
    assert _count(User) == 1
    create_account("bruno@example.org", "Bruno", PASSWORD)
    db.session.commit()
    assert _count(User) == 2


def test_create_privileged_account_is_audited(app):
    user = create_account(
        "chief@example.org", "Chief", PASSWORD, role=Role.ADMIN, reason="first admin"
    )
    db.session.commit()

    entry = db.session.scalar(select(AuditLog))
    assert user.role == "admin"
    assert (entry.action, entry.target_id, entry.actor_id) == (
        "user.created",
        user.id,
        None,
    )
    assert entry.details == {"role": "admin"}
    assert entry.reason == "first admin"


@pytest.mark.parametrize(
    "email, name, field",
    [
        ("not-an-address", "Ana", "email"),
        ("ana@example.org", "   ", "display_name"),
        ("ana@example.org", "x" * 81, "display_name"),
    ],
)
def test_create_account_refuses_bad_input(app, email, name, field):
    with pytest.raises(AccountError) as caught:
        create_account(email, name, PASSWORD)
    assert caught.value.field == field
    assert _count(User) == 0


def test_common_password_list_is_shipped_and_read_whole():
    passwords = common_passwords()
    assert len(passwords) >= 1000
    assert {"password123", "qwertyuiop", "1234567890"} <= passwords
    # Passwords that start with "#" are data, the licence header is not.
    assert "#1stunna" in passwords
    assert not any("django software foundation" in p for p in passwords)
    assert common_passwords() is passwords  # read once


@pytest.mark.parametrize(
    "password, refused_because",
    [
        ("", "at least 10"),
        ("nine char", "at least 10"),
        ("Password123", "most common"),  # case does not hide a common password
        ("  QWERTYUIOP ", "most common"),
        ("x" * 257, "at most 256"),
    ],
)
def test_password_policy_refuses(app, password, refused_because):
    assert refused_because in password_problem(password)
    with pytest.raises(AccountError) as caught:
        create_account("ana@example.org", "Ana", password)
    assert caught.value.field == "password"
    assert _count(User) == 0


@pytest.mark.parametrize(
    "password", ["ten chars!", "no digits or capitals at all", "x" * 256]
)
def test_password_policy_has_no_composition_rules(app, password):
    assert password_problem(password) is None


def test_password_policy_reads_the_configuration(app):
    app.config["PASSWORD_MIN_LENGTH"] = 14
    assert "at least 14" in password_problem("thirteen char")
    assert password_problem("fourteen chars") is None


def test_authenticate(app, make_user):
    user = make_user(email="ana@example.org")

    assert authenticate("ana@example.org", PASSWORD) == user
    assert authenticate("  ANA@example.org ", PASSWORD) == user
    assert authenticate("ana@example.org", PASSWORD.upper()) is None
    assert authenticate("nobody@example.org", PASSWORD) is None


def test_authenticate_refuses_account_without_password(app, make_user):
    user = make_user(email="ana@example.org")
    user.password_hash = None
    db.session.commit()

    assert authenticate("ana@example.org", PASSWORD) is None


def test_change_password(app, make_user):
    user = make_user()

    change_password(user, PASSWORD, "a brand new passphrase")

    assert check_password_hash(user.password_hash, "a brand new passphrase")
    assert not check_password_hash(user.password_hash, PASSWORD)


@pytest.mark.parametrize(
    "current, new, field",
    [
        ("wrong current password", "a brand new passphrase", "current_password"),
        (PASSWORD, "short", "new_password"),
        (PASSWORD, "password123", "new_password"),
    ],
)
def test_change_password_refusals_keep_the_old_one(app, make_user, current, new, field):
    user = make_user()

    with pytest.raises(AccountError) as caught:
        change_password(user, current, new)

    assert caught.value.field == field
    assert check_password_hash(user.password_hash, PASSWORD)


def test_update_profile(app, make_user):
    user = make_user()

    update_profile(user, "  New Name ", "pt_BR")

    assert (user.display_name, user.locale) == ("New Name", "pt_BR")
    with pytest.raises(AccountError):
        update_profile(user, "New Name", "fr")
    assert user.locale == "pt_BR"


def test_change_role_is_audited(app, make_user):
    admin = make_user(Role.ADMIN)
    user = make_user()

    change_role(user, Role.OFFICIAL, admin, "  Runs the health secretariat  ")
    db.session.commit()

    assert user.role == "official"
    entry = db.session.scalar(select(AuditLog))
    assert entry.actor_id == admin.id
    assert entry.action == "user.role_changed"
    assert (entry.target_type, entry.target_id) == ("users", user.id)
    assert entry.reason == "Runs the health secretariat"
    assert entry.details == {"old": "citizen", "new": "official"}


@pytest.mark.parametrize(
    "role, reason, field",
    [
        (Role.OFFICIAL, "   ", "reason"),
        ("emperor", "why not", "role"),
        (Role.CITIZEN, "no change", "role"),
    ],
)
def test_change_role_refusals(app, make_user, role, reason, field):
    admin = make_user(Role.ADMIN)
    user = make_user()

    with pytest.raises(AccountError) as caught:
        change_role(user, role, admin, reason)

    assert caught.value.field == field
    assert user.role == "citizen"
    assert _count(AuditLog) == 0


def test_admin_cannot_demote_themselves(app, make_user):
    admin = make_user(Role.ADMIN)

    with pytest.raises(AccountError) as caught:
        change_role(admin, Role.OFFICIAL, admin, "stepping down")

    assert "own role" in str(caught.value)
    assert admin.role == "admin"
    assert _count(AuditLog) == 0


def test_admin_can_demote_another_admin(app, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)

    change_role(other, Role.MODERATOR, admin, "left the office")

    assert other.role == "moderator"
