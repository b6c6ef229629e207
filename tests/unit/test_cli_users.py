"""`flask users create` and `flask users set-role`."""

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ideation.audit.models import AuditLog
from ideation.auth.models import User
from ideation.auth.queries import find_user_by_email
from ideation.extensions import db
from ideation.shared.roles import Role
from tests.conftest import PASSWORD


def _create(runner, *extra, input=None):
    args = ["users", "create", "--email", " Chief@Example.org ", "--name", "Chief"]
    return runner.invoke(args=[*args, *extra], input=input)


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_admin_with_password_option(runner):
    result = _create(runner, "--role", "admin", "--password", PASSWORD)

    assert result.exit_code == 0, result.output
    assert "Created account chief@example.org (admin)." in result.output
    db.session.expire_all()
    user = find_user_by_email("chief@example.org")
    assert (user.role, user.display_name) == ("admin", "Chief")
    assert check_password_hash(user.password_hash, PASSWORD)
    entry = db.session.scalar(select(AuditLog))
    assert (entry.action, entry.target_id, entry.actor_id) == (
        "user.created",
        user.id,
        None,
    )


def test_create_prompts_for_hidden_password_with_confirmation(runner):
    result = _create(runner, input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert PASSWORD not in result.output  # not echoed
    db.session.expire_all()
    user = find_user_by_email("chief@example.org")
    assert user.role == "citizen"
    assert check_password_hash(user.password_hash, PASSWORD)


def test_create_refuses_mismatched_confirmation(runner):
    result = _create(runner, input=f"{PASSWORD}\n{PASSWORD}!\n")

    assert result.exit_code != 0
    assert "do not match" in result.output
    assert _users() == 0


def test_create_applies_the_password_policy(runner):
    short = _create(runner, "--password", "short")
    common = _create(runner, "--password", "Password123")

    assert short.exit_code == 1
    assert "Use at least 10 characters." in short.output
    assert common.exit_code == 1
    assert "one of the most common" in common.output
    assert _users() == 0


def test_create_refuses_duplicate_email(runner, make_user):
    make_user(email="chief@example.org")

    result = _create(runner, "--password", PASSWORD)

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert _users() == 1


def test_create_refuses_invalid_role_and_email(runner):
    bad_role = _create(runner, "--role", "governor", "--password", PASSWORD)
    bad_email = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "chief",
            "--name",
            "Chief",
            "--password",
            PASSWORD,
        ]
    )

    assert bad_role.exit_code == 2
    assert "'governor' is not one of" in bad_role.output
    assert bad_email.exit_code == 1
    assert "Enter a valid e-mail address." in bad_email.output
    assert _users() == 0


def test_set_role(runner, make_user):
    user = make_user(email="ana@example.org")

    result = runner.invoke(
        args=["users", "set-role", "ANA@example.org", "official", "--reason", "Hired"]
    )

    assert result.exit_code == 0, result.output
    assert "ana@example.org is now official." in result.output
    db.session.expire_all()
    assert user.role == "official"
    entry = db.session.scalar(select(AuditLog))
    assert entry.actor_id is None
    assert entry.reason == "Hired"
    assert entry.details == {"old": "citizen", "new": "official"}


def test_set_role_refusals(runner, make_user):
    make_user(Role.ADMIN, email="chief@example.org")

    unknown = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    bad_role = runner.invoke(args=["users", "set-role", "chief@example.org", "king"])
    same = runner.invoke(args=["users", "set-role", "chief@example.org", "admin"])

    assert unknown.exit_code == 1
    assert "No account has the e-mail address nobody@example.org." in unknown.output
    assert bad_role.exit_code == 2
    assert same.exit_code == 1
    assert "already has this role" in same.output
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0
