"""Moderation through the client: reports, hidden items, the queue, blocked accounts."""

import re

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion, GovernorQuestionSupport
from ideation.ideas.models import Idea, Support
from ideation.moderation.models import Flag
from ideation.moderation.operations import block_user, flag_item, hide_item
from ideation.shared.roles import Role
from tests.conftest import page_text
from tests.helpers import create_governor_question, flashes

REASON = "Advertises a private pharmacy; nothing to do with the question."
STAFF = (Role.MODERATOR, Role.OFFICIAL, Role.ADMIN)
MISSING_REASON = {
    "hide": "Give the public reason for hiding it.",
    "restore": "Give the public reason for restoring it.",
}


def rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def open_flags(item) -> int:
    return rows(Flag, Flag.target_id == item.id, Flag.resolved_at.is_(None))


def signed_in(app, user):
    """A new browser, logged in as `user`."""
    other = app.test_client()
    other.login(user)
    return other


@pytest.fixture
def idea(make_idea, make_user):
    return make_idea(
        title="Cheap pills at PharmaPlus",
        description="Call 555-0100 for discounts.",
        author=make_user(name="Paulo Author"),
    )


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR, name="Mara Moderator")


def report(make_user, item, count: int, reason: str = "spam") -> list:
    users = [make_user() for _ in range(count)]
    for user in users:
        flag_item(item, user, reason)
    db.session.commit()
    return users


def hide(item, moderator, reason=REASON):
    hide_item(item, moderator, reason)
    db.session.commit()


# ---- Reporting ----


def test_the_idea_page_links_to_the_report_form(client, idea, make_user):
    client.login(make_user())
    body = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/flag/idea/{idea.id}">Report to the moderators</a>' in body
    form = client.get(f"/flag/idea/{idea.id}").get_data(as_text=True)
    assert f'action="/flag/idea/{idea.id}"' in form
    assert 'type="radio"' in form and 'value="off_topic"' in form


def test_the_author_is_not_offered_the_report_form(client, idea):
    client.login(idea.author)
    assert "Report to the moderators" not in page_text(client.get(f"/ideas/{idea.id}"))


def test_report_an_idea(client, idea, make_user):
    citizen = make_user()
    client.login(citizen)
    response = client.submit(
        f"/flag/idea/{idea.id}", data={"reason": "spam", "note": " Phone number. "}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert ("success", "Thank you: the moderators will look at your report.") in (
        flashes(client)
    )
    flag = db.session.scalars(select(Flag)).one()
    assert (flag.target_type, flag.target_id, flag.user_id, flag.reason, flag.note) == (
        "idea",
        idea.id,
        citizen.id,
        "spam",
        "Phone number.",
    )
    assert "You reported this" in page_text(client.get(f"/ideas/{idea.id}"))


def test_report_a_question_to_the_governor(client, make_user):
    question = create_governor_question(make_user)
    client.login(make_user())
    page = client.get(f"/governor/questions/{question.id}").get_data(as_text=True)
    assert f'href="/flag/governor_question/{question.id}"' in page
    response = client.submit(
        f"/flag/governor_question/{question.id}", data={"reason": "offensive"}
    )
    assert response.headers["Location"] == f"/governor/questions/{question.id}"
    assert rows(Flag, Flag.target_type == "governor_question") == 1


def test_the_report_page_works_without_javascript(client, idea, make_user):
    client.login(make_user())
    response = client.get(f"/flag/idea/{idea.id}")
    assert response.status_code == 200
    assert "Why should the moderators look at it?" in page_text(response)


def test_anonymous_visitors_are_sent_to_log_in(client, idea):
    response = client.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert rows(Flag) == 0
    assert "Report to the moderators" not in page_text(client.get(f"/ideas/{idea.id}"))


def test_a_second_report_is_refused_with_a_message(client, idea, make_user):
    client.login(make_user())
    client.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    response = client.submit(f"/flag/idea/{idea.id}", data={"reason": "offensive"})
    assert response.status_code == 302
    assert (
        "info",
        "You have already reported this idea. The moderators will look at it.",
    ) in flashes(client)
    assert rows(Flag) == 1
    assert db.session.scalars(select(Flag.reason)).one() == "spam"


def test_other_without_a_note_keeps_the_form(client, idea, make_user):
    client.login(make_user())
    response = client.submit(f"/flag/idea/{idea.id}", data={"reason": "other"})
    assert response.status_code == 200
    assert "Say in a few words what is wrong" in page_text(response)
    assert re.search(
        r'<input checked[^>]*value="other"', response.get_data(as_text=True)
    )
    assert rows(Flag) == 0


def test_a_too_long_note_is_refused_and_kept(app, client, idea, make_user):
    app.config["FLAG_NOTE_MAX"] = 10
    client.login(make_user())
    response = client.submit(
        f"/flag/idea/{idea.id}", data={"reason": "spam", "note": "Eleven char"}
    )
    assert response.status_code == 200
    assert "Use at most 10 characters" in page_text(response)
    assert "Eleven char</textarea>" in response.get_data(as_text=True)
    assert rows(Flag) == 0


def test_without_a_reason_the_form_says_so(client, idea, make_user):
    client.login(make_user())
    response = client.submit(f"/flag/idea/{idea.id}", data={"note": "Bad"})
    assert response.status_code == 200
    assert "Choose why you report it." in page_text(response)
    assert "Bad</textarea>" in response.get_data(as_text=True)
    assert rows(Flag) == 0


def test_the_author_cannot_report_their_own_idea(client, idea):
    client.login(idea.author)
    response = client.submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    assert response.status_code == 200
    assert "You cannot report your own idea." in page_text(response)
    assert rows(Flag) == 0


def test_an_unknown_target_is_not_found(client, idea, make_user):
    client.login(make_user())
    assert client.get(f"/flag/comment/{idea.id}").status_code == 404
    assert client.get("/flag/idea/999999").status_code == 404


def test_three_reports_hide_the_idea(app, client, idea, make_user):
    for user in (make_user(), make_user(), make_user()):
        signed_in(app, user).submit(f"/flag/idea/{idea.id}", data={"reason": "spam"})
    db.session.refresh(idea)
    assert idea.hidden_at is not None and idea.hidden_reason is None
    assert "hidden pending review" in page_text(client.get(f"/ideas/{idea.id}"))


# ---- Hidden items ----


def test_a_hidden_idea_is_not_listed(client, idea, make_idea, moderator):
    visible = make_idea(question=idea.question, title="Evening clinics")
    hide(idea, moderator)
    text = page_text(client.get(f"/questions/{idea.question_id}"))
    assert visible.title in text
    assert idea.title not in text


def test_the_public_sees_only_the_notice(app, client, idea, make_user, moderator):
    hide(idea, moderator)
    for visitor in (client, signed_in(app, make_user())):
        response = visitor.get(f"/ideas/{idea.id}")
        assert response.status_code == 200
        text = page_text(response)
        assert f"This idea was hidden by the moderators: {REASON}" in text
        assert idea.title not in text and idea.description not in text
        assert "Paulo Author" not in text


def test_pending_review_says_so(app, client, idea, make_user):
    app.config["FLAGS_TO_HIDE"] = 1
    report(make_user, idea, 1)
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert "This idea is hidden pending review." in text
    assert idea.title not in text


@pytest.mark.parametrize("role", STAFF)
def test_moderators_see_the_hidden_content(client, idea, make_user, moderator, role):
    hide(idea, moderator)
    client.login(make_user(role))
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert idea.title in text and idea.description in text
    assert REASON in text


def test_the_author_sees_their_hidden_idea(client, idea, moderator):
    hide(idea, moderator)
    client.login(idea.author)
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert idea.title in text and REASON in text
    assert "Only its author and the moderators can read what follows." in text


def test_a_hidden_idea_cannot_be_supported(client, idea, make_user, moderator):
    hide(idea, moderator)
    client.login(make_user())
    assert "Support" not in page_text(client.get(f"/ideas/{idea.id}"))
    response = client.submit(f"/ideas/{idea.id}/support")
    assert response.status_code == 302
    assert (
        "error",
        "This idea is hidden by the moderators: supports are not accepted.",
    ) in flashes(client)
    assert rows(Support) == 0


def test_a_hidden_question_is_not_listed_and_shows_a_notice(
    client, make_user, moderator
):
    question = create_governor_question(make_user, title="Buy cheap watches here")
    hide(question, moderator)
    assert question.title not in page_text(client.get("/governor/questions"))
    text = page_text(client.get(f"/governor/questions/{question.id}"))
    assert f"This question was hidden by the moderators: {REASON}" in text
    assert question.title not in text and question.body not in text


def test_a_hidden_question_cannot_be_supported(client, make_user, moderator):
    question = create_governor_question(make_user)
    hide(question, moderator)
    client.login(make_user())
    client.submit(f"/governor/questions/{question.id}/support")
    assert rows(GovernorQuestionSupport) == 0
    assert db.session.get(GovernorQuestion, question.id).support_count == 0


# ---- The queue ----


@pytest.mark.parametrize("role", STAFF)
def test_the_queue_is_open_to_moderators_and_up(client, make_user, role):
    client.login(make_user(role))
    response = client.get("/moderation")
    assert response.status_code == 200
    assert "Nothing to review" in page_text(response)


def test_the_queue_is_closed_to_citizens(client, make_user):
    client.login(make_user())
    assert client.get("/moderation").status_code == 403


def test_the_queue_lists_the_most_reported_first(
    client, make_idea, make_user, moderator
):
    once = make_idea(title="Reported once")
    twice = make_idea(title="Reported twice")
    report(make_user, once, 1)
    [first, _] = report(make_user, twice, 2, reason="off_topic")
    flag_item(make_idea(title="Reported, then dismissed"), make_user(), "spam")
    question = create_governor_question(make_user, title="Question reported once")
    flag_item(question, first, "other", "Written in capitals only.")
    db.session.commit()
    client.login(moderator)
    text = page_text(client.get("/moderation"))
    assert "4 items to review" in text
    assert text.index("Reported twice") < text.index("Reported once")
    assert "Off-topic: not about this question: 2" in text
    assert "Written in capitals only." in text
    assert first.display_name in text


def test_the_menu_shows_the_pending_count_to_moderators(
    client, idea, make_user, moderator
):
    report(make_user, idea, 2)
    client.login(moderator)
    nav = client.get("/").get_data(as_text=True)
    assert 'href="/moderation"' in nav
    assert '1<span class="visually-hidden"> item to review' in nav


def test_citizens_have_no_moderation_menu(client, make_user):
    client.login(make_user())
    assert 'href="/moderation"' not in client.get("/").get_data(as_text=True)


def test_hide_from_the_queue(client, idea, make_user, moderator):
    report(make_user, idea, 2)
    client.login(moderator)
    key = f"hide-idea-{idea.id}"
    response = client.submit(
        f"/moderation/idea/{idea.id}/hide", data={f"{key}-reason": REASON}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderation")
    db.session.refresh(idea)
    assert idea.hidden_reason == REASON and open_flags(idea) == 0
    entry = db.session.scalars(select(AuditLog)).one()
    assert (entry.action, entry.actor_id, entry.reason) == (
        "idea.hidden",
        moderator.id,
        REASON,
    )
    assert "Hidden by the moderators" in page_text(client.get("/moderation"))


@pytest.mark.parametrize("action", ["hide", "restore"])
def test_hide_or_restore_without_a_reason_changes_nothing(
    app, client, idea, make_user, moderator, action
):
    app.config["FLAGS_TO_HIDE"] = 2
    report(make_user, idea, 2)
    client.login(moderator)
    response = client.submit(
        f"/moderation/idea/{idea.id}/{action}",
        data={f"{action}-idea-{idea.id}-reason": "   "},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert f"Nothing was changed for “{idea.title}”." in text
    assert MISSING_REASON[action] in text
    db.session.refresh(idea)
    assert idea.hidden_at is not None and idea.hidden_reason is None
    assert open_flags(idea) == 2
    assert rows(AuditLog, AuditLog.actor_id.is_not(None)) == 0


def test_a_refused_decision_keeps_what_was_typed(
    app, client, idea, make_user, moderator
):
    app.config["MODERATION_REASON_MAX"] = 10
    report(make_user, idea, 1)
    client.login(moderator)
    response = client.submit(
        f"/moderation/idea/{idea.id}/hide",
        data={f"hide-idea-{idea.id}-reason": "Far too long a reason"},
    )
    assert response.status_code == 200
    assert "Far too long a reason</textarea>" in response.get_data(as_text=True)
    assert "Use at most 10 characters" in page_text(response)
    db.session.refresh(idea)
    assert idea.hidden_at is None


def test_restore_from_the_queue(app, client, idea, make_user, moderator):
    app.config["FLAGS_TO_HIDE"] = 1
    report(make_user, idea, 1)
    client.login(moderator)
    response = client.submit(
        f"/moderation/idea/{idea.id}/restore",
        data={f"restore-idea-{idea.id}-reason": "A real pharmacy programme."},
    )
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.hidden_at is None and open_flags(idea) == 0
    assert idea.title in page_text(client.get(f"/questions/{idea.question_id}"))


def test_dismiss_from_the_queue(client, idea, make_user, moderator):
    report(make_user, idea, 2)
    client.login(moderator)
    response = client.submit(f"/moderation/idea/{idea.id}/dismiss")
    assert response.status_code == 302
    assert open_flags(idea) == 0
    assert "Nothing to review" in page_text(client.get("/moderation"))


def test_dismiss_without_reports_says_why(client, idea, moderator):
    client.login(moderator)
    response = client.submit(f"/moderation/idea/{idea.id}/dismiss")
    assert response.status_code == 200
    assert "There are no open reports to dismiss." in page_text(response)


@pytest.mark.parametrize("action", ["hide", "restore", "dismiss"])
def test_citizens_cannot_decide(app, client, idea, make_user, action):
    app.config["FLAGS_TO_HIDE"] = 1
    report(make_user, idea, 1)
    client.login(make_user())
    response = client.submit(
        f"/moderation/idea/{idea.id}/{action}",
        data={f"{action}-idea-{idea.id}-reason": "I decide"},
    )
    assert response.status_code == 403
    db.session.refresh(idea)
    assert idea.hidden_at is not None and idea.hidden_reason is None
    assert open_flags(idea) == 1


# ---- Blocked accounts ----


def test_search_and_block_an_account(client, make_user, moderator):
    spammer = make_user(name="Spam King")
    client.login(moderator)
    text = page_text(client.get("/moderation?q=spam+k"))
    assert "Spam King" in text and "Block Spam King" in text
    response = client.submit(
        f"/moderation/users/{spammer.id}/block?q=spam+k",
        data={f"block-user-{spammer.id}-reason": "Posts adverts."},
    )
    assert response.status_code == 302
    db.session.refresh(spammer)
    assert spammer.blocked_reason == "Posts adverts."
    entry = db.session.scalars(select(AuditLog)).one()
    assert (entry.action, entry.target_id) == ("user.blocked", spammer.id)
    text = page_text(client.get("/moderation"))
    assert "Blocked accounts" in text and "Unblock Spam King" in text


def test_block_without_a_reason_changes_nothing(client, make_user, moderator):
    citizen = make_user(name="Carla Citizen")
    client.login(moderator)
    response = client.submit(
        f"/moderation/users/{citizen.id}/block?q=carla",
        data={f"block-user-{citizen.id}-reason": ""},
    )
    assert response.status_code == 200
    assert "Give a reason for blocking the account." in page_text(response)
    db.session.refresh(citizen)
    assert citizen.blocked_at is None and rows(AuditLog) == 0


def test_unblock_from_the_queue(client, make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Spam")
    db.session.commit()
    client.login(moderator)
    response = client.submit(
        f"/moderation/users/{citizen.id}/unblock",
        data={f"unblock-user-{citizen.id}-reason": "Apologised."},
    )
    assert response.status_code == 302
    db.session.refresh(citizen)
    assert citizen.blocked_at is None


def test_a_moderator_cannot_block_an_admin(client, make_user, moderator):
    admin = make_user(Role.ADMIN)
    client.login(moderator)
    assert "Only an administrator can block" in page_text(
        client.get(f"/moderation?q={admin.email}")
    )
    response = client.submit(
        f"/moderation/users/{admin.id}/block",
        data={f"block-user-{admin.id}-reason": "Abuse"},
    )
    assert response.status_code == 403
    db.session.refresh(admin)
    assert admin.blocked_at is None


def test_nobody_blocks_themselves(client, moderator):
    client.login(moderator)
    response = client.submit(
        f"/moderation/users/{moderator.id}/block",
        data={f"block-user-{moderator.id}-reason": "Oops"},
    )
    assert response.status_code == 200
    assert "You cannot block or unblock your own account." in page_text(response)
    db.session.refresh(moderator)
    assert moderator.blocked_at is None


@pytest.mark.parametrize("action", ["block", "unblock"])
def test_citizens_cannot_block(client, make_user, action):
    citizen, other = make_user(), make_user()
    client.login(citizen)
    response = client.submit(
        f"/moderation/users/{other.id}/{action}",
        data={f"{action}-user-{other.id}-reason": "Because"},
    )
    assert response.status_code == 403
    assert rows(AuditLog) == 0


def test_a_blocked_account_cannot_log_in(client, make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Posts adverts.")
    db.session.commit()
    response = client.submit(
        "/login",
        data={"email": citizen.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "This account is blocked by the moderators: Posts adverts." in text
    # Only that: the password was right.
    assert "Wrong e-mail address or password" not in text
    assert client.get("/account").status_code == 302


def test_a_wrong_password_does_not_tell_that_the_account_is_blocked(
    client, make_user, moderator
):
    citizen = make_user()
    block_user(citizen, moderator, "Posts adverts.")
    db.session.commit()
    response = client.submit("/login", data={"email": citizen.email, "password": "x"})
    text = page_text(response)
    assert "Wrong e-mail address or password." in text and "blocked" not in text


def test_a_blocked_account_is_logged_out_on_the_next_request(
    client, make_user, moderator
):
    citizen = make_user()
    client.login(citizen)
    assert client.get("/account").status_code == 200
    block_user(citizen, moderator, "Posts adverts.")
    db.session.commit()
    response = client.get("/")
    assert "This account is blocked by the moderators: Posts adverts." in page_text(
        response
    )
    assert client.get("/account").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_blocked_account_cannot_post(client, idea, make_user, moderator):
    citizen = make_user()
    client.login(citizen)
    block_user(citizen, moderator, "Posts adverts.")
    db.session.commit()
    posts = {
        f"/questions/{idea.question_id}/ideas/new": {"title": "Another advert"},
        f"/ideas/{idea.id}/support": {},
        f"/flag/idea/{idea.id}": {"reason": "spam"},
        "/governor/ask": {"title": "Buy watches?", "body": "Cheap watches."},
    }
    for url, data in posts.items():
        response = client.submit(url, data=data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    assert rows(Idea) == 1 and rows(Support) == 0 and rows(Flag) == 0
    assert rows(GovernorQuestion) == 0


# ---- What moderators see of accounts ----


def test_moderators_see_names_and_a_masked_address(client, make_user, moderator):
    spammer = make_user(name="Spam King", email="spam.king@pharma.example.org")
    block_user(spammer, moderator, "Adverts")
    make_user(name="Sparrow", email="sparrow@example.org")
    db.session.commit()
    client.login(moderator)
    found = page_text(client.get("/moderation?q=spa"))
    assert "Spam King" in found and "Sparrow" in found
    assert "s…@p….org" in found and "s…@e….org" in found
    assert "spam.king@pharma.example.org" not in found
    assert "sparrow@example.org" not in found


def test_moderators_cannot_search_inside_addresses(client, make_user, moderator):
    make_user(name="Ana", email="ana.secret@example.org")
    client.login(moderator)
    assert "No account matches" in page_text(client.get("/moderation?q=secret"))
    assert "No account matches" in page_text(client.get("/moderation?q=@example"))
    # A whole address someone reported is enough to find its account.
    found = page_text(client.get("/moderation?q=ANA.secret@example.org"))
    assert "Block Ana" in found and "ana.secret@example.org" not in found


def test_admins_see_and_search_whole_addresses(client, make_user):
    spammer = make_user(name="Spam King", email="spam.king@pharma.example.org")
    block_user(spammer, make_user(Role.ADMIN), "Adverts")
    db.session.commit()
    client.login(make_user(Role.ADMIN))
    found = page_text(client.get("/moderation?q=pharma"))
    assert "Spam King" in found and "spam.king@pharma.example.org" in found


def test_block_and_hide_everything_the_spammer_published(
    client, make_user, make_idea, moderator
):
    spammer = make_user(name="Spam King")
    adverts = [make_idea(author=spammer, title=f"Cheap loans {n}") for n in range(3)]
    question = create_governor_question(make_user, author=spammer, title="Buy now")
    other = make_idea(title="Evening clinics")  # someone else's: untouched
    report(make_user, adverts[0], 1)
    client.login(moderator)

    response = client.submit(
        f"/moderation/users/{spammer.id}/block",
        data={
            f"block-user-{spammer.id}-reason": "Advertising.",
            f"block-user-{spammer.id}-hide_content": "y",
        },
    )

    assert response.status_code == 302
    for item in (*adverts, question, other):
        db.session.refresh(item)
    assert all(item.hidden_reason == "Advertising." for item in (*adverts, question))
    assert other.hidden_at is None
    assert open_flags(adverts[0]) == 0  # the report is resolved
    actions = sorted(db.session.scalars(select(AuditLog.action)))
    assert actions == ["governor_question.hidden"] + ["idea.hidden"] * 3 + [
        "user.blocked"
    ]


def test_block_alone_leaves_what_the_account_wrote(
    client, make_user, make_idea, moderator
):
    citizen = make_user()
    idea = make_idea(author=citizen)
    client.login(moderator)
    client.submit(
        f"/moderation/users/{citizen.id}/block",
        data={f"block-user-{citizen.id}-reason": "Threats by e-mail."},
    )
    db.session.refresh(idea)
    assert idea.hidden_at is None


def test_a_moderator_hides_an_unreported_idea_from_its_page(client, idea, moderator):
    client.login(moderator)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f"/moderation/idea/{idea.id}/hide-now" in page
    form = client.get(f"/moderation/idea/{idea.id}/hide-now")
    assert form.status_code == 200

    response = client.submit(
        f"/moderation/idea/{idea.id}/hide-now",
        data={f"hide-idea-{idea.id}-reason": REASON},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")
    db.session.refresh(idea)
    assert idea.hidden_reason == REASON
    assert db.session.scalars(select(AuditLog.action)).one() == "idea.hidden"


def test_hiding_from_the_page_without_a_reason_says_so(client, idea, moderator):
    client.login(moderator)
    response = client.submit(
        f"/moderation/idea/{idea.id}/hide-now", data={f"hide-idea-{idea.id}-reason": ""}
    )
    assert response.status_code == 200
    assert MISSING_REASON["hide"] in page_text(response)
    db.session.refresh(idea)
    assert idea.hidden_at is None


def test_citizens_see_no_hide_button(client, idea, make_user):
    client.login(make_user())
    assert "/hide-now" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
