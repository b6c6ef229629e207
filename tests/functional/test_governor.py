"""The Governor Responds through the client: ask, support, the queue, the answer."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.governor.models import (
    GovernorAnswer,
    GovernorQuestion,
    GovernorQuestionStatus,
    GovernorQuestionSupport,
)
from ideation.governor.operations import answer_question
from ideation.measures.models import Measure, MeasureStatus
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.concurrency import post_together
from tests.conftest import page_text
from tests.helpers import create_governor_question, create_measure, flashes

JSON = {"Accept": "application/json"}
YOUTUBE_ID = "dQw4w9WgXcQ"
NOCOOKIE = f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}"


# ---- Factories (also used by test_measures, the access table and the browser) ----


@pytest.fixture
def make_governor_question(app, make_user):
    return lambda **fields: create_governor_question(make_user, **fields)


@pytest.fixture
def make_measure(app, make_user):
    return lambda **fields: create_measure(make_user, **fields)


# ---- Helpers ----


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def support_rows(question) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(GovernorQuestionSupport)
        .where(GovernorQuestionSupport.question_id == question.id)
    )


def stored_count(question) -> int:
    return db.session.scalar(
        select(GovernorQuestion.support_count).where(GovernorQuestion.id == question.id)
    )


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def citizen(client, make_user):
    user = make_user(name="Carla Dias")
    client.login(user)
    return user


@pytest.fixture
def official(client, make_user):
    user = make_user(Role.OFFICIAL, name="Olga Official")
    client.login(user)
    return user


@pytest.fixture
def question(make_governor_question, make_user):
    return make_governor_question(author=make_user(name="Ana Asker"))


# ---- Asking ----


def test_ask_publishes_the_question(client, citizen):
    assert client.get("/governor/ask").status_code == 200
    response = client.submit(
        "/governor/ask",
        data={"title": "  Why is the bus late?  ", "body": "Line 12.\n<b>Daily</b>."},
    )
    stored = db.session.scalar(select(GovernorQuestion))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/governor/questions/{stored.id}"
    assert (stored.title, stored.body) == (
        "Why is the bus late?",
        "Line 12.\n<b>Daily</b>.",
    )
    assert stored.author_id == citizen.id
    assert stored.status == GovernorQuestionStatus.OPEN.value
    assert stored.support_count == 0 and stored.answered_at is None
    assert flashes(client)[-1] == ("success", "Thank you: your question is published.")
    page = html(client.get(response.headers["Location"]))
    assert "Line 12.<br>" in page and "&lt;b&gt;Daily&lt;/b&gt;" in page
    assert "Awaiting an answer" in page


def test_anonymous_visitors_are_sent_to_login_to_ask(client):
    response = client.get("/governor/ask")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/governor/ask")
    response = client.submit("/governor/ask", data={"title": "T", "body": "B"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count(GovernorQuestion) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Some text"}, "Write your question in one sentence."),
        ({"title": "   ", "body": "Some text"}, "Write your question in one sentence."),
        ({"title": "A title", "body": ""}, "Explain your question"),
        (
            {"title": "x" * 141, "body": "Some text"},
            "Use at most 140 characters (you typed 141).",
        ),
        (
            {"title": "A title", "body": "y" * 2001},
            "Use at most 2000 characters (you typed 2001).",
        ),
    ],
)
def test_bad_questions_keep_what_was_typed(client, citizen, data, message):
    response = client.submit("/governor/ask", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    body = html(response)
    if data["title"].strip():
        assert f'value="{data["title"]}"' in body
    if data["body"]:
        assert data["body"] in body
    assert 'aria-invalid="true"' in body
    assert count(GovernorQuestion) == 0


# ---- The open questions ----


def test_open_list_by_supports_then_newest(client, make_governor_question, make_user):
    a, b, c = make_user(), make_user(), make_user()
    now = utcnow()
    make_governor_question(title="Old, no support", created_at=now - timedelta(days=3))
    make_governor_question(title="New, no support", created_at=now - timedelta(days=1))
    make_governor_question(title="Two supports", supporters=[a, b])
    make_governor_question(title="Three supports", supporters=[a, b, c])
    make_governor_question(
        title="Already answered",
        status=GovernorQuestionStatus.ANSWERED.value,
        answered_at=now,
    )
    text = page_text(client.get("/governor/questions"))
    order = ["Three supports", "Two supports", "New, no support", "Old, no support"]
    assert [text.index(title) for title in order] == sorted(
        text.index(title) for title in order
    )
    assert "Already answered" not in text
    assert "4 questions" in text

    newest = page_text(client.get("/governor/questions?sort=new"))
    assert newest.index("Three supports") < newest.index("New, no support")
    assert newest.index("New, no support") < newest.index("Old, no support")


def test_open_list_is_paginated(app, client, make_governor_question, make_user):
    app.config["GOVERNOR_QUESTIONS_PER_PAGE"] = 2
    for n in range(3):
        make_governor_question(
            title=f"Question {n}", supporters=[make_user() for _ in range(n)]
        )
    first = page_text(client.get("/governor/questions"))
    assert "Question 2" in first and "Question 1" in first
    assert "Question 0" not in first and "Page 1 of 2" in first
    second = page_text(client.get("/governor/questions?page=2"))
    assert "Question 0" in second and "Question 2" not in second


def test_unknown_question_is_404(client):
    assert client.get("/governor/questions/999").status_code == 404
    assert client.get("/governor/questions/999/answer").status_code in (302, 404)


# ---- Supports ----


def test_support_and_unsupport_without_javascript(client, citizen, question):
    url = f"/governor/questions/{question.id}"
    response = client.submit(f"{url}/support")
    assert response.status_code == 302 and response.headers["Location"] == url
    assert flashes(client)[-1] == ("success", "You support this question.")
    assert support_rows(question) == stored_count(question) == 1
    page = client.get(url)
    assert "1 support" in page_text(page)
    assert f'action="{url}/unsupport"' in html(page)

    client.submit(f"{url}/support")  # again: still one
    assert support_rows(question) == stored_count(question) == 1

    response = client.submit(f"{url}/unsupport")
    assert flashes(client)[-1] == ("success", "You no longer support this question.")
    assert support_rows(question) == stored_count(question) == 0
    client.submit(f"{url}/unsupport")
    assert support_rows(question) == stored_count(question) == 0


def test_support_with_javascript_answers_json(client, citizen, question):
    url = f"/governor/questions/{question.id}"
    response = client.submit(f"{url}/support", headers=JSON)
    assert response.status_code == 200
    assert response.json == {
        "supported": True,
        "support_count": 1,
        "count_label": "1 support",
        "message": "You support this question.",
    }
    response = client.submit(f"{url}/unsupport", headers=JSON)
    assert response.json["supported"] is False
    assert response.json["count_label"] == "0 supports"
    assert support_rows(question) == stored_count(question) == 0


def test_support_goes_back_to_a_local_next_only(client, citizen, question):
    url = f"/governor/questions/{question.id}"
    target = f"/governor/questions?sort=new#question-{question.id}"
    response = client.submit(f"{url}/support", data={"next": target})
    assert response.headers["Location"] == target
    response = client.submit(f"{url}/unsupport", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == url


def test_cannot_support_own_question(client, citizen, make_governor_question):
    own = make_governor_question(author=citizen)
    url = f"/governor/questions/{own.id}"
    assert f"{url}/support" not in html(client.get(url))
    response = client.submit(f"{url}/support")
    assert response.status_code == 302
    assert flashes(client)[-1] == ("error", "You cannot support your own question.")
    response = client.submit(f"{url}/support", headers=JSON)
    assert response.status_code == 409
    assert response.json == {"error": "You cannot support your own question."}
    assert support_rows(own) == stored_count(own) == 0


def test_supports_are_frozen_once_answered(
    client, citizen, make_governor_question, make_user
):
    answered = make_governor_question(
        status=GovernorQuestionStatus.ANSWERED.value, answered_at=utcnow()
    )
    url = f"/governor/questions/{answered.id}"
    response = client.submit(f"{url}/support", headers=JSON)
    assert response.status_code == 409
    assert "answered" in response.json["error"]
    client.submit(f"{url}/support")
    assert flashes(client)[-1] == (
        "error",
        "This question is answered: supports are no longer accepted.",
    )
    assert support_rows(answered) == 0


def test_anonymous_support_goes_to_login(client, question):
    url = f"/governor/questions/{question.id}"
    response = client.submit(f"{url}/support")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.submit(f"{url}/support", headers=JSON)
    assert response.status_code == 401
    assert support_rows(question) == 0
    assert "Log in to support this question" in page_text(client.get(url))


# ---- The officials' queue ----


def test_queue_ranks_open_questions_with_counts(
    client, official, make_governor_question, make_user
):
    a, b = make_user(), make_user()
    make_governor_question(title="Less wanted", supporters=[a])
    make_governor_question(title="Most wanted", supporters=[a, b])
    make_governor_question(
        title="Done already",
        status=GovernorQuestionStatus.ANSWERED.value,
        answered_at=utcnow(),
    )
    response = client.get("/governor/manage")
    text = page_text(response)
    assert response.status_code == 200
    assert text.index("Most wanted") < text.index("Less wanted")
    assert "Done already" not in text
    # Rank, the question's number (for a merge), title, supports.
    assert re.search(r"1 \(#\d+\) Most wanted 2 .*2 \(#\d+\) Less wanted 1 ", text)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_queue_and_answer_are_refused_below_officials(
    client, make_user, question, role
):
    client.login(make_user(role))
    assert client.get("/governor/manage").status_code == 403
    url = f"/governor/questions/{question.id}/answer"
    assert client.get(url).status_code == 403
    response = client.submit(url, data={"body": "Yes.", "department": "Office"})
    assert response.status_code == 403
    assert count(GovernorAnswer) == 0
    assert "Answer this question" not in page_text(
        client.get(f"/governor/questions/{question.id}")
    )


def test_anonymous_is_sent_to_login_for_the_queue_and_answer(client, question):
    for url in ("/governor/manage", f"/governor/questions/{question.id}/answer"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.submit(
        f"/governor/questions/{question.id}/answer",
        data={"body": "Yes.", "department": "Office"},
    )
    assert response.status_code == 302 and count(GovernorAnswer) == 0


# ---- Answering ----

GOOD_ANSWER = {
    "body": "The clinic **reopens** in June.\n\n<script>alert(1)</script>",
    "department": "Office of the Governor",
    "video_url": f"https://youtu.be/{YOUTUBE_ID}",
    "transcript": "Hello, I am the governor.\nThe clinic reopens in June.",
    "measure_title": "Reopen the Vila Nova clinic",
    "measure_description": "Two doctors, a new roof.",
    "measure_target_date": (date.today() + timedelta(days=60)).isoformat(),
}


def test_official_publishes_an_answer_with_video_and_measure(
    client, official, question, make_user
):
    supporters = [make_user(), make_user()]
    for supporter in supporters:
        db.session.add(
            GovernorQuestionSupport(question_id=question.id, user_id=supporter.id)
        )
    question.support_count = 2
    db.session.commit()
    url = f"/governor/questions/{question.id}"
    assert "Answer this question" in page_text(client.get(url))
    assert client.get(f"{url}/answer").status_code == 200

    response = client.submit(f"{url}/answer", data=GOOD_ANSWER)
    assert response.status_code == 302 and response.headers["Location"] == url
    assert flashes(client)[-1][0] == "success"

    stored = db.session.get(GovernorQuestion, question.id)
    assert stored.status == GovernorQuestionStatus.ANSWERED.value
    assert stored.answered_at is not None
    answer = stored.answer
    assert (answer.video_provider, answer.video_id) == ("youtube", YOUTUBE_ID)
    assert answer.department == "Office of the Governor"
    assert answer.author_id == official.id
    measure = db.session.scalar(select(Measure))
    assert measure.governor_question_id == question.id
    assert measure.status == MeasureStatus.ANNOUNCED.value
    assert measure.target_date.isoformat() == GOOD_ANSWER["measure_target_date"]
    # The department that signs the answer answers for the measure.
    assert measure.department == "Office of the Governor" and measure.progress == 0
    audit = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "governor_question.answered")
    )
    assert (audit.actor_id, audit.target_type, audit.target_id) == (
        official.id,
        "governor_questions",
        question.id,
    )
    assert audit.details["measure_id"] == measure.id
    notified = {
        n.user_id: n.kind for n in db.session.scalars(select(Notification)).all()
    }
    assert notified == {
        question.author_id: "governor.answered.author",
        supporters[0].id: "governor.answered.supporter",
        supporters[1].id: "governor.answered.supporter",
    }

    page = client.get(url)
    body = html(page)
    assert "Answered by Office of the Governor on" in page_text(page)
    assert "<strong>reopens</strong>" in body and "<script>alert(1)" not in body
    iframe = re.search(r"<iframe[^>]*>", body).group(0)
    assert f'src="{NOCOOKIE}"' in iframe
    assert 'loading="lazy"' in iframe
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in iframe
    assert 'sandbox="allow-scripts allow-same-origin allow-presentation"' in iframe
    assert 'allow="fullscreen; picture-in-picture"' in iframe
    assert 'title="Video answer: ' in iframe
    assert "youtu.be" not in body  # the pasted URL never reaches the page
    assert "Hello, I am the governor.<br>" in body
    assert f'href="/measures/{measure.id}"' in body
    assert (
        "; frame-src https://www.youtube-nocookie.com"
        in (page.headers["Content-Security-Policy"])
    )
    # The supports are frozen now: no button.
    assert f"{url}/support" not in body


def test_answer_without_video_or_measure(client, official, question):
    url = f"/governor/questions/{question.id}"
    response = client.submit(
        f"{url}/answer",
        data={"body": "We are on it.", "department": "Health Secretariat"},
    )
    assert response.status_code == 302
    page = client.get(url)
    assert "<iframe" not in html(page)
    assert "frame-src" not in page.headers["Content-Security-Policy"]
    assert "Answered by Health Secretariat" in page_text(page)
    assert count(Measure) == 0


def test_vimeo_answer_embeds_the_do_not_track_player(client, official, question):
    data = {
        "body": "See the video.",
        "department": "Office of the Governor",
        "video_url": "https://vimeo.com/76979871",
        "transcript": "Words.",
    }
    client.submit(f"/governor/questions/{question.id}/answer", data=data)
    page = client.get(f"/governor/questions/{question.id}")
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html(page)
    assert (
        "; frame-src https://player.vimeo.com"
        in (page.headers["Content-Security-Policy"])
    )


def _past() -> str:
    return (date.today() - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body": ""}, "body", "Write the answer."),
        ({"body": "   "}, "body", "Write the answer."),
        ({"department": ""}, "department", "Say which department signs the answer"),
        ({"department": "d" * 121}, "department", "Use at most 120 characters"),
        ({"transcript": ""}, "transcript", "A video needs a transcript"),
        (
            {"video_url": f"https://www.dailymotion.com/video/{YOUTUBE_ID}"},
            "video_url",
            "Only YouTube and Vimeo videos can be shown.",
        ),
        (
            {"video_url": f"https://youtube.com.evil.example/watch?v={YOUTUBE_ID}"},
            "video_url",
            "Only YouTube and Vimeo videos can be shown.",
        ),
        (
            {"video_url": "javascript:alert(1)"},
            "video_url",
            "This is not a web address.",
        ),
        (
            {"video_url": "https://www.youtube.com/watch?v=nope"},
            "video_url",
            "This link does not point to a single video.",
        ),
        (
            {"measure_target_date": _past()},
            "measure_target_date",
            "The target date must be in the future (after today).",
        ),
        (
            {"measure_target_date": date.today().isoformat()},
            "measure_target_date",
            "The target date must be in the future (after today).",
        ),
        (
            {"measure_target_date": ""},
            "measure_target_date",
            "Give the date by which the measure is due.",
        ),
        (
            {"measure_target_date": "next spring"},
            "measure_target_date",
            "Not a valid date value.",
        ),
        (
            {"measure_title": ""},
            "measure_title",
            "Give the measure a title, or empty the other measure fields.",
        ),
        (
            {"measure_description": ""},
            "measure_description",
            "Say what the measure will do.",
        ),
    ],
)
def test_bad_answers_keep_what_was_typed_and_save_nothing(
    client, official, question, changes, field, message
):
    data = {**GOOD_ANSWER, **changes}
    response = client.submit(f"/governor/questions/{question.id}/answer", data=data)
    assert response.status_code == 200
    body = html(response)
    error = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', body, re.S)
    assert error is not None, f"no error shown on {field}"
    assert message in page_text_of(error.group(1))
    # Everything typed comes back; nothing is saved, nobody notified.
    for name, value in data.items():
        if value.strip():
            shown = value.replace("<", "&lt;").replace(">", "&gt;")
            assert shown in body, f"{name} lost"
    assert count(GovernorAnswer) == 0 and count(Measure) == 0
    assert count(Notification) == 0
    assert db.session.get(GovernorQuestion, question.id).is_open


def page_text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_a_second_answer_is_refused(client, official, question):
    url = f"/governor/questions/{question.id}"
    client.submit(f"{url}/answer", data={"body": "First.", "department": "Office"})
    response = client.get(f"{url}/answer")
    assert response.status_code == 302 and response.headers["Location"] == url
    assert flashes(client)[-1] == ("info", "This question has already been answered.")
    client.submit(f"{url}/answer", data={"body": "Second.", "department": "Office"})
    assert count(GovernorAnswer) == 1
    assert db.session.scalar(select(GovernorAnswer.body)) == "First."
    assert "Answer this question" not in page_text(client.get(url))


# ---- The public page of answers ----


def test_answers_page_lists_answered_newest_first(
    client, make_governor_question, make_user
):
    official = make_user(Role.OFFICIAL)
    older = make_governor_question(title="Answered first")
    newer = make_governor_question(title="Answered second")
    make_governor_question(title="Still open")
    earlier = utcnow() - timedelta(days=2)
    answer_question(older, official, "Yes.", "Office A", now=earlier)
    answer_question(newer, official, "No.", "Office B")
    db.session.commit()
    text = page_text(client.get("/governor"))
    assert text.index("Answered second") < text.index("Answered first")
    assert "Still open" not in text
    assert "Answered by Office B" in text and "Answered by Office A" in text


def test_answers_page_is_paginated_and_empty_state(
    app, client, make_governor_question, make_user
):
    assert "No question has been answered yet." in page_text(client.get("/governor"))
    app.config["GOVERNOR_QUESTIONS_PER_PAGE"] = 1
    official = make_user(Role.OFFICIAL)
    for n in range(2):
        answer_question(
            make_governor_question(title=f"Q{n}"),
            official,
            "Yes.",
            "Office",
            now=utcnow() - timedelta(days=n),
        )
    db.session.commit()
    first = page_text(client.get("/governor"))
    assert "Q0" in first and "Q1" not in first and "Page 1 of 2" in first
    assert "Q1" in page_text(client.get("/governor?page=2"))


def test_asker_reads_the_notification(client, make_user, make_governor_question):
    asker = make_user()
    question = make_governor_question(author=asker, title="Bus line 12")
    answer_question(question, make_user(Role.OFFICIAL), "Soon.", "Transport")
    db.session.commit()
    client.login(asker)
    text = unescape(page_text(client.get("/notifications/")))
    assert "The governor's office answered your question “Bus line 12”." in text
    link = db.session.scalar(select(Notification.link))
    assert link == f"/governor/questions/{question.id}"


def test_navigation_links(client):
    text = html(client.get("/"))
    assert 'href="/governor"' in text and 'href="/measures"' in text


# ---- At the same instant, on both databases ----


def test_supports_at_once_keep_count_equal_rows(app, make_user, question):
    users = [make_user() for _ in range(16)]
    for user in users[::2]:
        db.session.add(
            GovernorQuestionSupport(question_id=question.id, user_id=user.id)
        )
    question.support_count = len(users[::2])
    db.session.commit()
    url = f"/governor/questions/{question.id}"
    jobs = []
    for index, user in enumerate(users):
        action = "unsupport" if index % 2 == 0 else "support"
        jobs += [(user, f"{url}/{action}", {})] * 2
    assert {outcome.status for outcome in post_together(app, jobs)} == {200}
    db.session.expire_all()
    assert support_rows(question) == stored_count(question) == len(users[1::2])


def test_two_officials_answering_at_once_publish_one_answer(app, make_user, question):
    url = f"/governor/questions/{question.id}/answer"
    jobs = [
        (make_user(Role.OFFICIAL), url, {"body": f"Answer {n}", "department": "Office"})
        for n in range(6)
    ]
    outcomes = post_together(app, jobs)
    assert count(GovernorAnswer) == 1
    # The winner, and those who came after it, are sent to the answer; those who
    # waited for it are told why theirs is not published (never a server error).
    page = f"/governor/questions/{question.id}"
    assert any(outcome.location == page for outcome in outcomes)
    for outcome in outcomes:
        assert outcome.location == page or (
            "already been answered" in (outcome.refusal or "")
        ), outcome
    assert count(Notification) == 1  # the asker, once


# ---- Closing: declined or merged, with a public reason ----

CLOSING_REASON = "Roads inside the city are for the city council, not the state."


def test_official_declines_with_a_public_reason(client, official, question):
    response = client.submit(
        f"/governor/questions/{question.id}/close",
        data={"action": "decline", "reason": CLOSING_REASON},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/governor/questions/{question.id}")
    page = page_text(client.get(f"/governor/questions/{question.id}"))
    assert "Closed without an answer" in page, page
    assert CLOSING_REASON in page
    assert "Decline or merge" not in page  # nothing more to close
    listing = page_text(client.get("/governor/closed"))
    assert question.title in listing and CLOSING_REASON in listing
    assert question.title not in page_text(client.get("/governor/manage"))


def test_official_merges_by_pasting_the_other_questions_address(
    client, official, question, make_governor_question
):
    target = make_governor_question(title="Repave the road to Canoas")
    client.submit(
        f"/governor/questions/{question.id}/close",
        data={
            "action": "merge",
            "target": f"https://example.gov.br/governor/questions/{target.id}/",
            "reason": "Same road, asked earlier.",
        },
    )
    db.session.refresh(question)
    assert question.merged_into_id == target.id
    page = page_text(client.get(f"/governor/questions/{question.id}"))
    assert "Merged into another question" in page and "Repave the road" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": CLOSING_REASON}, "Choose to decline or to merge."),
        ({"action": "decline", "reason": ""}, "Give the public reason"),
        (
            {"action": "merge", "target": "the other one", "reason": CLOSING_REASON},
            "Give the number of the question it repeats",
        ),
        (
            {"action": "merge", "target": "999999", "reason": CLOSING_REASON},
            "There is no question with this number.",
        ),
    ],
)
def test_bad_closing_keeps_what_was_typed(client, official, question, data, message):
    response = client.submit(f"/governor/questions/{question.id}/close", data=data)
    text = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert message in text
    if data.get("reason"):
        assert data["reason"] in text
    db.session.refresh(question)
    assert question.status == GovernorQuestionStatus.OPEN


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_below_officials_cannot_close(client, make_user, question, role):
    client.login(make_user(role))
    response = client.submit(
        f"/governor/questions/{question.id}/close",
        data={"action": "decline", "reason": CLOSING_REASON},
    )
    assert response.status_code == 403
    db.session.refresh(question)
    assert question.status == GovernorQuestionStatus.OPEN


def test_closing_an_answered_question_says_so(client, official, question):
    answer_question(question, official, "Yes.", "Office of the Governor")
    db.session.commit()
    response = client.submit(
        f"/governor/questions/{question.id}/close",
        data={"action": "decline", "reason": CLOSING_REASON},
    )
    assert response.status_code == 302
    assert ("info", "This question no longer awaits an answer.") in flashes(client)
    db.session.refresh(question)
    assert question.status == GovernorQuestionStatus.ANSWERED


def test_closing_in_portuguese(client, make_user, question):
    client.login(make_user(Role.OFFICIAL, locale="pt_BR"))
    response = client.submit(
        f"/governor/questions/{question.id}/close", data={"action": "decline"}
    )
    assert "Informe o motivo público" in unescape(response.get_data(as_text=True))
