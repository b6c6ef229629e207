"""The audit log viewer: admins only, newest first, filters, pages, links."""

import re
from datetime import UTC, datetime

import pytest

from ideation.audit.operations import record_action
from ideation.extensions import db
from ideation.shared.roles import Role
from tests.conftest import page_text


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def log(make_user, make_idea):
    """Five entries by two actors on three days; each reason is unique."""
    mara = make_user(Role.MODERATOR, name="Mara Moderator", email="mara@example.org")
    otto = make_user(Role.OFFICIAL, name="Otto Official", email="otto@example.org")
    idea = make_idea(title="Evening clinics")
    citizen = make_user(name="Carla Citizen")
    entries = [
        (mara, "idea.hidden", idea, "reason-alpha spam", at(1)),
        (mara, "user.blocked", citizen, "reason-bravo adverts", at(2, 9)),
        (otto, "idea.hidden", idea, "reason-charlie insults", at(2, 23)),
        (otto, "idea.restored", idea, "reason-delta mistake", at(3)),
        (None, "idea.auto_hidden", idea, "reason-echo", at(3, 13)),
    ]
    for actor, action, target, reason, when in entries:
        record_action(actor, action, target, reason, flags=2).created_at = when
    db.session.commit()
    return {"mara": mara, "otto": otto, "idea": idea, "citizen": citizen}


@pytest.fixture
def admin_client(client, make_user):
    client.login(make_user(Role.ADMIN, name="Ada Admin"))
    return client


def reasons(response) -> list[str]:
    """The reasons shown, in the order of the rows."""
    return re.findall(r"reason-(\w+)", page_text(response))


def test_admins_read_the_log_newest_first(admin_client, log):
    response = admin_client.get("/admin/audit")
    assert response.status_code == 200
    assert reasons(response) == ["echo", "delta", "charlie", "bravo", "alpha"]
    text = page_text(response)
    assert "Mara Moderator" in text and "mara@example.org" in text
    assert "The system or the command line" in text  # the automatic hide


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_others_may_not_read_it(client, make_user, log, role):
    client.login(make_user(role))
    assert client.get("/admin/audit").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, log):
    response = client.get("/admin/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_filter_by_action(admin_client, log):
    assert reasons(admin_client.get("/admin/audit?action=idea.hidden")) == [
        "charlie",
        "alpha",
    ]


def test_the_action_filter_offers_the_actions_in_the_log(admin_client, log):
    body = admin_client.get("/admin/audit").get_data(as_text=True)
    for action in ("idea.hidden", "idea.restored", "user.blocked", "idea.auto_hidden"):
        assert f'<option value="{action}">' in body


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("otto", ["delta", "charlie"]),
        ("MARA@EXAMPLE", ["bravo", "alpha"]),
        ("Moderator", ["bravo", "alpha"]),
        ("nobody", []),
    ],
)
def test_filter_by_actor_name_or_email(admin_client, log, actor, expected):
    assert reasons(admin_client.get(f"/admin/audit?actor={actor}")) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2025-03-02", ["echo", "delta", "charlie", "bravo"]),
        ("date_to=2025-03-02", ["charlie", "bravo", "alpha"]),
        ("date_from=2025-03-02&date_to=2025-03-02", ["charlie", "bravo"]),
        ("date_from=2025-03-04", []),
    ],
)
def test_filter_by_dates_both_ends_included(admin_client, log, query, expected):
    assert reasons(admin_client.get(f"/admin/audit?{query}")) == expected


def test_dates_are_days_of_the_site_time_zone(app, admin_client, log):
    app.extensions["babel"].default_timezone = "Asia/Tokyo"  # UTC+9
    # 3 March starts at 15:00 UTC on 2 March in Tokyo (not at 14:41, its local
    # mean time of 1887, which a naive replace(tzinfo=...) would take).
    record_action(
        log["mara"], "idea.hidden", log["idea"], "reason-early"
    ).created_at = at(2, 14).replace(minute=50)
    db.session.commit()
    assert reasons(admin_client.get("/admin/audit?date_from=2025-03-03")) == [
        "echo",
        "delta",
        "charlie",
    ]
    assert reasons(admin_client.get("/admin/audit?date_to=2025-03-02"))[0] == "early"


def test_filter_by_target_type_and_reason_text(admin_client, log):
    assert reasons(admin_client.get("/admin/audit?target_type=users")) == ["bravo"]
    assert reasons(admin_client.get("/admin/audit?text=INSULTS")) == ["charlie"]


def test_filters_combine(admin_client, log):
    response = admin_client.get("/admin/audit?action=idea.hidden&actor=otto")
    assert reasons(response) == ["charlie"]


def test_a_wrong_date_is_explained_and_not_applied(admin_client, log):
    response = admin_client.get("/admin/audit?date_from=yesterday&actor=mara")
    assert response.status_code == 200
    text = page_text(response)
    assert "Some filters could not be read and were not applied" in text
    assert "Not a valid date value." in text
    assert reasons(response) == ["bravo", "alpha"]  # the other filter still holds
    assert 'value="mara"' in response.get_data(as_text=True)  # nothing lost


def test_an_end_before_the_start_is_explained(admin_client, log):
    response = admin_client.get("/admin/audit?date_from=2025-03-03&date_to=2025-03-01")
    assert "The end date is before the start date." in page_text(response)


def test_pages_keep_the_filters(app, admin_client, log):
    app.config["AUDIT_LOG_PER_PAGE"] = 2
    first = admin_client.get("/admin/audit?actor=o")
    assert reasons(first) == ["delta", "charlie"]
    body = first.get_data(as_text=True)
    assert 'href="/admin/audit?page=2&amp;actor=o"' in body
    assert reasons(admin_client.get("/admin/audit?actor=o&page=2")) == [
        "bravo",
        "alpha",
    ]


def test_targets_link_to_their_pages(admin_client, log):
    body = admin_client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/ideas/{log["idea"].id}">Evening clinics</a>' in body
    citizen = log["citizen"]
    assert f'<a href="/admin/users?q={citizen.email}">Carla Citizen</a>' in body


def test_details_are_shown(admin_client, log):
    body = admin_client.get("/admin/audit?action=user.blocked").get_data(as_text=True)
    assert "<dt>flags</dt><dd>2</dd>" in body


def test_moderators_actions_reach_the_log(client, make_user, make_idea):
    """A hide through the queue is an entry an admin can find by action."""
    moderator = make_user(Role.MODERATOR, name="Mara Moderator")
    idea = make_idea()
    client.login(moderator)
    client.submit(
        f"/moderation/idea/{idea.id}/hide",
        data={f"hide-idea-{idea.id}-reason": "reason-foxtrot"},
    )
    admin = client.application.test_client()
    admin.login(make_user(Role.ADMIN))
    response = admin.get("/admin/audit?action=idea.hidden&actor=mara")
    assert reasons(response) == ["foxtrot"]


def test_actions_and_kinds_are_named_in_the_readers_language(client, make_user, log):
    client.login(make_user(Role.ADMIN, locale="pt_BR"))
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "Ocultada pela moderação" in body  # idea.hidden, named
    assert '<option value="idea.hidden">Ocultada pela moderação</option>' in body
    assert '<option value="ideas">Ideia</option>' in body  # the kind of target
    assert '<code class="meta">idea.hidden</code>' in body  # the code stays, to search


def test_admins_download_the_filtered_log_as_csv(admin_client, log):
    response = admin_client.get("/admin/audit/export.csv?action=idea.hidden")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # UTF-8 for spreadsheets
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith('"Time (UTC)","Done by"')
    assert len(lines) == 3  # the two hides, newest first
    assert "reason-charlie" in lines[1] and "reason-alpha" in lines[2]
    assert '"Hidden by a moderator","idea.hidden"' in lines[1]


def test_a_reason_typed_as_a_formula_stays_text_in_the_csv(admin_client, make_user):
    record_action(
        make_user(Role.MODERATOR), "user.blocked", make_user(), "=HYPERLINK(1)"
    )
    db.session.commit()
    text = admin_client.get("/admin/audit/export.csv").get_data(as_text=True)
    assert '"\'=HYPERLINK(1)"' in text


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_only_admins_download_it(client, make_user, log, role):
    client.login(make_user(role))
    assert client.get("/admin/audit/export.csv").status_code == 403
