"""Measures created from ideas, decisions and sessions; progress; who is told."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ideation.audit.models import AuditLog
from ideation.duplicates.models import IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Support
from ideation.measures.models import Measure, MeasureLink
from ideation.measures.operations import (
    MeasureAnnouncement,
    create_measure,
    post_measure_update,
)
from ideation.notifications.models import Notification
from ideation.sessions.models import DesignSession, SessionIdea, SessionStatus
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from ideation.shortlist.models import ShortlistDecision
from tests.helpers import create_governor_question
from tests.helpers import create_measure as announced_measure


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


def plan(**fields) -> MeasureAnnouncement:
    fields.setdefault("department", "State Department of Health")
    return MeasureAnnouncement(
        fields.pop("title", "Evening clinics"),
        fields.pop("description", "Open three clinics until 22h."),
        fields.pop("target_date", in_days(90)),
        **fields,
    )


def support(idea, *users) -> None:
    for user in users:
        db.session.add(Support(idea_id=idea.id, user_id=user.id))
    db.session.commit()


def notified() -> list[tuple[int, str]]:
    return sorted((n.user_id, n.kind) for n in db.session.scalars(select(Notification)))


@pytest.fixture
def official(app, make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def selected(make_idea):
    return lambda **fields: make_idea(status="selected", **fields)


def test_an_official_turns_a_selected_idea_into_a_measure(official, selected):
    idea = selected()
    measure = create_measure(
        official,
        plan(budget_cents=125_000_050, start_date=in_days(1)),
        ideas=[idea],
    )
    db.session.commit()
    stored = db.session.get(Measure, measure.id)
    assert (stored.department, stored.budget_cents, stored.progress) == (
        "State Department of Health",
        125_000_050,
        0,
    )
    assert [link.idea_id for link in stored.links] == [idea.id]
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "measure.created")
    )
    assert entry.actor_id == official.id and entry.details["idea_ids"] == [idea.id]


@pytest.mark.parametrize("status", ["in_design"])
def test_an_idea_in_design_may_become_a_measure(official, make_idea, status):
    measure = create_measure(official, plan(), ideas=[make_idea(status=status)])
    assert measure.id


@pytest.mark.parametrize("status", ["submitted", "shortlisted", "declined"])
def test_other_ideas_may_not(official, make_idea, status):
    with pytest.raises(DomainError, match="Only a selected idea"):
        create_measure(official, plan(), ideas=[make_idea(status=status)])


def test_only_officials_create_measures(make_user, selected):
    with pytest.raises(PermissionDenied):
        create_measure(make_user(), plan(), ideas=[selected()])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"department": ""}, "department"),
        ({"department": "d" * 121}, "department"),
        ({"target_date": in_days(-1)}, "target_date"),
        ({"start_date": in_days(100), "target_date": in_days(10)}, "start_date"),
        ({"budget_cents": -1}, "budget"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_fields_are_refused_on_their_field(official, selected, fields, field):
    with pytest.raises(DomainError) as caught:
        create_measure(official, plan(**fields), ideas=[selected()])
    assert caught.value.field == field


def test_a_decision_links_the_decision_and_each_of_its_ideas(
    official, make_question, make_idea
):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(2)]
    decision = ShortlistDecision(
        question_id=question.id, decided_by_id=official.id, reason="Best", ideas=ideas
    )
    db.session.add(decision)
    db.session.commit()
    measure = create_measure(official, plan(), shortlist_decision=decision)
    db.session.commit()
    links = db.session.get(Measure, measure.id).links
    assert sorted(link.idea_id for link in links if link.idea_id) == sorted(
        idea.id for idea in ideas
    )
    assert [
        link.shortlist_decision_id for link in links if link.shortlist_decision_id
    ] == [decision.id]


def _session(official, ideas, outcome: str | None) -> DesignSession:
    now = utcnow()
    session = DesignSession(
        title="Clinic hours workshop",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2, hours=-2),
        place="City hall",
        capacity=10,
        status=SessionStatus.HELD if outcome else SessionStatus.SCHEDULED,
        outcome=outcome,
        outcome_published_at=now if outcome else None,
        created_by=official,
    )
    db.session.add(session)
    db.session.flush()
    for idea in ideas:
        db.session.add(SessionIdea(session_id=session.id, idea_id=idea.id))
    db.session.commit()
    return session


def test_a_session_leads_to_a_measure_once_its_outcome_is_published(
    official, make_idea
):
    idea = make_idea(status="in_design")
    without = _session(official, [idea], None)
    with pytest.raises(DomainError, match="outcome is published"):
        create_measure(official, plan(), design_session=without)
    db.session.rollback()
    held = _session(official, [idea], "Open until 22h.")
    measure = create_measure(official, plan(), design_session=held)
    db.session.commit()
    kinds = {
        ("idea" if link.idea_id else "session")
        for link in db.session.get(Measure, measure.id).links
    }
    assert kinds == {"idea", "session"}


def test_nothing_to_come_from_is_refused(official):
    with pytest.raises(DomainError, match="Choose what led"):
        create_measure(official, plan())


def test_one_notification_per_person_however_many_links_lead_to_them(
    official, make_user, make_question, make_idea
):
    """Ana wrote one idea and supports the other; Bea supports both and the
    question to the governor; Caio's merged idea makes him a co-author."""
    ana, bea, caio, dora = (make_user(name=n) for n in ("Ana", "Bea", "Caio", "Dora"))
    question = make_question()
    first = make_idea(question=question, author=ana, status="selected")
    second = make_idea(question=question, author=dora, status="selected")
    merged = make_idea(
        question=question, author=caio, status="merged", merged_into_id=first.id
    )
    db.session.add(
        IdeaMerge(
            source_id=merged.id,
            target_id=first.id,
            reason="Same idea",
            source_status_before="submitted",
        )
    )
    support(first, bea)
    support(second, ana, bea, official)
    measure = create_measure(official, plan(), ideas=[first, second])
    asked = create_governor_question(make_user, author=dora, supporters=[bea])
    db.session.add(MeasureLink(measure_id=measure.id, governor_question_id=asked.id))
    db.session.commit()

    post_measure_update(measure, official, "announced", "Budget approved.", progress=10)
    db.session.commit()
    expected = sorted((user.id, "measure.progress") for user in (ana, bea, caio, dora))
    assert notified() == expected  # the official who posted is not told

    notification = db.session.scalars(select(Notification)).first()
    assert notification.params["quote"] == "Budget approved."
    assert notification.params["progress"] == 10


def test_progress_with_the_same_status_then_done_is_full(official, selected, make_user):
    idea, supporter = selected(), make_user()
    support(idea, supporter)
    measure = create_measure(official, plan(), ideas=[idea])
    db.session.commit()

    update = post_measure_update(
        measure, official, "in_progress", "Works started.", progress=30
    )
    assert (update.progress, measure.progress) == (30, 30)
    update = post_measure_update(measure, official, "in_progress", "Half.", progress=50)
    assert measure.progress == 50
    update = post_measure_update(measure, official, "in_progress", "Just news.")
    assert (update.progress, measure.progress) == (50, 50)  # None: unchanged
    post_measure_update(measure, official, "done", "Open!", progress=70)
    db.session.commit()
    assert db.session.get(Measure, measure.id).progress == 100
    told = db.session.scalars(
        select(Notification.kind)
        .where(Notification.user_id == supporter.id)
        .order_by(Notification.id)
    )
    assert list(told) == [
        "measure.in_progress",
        "measure.progress",
        "measure.news",
        "measure.done",
    ]


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_out_of_range_is_refused(official, make_user, progress):
    measure = announced_measure(make_user, status="in_progress")
    with pytest.raises(DomainError, match="from 0 to 100") as caught:
        post_measure_update(measure, official, "in_progress", "Note", progress=progress)
    assert caught.value.field == "progress"


def test_the_schema_keeps_progress_and_links_honest(make_user, selected):
    measure = announced_measure(make_user)
    measure.progress = 101
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    measure = announced_measure(make_user)
    measure.status = "done"  # at 0%
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    measure = announced_measure(make_user)
    idea = selected()
    question = create_governor_question(make_user)
    for fields in (
        {},
        {"idea_id": idea.id, "governor_question_id": question.id},
    ):
        db.session.add(MeasureLink(measure_id=measure.id, **fields))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    db.session.add(MeasureLink(measure_id=measure.id, idea_id=idea.id))
    db.session.commit()
    db.session.add(MeasureLink(measure_id=measure.id, idea_id=idea.id))
    with pytest.raises(IntegrityError):  # each source once per measure
        db.session.commit()
    db.session.rollback()
