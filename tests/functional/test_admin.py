"""The administrators' accounts page, through the client."""

import pytest
from sqlalchemy import select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.shared.roles import Role
from tests.conftest import page_text


def _role_data(client, user, role, reason="Works in the health secretariat"):
    prefix = f"user-{user.id}-"
    return {
        f"{prefix}role": getattr(role, "value", role),
        f"{prefix}reason": reason,
        f"{prefix}csrf_token": client.csrf_token(),
    }


def _audit_entries():
    return list(db.session.scalars(select(AuditLog)))


@pytest.fixture
def admin(client, make_user):
    admin = make_user(Role.ADMIN, name="Head Office")
    client.login(admin)
    return admin


def test_anonymous_is_sent_to_login(client, make_user):
    user = make_user()

    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/users"

    response = client.submit(f"/admin/users/{user.id}/role", data={})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_only_admins_may_enter(client, make_user, role):
    user = make_user(role)
    target = make_user()
    client.login(user)

    assert client.get("/admin/users").status_code == 403
    response = client.submit(
        f"/admin/users/{target.id}/role", data=_role_data(client, target, Role.ADMIN)
    )
    assert response.status_code == 403
    assert target.role == "citizen"
    assert user.role == role.value
    assert _audit_entries() == []


def test_list_shows_accounts_with_role_forms(client, admin, make_user):
    make_user(name="Ana Silva", email="ana@example.org")

    response = client.get("/admin/users")

    text = page_text(response)
    assert response.status_code == 200
    assert "Ana Silva" in text and "ana@example.org" in text
    assert "Head Office (you)" in text
    html = response.get_data(as_text=True)
    assert f'action="/admin/users/{admin.id}/role?page=1"' in html
    assert f'for="user-{admin.id}-reason"' in html  # labelled, unique per row
    assert html.count('id="csrf_token"') == 0


def test_list_is_paginated(client, app, admin, make_user):
    app.config["USERS_PER_PAGE"] = 2
    for n in range(4):
        make_user(name=f"Person {n}")

    first = page_text(client.get("/admin/users"))
    third = page_text(client.get("/admin/users?page=3"))

    # Sorted by name: Head Office, Person 0 | Person 1, Person 2 | Person 3.
    assert "Head Office" in first and "Person 0" in first
    assert "Person 1" not in first
    assert "Page 1 of 3" in first
    assert "Person 3" in third and "Person 2" not in third
    assert "5 accounts" in first


def test_search_by_name_or_email(client, admin, make_user):
    make_user(name="Ana Silva", email="ana@example.org")
    make_user(name="Bruno Costa", email="bruno@saude.rs.gov.br")
    make_user(name="100% Carla", email="carla@example.org")

    by_name = page_text(client.get("/admin/users?q=silva"))
    by_email = page_text(client.get("/admin/users?q=SAUDE.RS"))
    literal = page_text(client.get("/admin/users?q=100%25"))
    nothing = page_text(client.get("/admin/users?q=zzz"))

    assert "Ana Silva" in by_name and "Bruno Costa" not in by_name
    assert "Bruno Costa" in by_email and "Ana Silva" not in by_email
    assert "100% Carla" in literal and "Ana Silva" not in literal  # % is not a wildcard
    assert "No account matches this search." in nothing


def test_change_role(client, admin, make_user):
    user = make_user(name="Ana Silva")

    response = client.submit(
        f"/admin/users/{user.id}/role?q=ana&page=1",
        data=_role_data(client, user, Role.OFFICIAL, reason="Joined the health team"),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=ana&page=1"
    assert user.role == "official"
    (entry,) = _audit_entries()
    assert entry.actor_id == admin.id
    assert entry.action == "user.role_changed"
    assert entry.target_id == user.id
    assert entry.reason == "Joined the health team"
    assert entry.details == {"old": "citizen", "new": "official"}
    assert "Ana Silva is now: Official." in page_text(client.get("/admin/users"))


def test_change_role_needs_a_reason(client, admin, make_user):
    user = make_user(name="Ana Silva")

    response = client.submit(
        f"/admin/users/{user.id}/role",
        data=_role_data(client, user, Role.OFFICIAL, reason="  "),
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "Give a reason for the change." in text
    assert "The role of Ana Silva was not changed." in text
    assert f'id="user-{user.id}-reason-error"' in response.get_data(as_text=True)
    assert user.role == "citizen"
    assert _audit_entries() == []


def test_change_role_refuses_unknown_role(client, admin, make_user):
    user = make_user()

    response = client.submit(
        f"/admin/users/{user.id}/role", data=_role_data(client, user, "emperor")
    )

    assert response.status_code == 200
    assert "Not a valid choice" in page_text(response)
    assert user.role == "citizen"


def test_admin_cannot_demote_themselves(client, admin):
    response = client.submit(
        f"/admin/users/{admin.id}/role",
        data=_role_data(client, admin, Role.CITIZEN, reason="Leaving"),
    )

    assert response.status_code == 200
    assert "You cannot lower your own role" in page_text(response)
    assert admin.role == "admin"
    assert _audit_entries() == []
    assert client.get("/admin/users").status_code == 200


def test_change_role_of_unknown_user_is_404(client, admin):
    response = client.submit(
        "/admin/users/999999/role",
        data={"user-999999-role": "admin", "user-999999-reason": "x"},
    )
    assert response.status_code == 404


def test_change_role_needs_csrf(client, admin, make_user):
    user = make_user()
    data = _role_data(client, user, Role.ADMIN)
    del data[f"user-{user.id}-csrf_token"]

    assert client.post(f"/admin/users/{user.id}/role", data=data).status_code == 400
    assert user.role == "citizen"
