"""Operations of The Governor Responds and of measures, called directly (no HTTP)."""

from datetime import date, timedelta

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
from ideation.governor.operations import (
    answer_question,
    ask_question,
    support_question,
    unsupport_question,
)
from ideation.governor.video import Video
from ideation.measures.models import Measure, MeasureStatus, MeasureUpdate
from ideation.measures.operations import MeasureAnnouncement, post_measure_update
from ideation.notifications.models import Notification
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from tests.helpers import create_governor_question, create_measure

VIDEO = Video("youtube", "dQw4w9WgXcQ")


def rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def support_rows(question) -> int:
    return rows(
        GovernorQuestionSupport, GovernorQuestionSupport.question_id == question.id
    )


def stored_count(question) -> int:
    return db.session.scalar(
        select(GovernorQuestion.support_count).where(GovernorQuestion.id == question.id)
    )


def notifications() -> dict[int, str]:
    return {n.user_id: n.kind for n in db.session.scalars(select(Notification))}


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


@pytest.fixture
def question(app, make_user):
    return create_governor_question(make_user)


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL)


# ---- Asking ----


def test_ask_question_stores_plain_text(make_user):
    author = make_user()
    question = ask_question(author, "Why <b>now</b>?", "Line 1\nLine 2")
    db.session.commit()
    stored = db.session.get(GovernorQuestion, question.id)
    assert (stored.title, stored.body) == ("Why <b>now</b>?", "Line 1\nLine 2")
    assert stored.status == GovernorQuestionStatus.OPEN.value
    assert stored.support_count == 0 and stored.author_id == author.id


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "Body", "one sentence"),
        ("  ", "Body", "one sentence"),
        ("Title", "", "Explain"),
        ("x" * 141, "Body", "at most 140"),
        ("Title", "y" * 2001, "at most 2000"),
    ],
)
def test_ask_question_refuses_bad_text(make_user, title, body, message):
    with pytest.raises(DomainError, match=message):
        ask_question(make_user(), title, body)
    assert rows(GovernorQuestion) == 0


# ---- Supports: the count always equals the rows ----


def test_support_counts_equal_rows(question, make_user):
    users = [make_user() for _ in range(4)]
    for user in users:
        assert support_question(question, user) is True
    assert support_question(question, users[0]) is False  # again: no second row
    db.session.commit()
    assert support_rows(question) == stored_count(question) == 4

    assert unsupport_question(question, users[1]) is True
    assert unsupport_question(question, users[1]) is False
    db.session.commit()
    assert support_rows(question) == stored_count(question) == 3


def test_cannot_support_own_question(question):
    with pytest.raises(DomainError, match="your own question"):
        support_question(question, question.author)
    assert support_rows(question) == stored_count(question) == 0


def test_supports_are_frozen_once_answered(question, official, make_user):
    supporter = make_user()
    support_question(question, supporter)
    answer_question(question, official, "Yes.", "Office")
    db.session.commit()
    with pytest.raises(DomainError, match="answered"):
        support_question(question, make_user())
    with pytest.raises(DomainError, match="answered"):
        unsupport_question(question, supporter)
    db.session.rollback()
    assert support_rows(question) == stored_count(question) == 1


# ---- Answering ----


def test_answer_publishes_notifies_logs_and_announces(question, official, make_user):
    supporters = [make_user(), make_user()]
    for supporter in supporters:
        support_question(question, supporter)
    support_question(question, official)  # officials may support too; not notified
    announcement = MeasureAnnouncement("Reopen the clinic", "Two doctors.", in_days(30))

    answer = answer_question(
        question,
        official,
        "**Yes.**",
        "Office of the Governor",
        video=VIDEO,
        transcript="Hello.",
        measure=announcement,
    )
    db.session.commit()

    stored = db.session.get(GovernorQuestion, question.id)
    assert stored.status == GovernorQuestionStatus.ANSWERED.value
    assert stored.answered_at == answer.created_at
    assert (answer.video_provider, answer.video_id) == ("youtube", VIDEO.video_id)
    assert answer.video.embed_url == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    measure = db.session.scalar(select(Measure))
    assert (measure.title, measure.description, measure.target_date) == (
        "Reopen the clinic",
        "Two doctors.",
        in_days(30),
    )
    assert measure.governor_question_id == question.id
    assert measure.created_by_id == official.id
    assert measure.status == MeasureStatus.ANNOUNCED.value
    actions = {
        entry.action: entry for entry in db.session.scalars(select(AuditLog)).all()
    }
    answered = actions["governor_question.answered"]
    assert answered.actor_id == official.id and answered.target_id == question.id
    assert answered.details == {
        "department": "Office of the Governor",
        "video": "youtube",
        "measure_id": measure.id,
    }
    assert actions["measure.announced"].target_id == measure.id
    assert notifications() == {
        question.author_id: "governor.answered.author",
        supporters[0].id: "governor.answered.supporter",
        supporters[1].id: "governor.answered.supporter",
    }
    link = db.session.scalar(select(Notification.link).limit(1))
    assert link == f"/governor/questions/{question.id}"


def test_answering_twice_is_refused(question, official):
    answer_question(question, official, "First.", "Office")
    db.session.commit()
    with pytest.raises(DomainError, match="already been answered"):
        answer_question(question, official, "Second.", "Office")
    db.session.rollback()
    assert rows(GovernorAnswer) == 1
    assert db.session.scalar(select(GovernorAnswer.body)) == "First."
    assert rows(Notification) == 1


def test_an_answer_that_got_in_first_is_a_refusal_not_a_crash(question, official):
    """The unique answer per question, reached by a request that did not see the
    other's answer (the row lock prevents it; the schema has the last word)."""
    db.session.add(
        GovernorAnswer(
            question_id=question.id, author=official, body="First.", department="Office"
        )
    )
    db.session.commit()  # the question's status still says it awaits its answer
    with pytest.raises(DomainError, match="already been answered"):
        answer_question(question, official, "Second.", "Office")
    db.session.rollback()
    assert db.session.scalar(select(GovernorAnswer.body)) == "First."


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_answer(question, make_user, role):
    with pytest.raises(PermissionDenied):
        answer_question(question, make_user(role), "Yes.", "Office")
    assert rows(GovernorAnswer) == 0
    assert db.session.get(GovernorQuestion, question.id).is_open


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": " "}, "Write the answer"),
        ({"department": ""}, "department"),
        ({"video": VIDEO, "transcript": ""}, "transcript"),
        ({"video": VIDEO, "transcript": "   "}, "transcript"),
        (
            {"measure": MeasureAnnouncement("M", "D", date.today())},
            "in the future",
        ),
        (
            {"measure": MeasureAnnouncement("M", "D", in_days(-1))},
            "in the future",
        ),
        ({"measure": MeasureAnnouncement("", "D", in_days(5))}, "title"),
        ({"measure": MeasureAnnouncement("M", "", in_days(5))}, "will do"),
        ({"measure": MeasureAnnouncement("M", "D", None)}, "date"),
    ],
)
def test_bad_answers_change_nothing(question, official, kwargs, message):
    arguments = {"body": "Yes.", "department": "Office", **kwargs}
    body, department = arguments.pop("body"), arguments.pop("department")
    with pytest.raises(DomainError, match=message):
        answer_question(question, official, body, department, **arguments)
    db.session.rollback()
    assert rows(GovernorAnswer) == rows(Measure) == rows(Notification) == 0
    assert rows(AuditLog) == 0
    assert db.session.get(GovernorQuestion, question.id).is_open


def test_a_disallowed_provider_is_refused(app, question, official):
    app.config["VIDEO_EMBED_PROVIDERS"] = ("vimeo",)
    with pytest.raises(DomainError, match="cannot be shown"):
        answer_question(
            question, official, "Yes.", "Office", video=VIDEO, transcript="T"
        )


# ---- Measure updates ----


def test_measure_update_changes_status_logs_and_notifies(official, make_user):
    asker, supporter = make_user(), make_user()
    question = create_governor_question(make_user, author=asker, supporters=[supporter])
    measure = create_measure(make_user, question=question)

    update = post_measure_update(measure, official, "in_progress", "Work started.")
    db.session.commit()
    assert db.session.get(Measure, measure.id).status == "in_progress"
    assert measure.updated_at == update.created_at
    assert (update.status, update.note, update.created_by_id) == (
        "in_progress",
        "Work started.",
        official.id,
    )
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "measure.updated")
    )
    assert entry.details == {
        "status": "in_progress",
        "previous": "announced",
        "progress": 0,
        "previous_progress": 0,
    }
    assert notifications() == {
        asker.id: "measure.in_progress",
        supporter.id: "measure.in_progress",
    }

    db.session.execute(db.delete(Notification))
    post_measure_update(measure, official, "in_progress", "Roof repaired.")
    db.session.commit()
    assert set(notifications().values()) == {"measure.news"}


def test_done_and_cancelled_measures_are_final(official, make_user):
    measure = create_measure(make_user)
    post_measure_update(measure, official, "done", "Opened on Monday.")
    db.session.commit()
    with pytest.raises(DomainError, match="done"):
        post_measure_update(measure, official, "done", "Again.")
    db.session.rollback()
    assert rows(MeasureUpdate) == 1


@pytest.mark.parametrize(
    ("status", "note", "message"),
    [
        ("bogus", "Note.", "statuses offered"),
        ("announced", "Note.", "statuses offered"),  # no way back from in progress
        ("done", "  ", "Write a note"),
        ("done", "n" * 5001, "at most 5000"),
    ],
)
def test_bad_measure_updates_change_nothing(official, make_user, status, note, message):
    measure = create_measure(make_user, status="in_progress")
    with pytest.raises(DomainError, match=message):
        post_measure_update(measure, official, status, note)
    db.session.rollback()
    assert rows(MeasureUpdate) == rows(Notification) == 0
    assert db.session.get(Measure, measure.id).status == "in_progress"


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_update_measures(make_user, role):
    measure = create_measure(make_user)
    with pytest.raises(PermissionDenied):
        post_measure_update(measure, make_user(role), "done", "Done.")
    assert rows(MeasureUpdate) == 0


def test_an_unconfirmed_account_cannot_ask(make_user):
    from ideation.auth.rules import EmailNotConfirmed
    from ideation.governor.operations import ask_question

    with pytest.raises(EmailNotConfirmed):
        ask_question(make_user(confirmed=False), "Night buses?", "When will they run?")
