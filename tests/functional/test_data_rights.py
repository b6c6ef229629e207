"""Citizens' data rights: privacy notice and terms, consent at registration, change
of e-mail address, download of one's data, deletion of the account."""

import json
import re

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.auth.data_rights import EMAIL_CHANGE
from ideation.auth.models import LoginSession, User
from ideation.extensions import db
from ideation.governor.models import GovernorQuestionSupport
from ideation.ideas.models import Support
from ideation.ideas.operations import support_idea
from ideation.jobs import queue as jobs
from ideation.moderation.operations import flag_item
from ideation.notifications.models import Notification
from ideation.notifications.operations import notify
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import PASSWORD, page_text
from tests.helpers import create_governor_question

PUBLIC_URL = "https://participa.example.gov.br"
CHANGE_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/account/email/[\w.-]+)")


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# Privacy notice and terms


def test_privacy_page_shows_the_operators_text_and_the_dpo(app, client, tmp_path):
    (tmp_path / "privacy.en.md").write_text("Our **own** notice.", encoding="utf-8")
    app.config["PRIVACY_NOTICE_FILE"] = str(tmp_path / "privacy.{locale}.md")
    app.config["DPO_CONTACT"] = "Maria Souza, dpo@example.gov.br"
    html = client.get("/privacy").get_data(as_text=True)
    assert "Our <strong>own</strong> notice." in html
    assert "Maria Souza, dpo@example.gov.br" in html


def test_shipped_texts_exist_in_every_language(app, client):
    for language, words in (("pt_BR", "encarregado"), ("es", "encargado")):
        client.submit("/language", data={"language": language})
        assert words in page_text(client.get("/privacy"))
        assert client.get("/terms").status_code == 200


def test_a_missing_text_is_a_404_not_a_500(app, client, tmp_path):
    app.config["TERMS_FILE"] = str(tmp_path / "nothing.{locale}.md")
    assert client.get("/terms").status_code == 404


def test_footer_and_registration_link_the_notice_and_terms(client):
    html = client.get("/register").get_data(as_text=True)
    assert html.count('href="/privacy"') == 2  # the form and the footer
    assert html.count('href="/terms"') == 2


# Consent at registration


def _register_data(**changes):
    data = {
        "display_name": "Ana Silva",
        "email": "ana.silva@example.org",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }
    return {**data, **changes}


def test_registration_records_the_consent_and_its_version(app, client):
    app.config["PRIVACY_NOTICE_VERSION"] = "v7"
    assert client.submit("/register", data=_register_data()).status_code == 302
    user = db.session.scalar(select(User))
    assert user.consent_version == "v7"
    assert user.consent_at is not None


def test_registration_without_consent_is_refused_keeping_what_was_typed(client):
    data = _register_data()
    del data["consent"]
    response = client.submit("/register", data=data)
    assert response.status_code == 200
    assert "accept the privacy notice and terms" in page_text(response)
    assert 'value="ana.silva@example.org"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


# Change of e-mail address


def _ask_change(client, new_email, password=PASSWORD):
    return client.submit(
        "/account/email", data={"new_email": new_email, "current_password": password}
    )


def test_email_changes_only_when_the_link_to_the_new_address_is_opened(
    app, client, make_user, smtp_server
):
    user = make_user(email="old@example.org")
    client.login(user)
    response = _ask_change(client, "New@Example.org")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.org"
    jobs.run_pending()
    [message] = [m for m in smtp_server.messages if m["To"] == "new@example.org"]
    path = CHANGE_LINK.search(_body(message)).group(1)
    smtp_server.messages.clear()

    assert client.get(path).status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.org"
    assert user.email_confirmed
    jobs.run_pending()
    [notice] = smtp_server.messages
    assert notice["To"] == "old@example.org"
    assert "new@example.org" in _body(notice)
    # Used once: the account's address changed, so the link no longer works.
    client.get(path)
    db.session.refresh(user)
    assert user.email == "new@example.org"


def test_email_change_needs_the_current_password(client, make_user, smtp_server):
    user = make_user(email="old@example.org")
    client.login(user)
    response = _ask_change(client, "new@example.org", password="wrong password!")
    assert response.status_code == 200
    assert "Your current password is not correct." in page_text(response)
    assert 'value="new@example.org"' in response.get_data(as_text=True)
    jobs.run_pending()
    assert smtp_server.messages == []


def test_a_taken_address_gets_the_same_answer_and_no_email(
    client, make_user, smtp_server
):
    make_user(email="taken@example.org")
    user = make_user()
    client.login(user)
    taken = _ask_change(client, "taken@example.org")
    free = _ask_change(client, "free@example.org")
    assert taken.status_code == free.status_code == 302
    jobs.run_pending()
    assert [m["To"] for m in smtp_server.messages] == ["free@example.org"]


def test_a_link_for_an_address_taken_since_changes_nothing(app, client, make_user):
    user = make_user(email="old@example.org")
    with app.test_request_context():
        token = EMAIL_CHANGE.make(
            {"user": user.id, "old": user.email, "new": "late@example.org"}
        )
    make_user(email="late@example.org")
    assert client.get(f"/account/email/{token}").status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.org"


# Download my data


def _world(make_user, make_idea):
    owner = make_user(
        email="owner@example.org",
        name="Owner Person",
        consent_at=utcnow(),
        consent_version="v1",
    )
    other = make_user(email="other@example.org", name="Other Person")
    mine = make_idea(author=owner, title="Owner's idea about buses")
    theirs = make_idea(author=other, title="Other's idea about trains")
    support_idea(theirs, owner)
    support_idea(mine, other)
    create_governor_question(make_user, author=owner, title="Owner asks the governor")
    create_governor_question(make_user, author=other, title="Other asks the governor")
    flag_item(theirs, owner, "spam")
    notify([owner], "governor.answered.author", link="/", title="x")
    notify([other], "governor.answered.author", link="/", title="y")
    db.session.commit()
    return owner, other, mine, theirs


def test_download_has_the_accounts_data_and_never_anothers(
    client, make_user, make_idea
):
    owner, other, mine, theirs = _world(make_user, make_idea)
    client.login(owner)
    response = client.submit("/account/export")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "owner@example.org"
    assert "password_hash" not in json.dumps(data)
    assert [idea["title"] for idea in data["ideas"]] == [mine.title]
    assert [s["idea_id"] for s in data["idea_supports"]] == [theirs.id]
    assert [q["title"] for q in data["governor_questions"]] == [
        "Owner asks the governor"
    ]
    assert [r["target_id"] for r in data["reports"]] == [theirs.id]
    assert len(data["notifications"]) == 1
    assert len(data["login_sessions"]) == 1
    text = response.get_data(as_text=True)
    for foreign in ("other@example.org", "Other Person", "Other asks the governor"):
        assert foreign not in text


def test_download_is_a_post_with_csrf(client, make_user):
    client.login(make_user())
    assert client.post("/account/export").status_code == 400
    assert client.get("/account/export").status_code == 405


# Delete my account


def _delete(client, password=PASSWORD, confirm="y"):
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    return client.submit("/account/delete", data=data)


def test_deleted_account_is_erased_and_its_contributions_stay_anonymous(
    app, client, make_user, make_idea
):
    owner, other, mine, theirs = _world(make_user, make_idea)
    owner_id = owner.id
    client.login(owner)
    response = _delete(client)
    assert response.status_code == 302
    db.session.expire_all()

    user = db.session.get(User, owner_id)
    assert user.is_deleted
    assert "@" not in user.email
    assert user.password_hash is None
    assert user.locale is None
    assert user.consent_at is not None  # the record of the consent stays
    assert (
        db.session.scalar(
            select(func.count(LoginSession.id)).where(LoginSession.user_id == owner_id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == owner_id)
        )
        == 0
    )
    # The idea and the supports stay, and the counts still match the rows.
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.author_id == owner_id and mine.support_count == 1
    assert theirs.support_count == 1
    assert (
        db.session.scalar(
            select(func.count(Support.id)).where(Support.idea_id == theirs.id)
        )
        == 1
    )
    assert (
        db.session.scalar(select(func.count(GovernorQuestionSupport.id))) == 0
    )  # none were made; nothing appeared either
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.deleted"))
    assert entry.actor_id == owner_id and entry.target_id == owner_id

    # Signed out, and no name or address on the idea's public pages.
    assert client.get("/account").status_code == 302
    for url in (
        f"/ideas/{mine.id}",
        f"/questions/{mine.question_id}",
        "/governor/questions",
    ):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "Owner Person" not in html
        assert "owner@example.org" not in html
    assert "Deleted account" in page_text(client.get(f"/ideas/{mine.id}"))


def test_deleted_account_cannot_log_in(client, make_user):
    user = make_user(email="gone@example.org")
    client.login(user)
    _delete(client)
    response = client.submit(
        "/login", data={"email": "gone@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Wrong e-mail address or password." in page_text(response)


def test_deletion_ends_the_sessions_of_other_browsers(app, client, make_user):
    user = make_user()
    other_browser = app.test_client()
    other_browser.login(user)
    client.login(user)
    _delete(client)
    assert other_browser.get("/account").status_code == 302


@pytest.mark.parametrize(
    ("password", "confirm", "error"),
    [
        ("wrong password!", "y", "Your current password is not correct."),
        (PASSWORD, None, "Tick the box to confirm."),
    ],
)
def test_deletion_needs_the_password_and_the_tick(
    client, make_user, password, confirm, error
):
    user = make_user()
    client.login(user)
    response = _delete(client, password=password, confirm=confirm)
    assert response.status_code == 200
    assert error in page_text(response)
    db.session.refresh(user)
    assert not user.is_deleted


def test_accounts_with_a_role_cannot_delete_themselves(client, make_user):
    official = make_user(Role.OFFICIAL)
    client.login(official)
    response = _delete(client)
    assert response.status_code == 200
    assert "Accounts with a role cannot be deleted." in page_text(response)


def test_deleted_name_is_translated_at_display(app, client, make_user, make_idea):
    user = make_user()
    idea = make_idea(author=user)
    client.login(user)
    _delete(client)
    client.submit("/language", data={"language": "pt_BR"})
    assert "Conta excluída" in page_text(client.get(f"/ideas/{idea.id}"))
