"""The shortlist board's writes (add, remove, note, decision) and its reads."""

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.duplicates.models import DuplicateCandidate, IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.responses.models import IdeaResponse
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from ideation.shortlist.models import (
    ShortlistDecision,
    ShortlistDecisionIdea,
    ShortlistEntry,
)
from ideation.shortlist.operations import (
    SelectionResponse,
    add_to_shortlist,
    record_decision,
    remove_from_shortlist,
    update_note,
)
from ideation.shortlist.queries import BoardFilters, board_rows, neutralise

REASON = "The most supported, and the clinics can start in June."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions() -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        select(AuditLog.action, AuditLog.target_type, AuditLog.target_id).order_by(
            AuditLog.id
        )
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL, name="Olga Official")


@pytest.fixture
def governor(make_user):
    return make_user(Role.ADMIN, name="Gabinete")


@pytest.fixture
def question(make_question):
    return make_question()


# -- shortlist -------------------------------------------------------------------------


def test_add_puts_the_idea_on_its_question_shortlist_once(
    make_idea, question, official
):
    idea = make_idea(question=question)
    entry = add_to_shortlist(idea, official)
    again = add_to_shortlist(idea, official)
    db.session.commit()

    assert again.id == entry.id
    assert count(ShortlistEntry) == 1
    assert (entry.question_id, entry.idea_id, entry.added_by_id, entry.note) == (
        question.id,
        idea.id,
        official.id,
        "",
    )
    assert entry.added_at is not None
    assert actions() == [("shortlist.added", "ideas", idea.id)]
    # Adding is not a public status change.
    assert db.session.scalar(select(Idea.status).where(Idea.id == idea.id)) == (
        "submitted"
    )


@pytest.mark.parametrize("status", ["withdrawn", "merged"])
def test_unlisted_ideas_cannot_be_shortlisted(make_idea, question, official, status):
    other = make_idea(question=question)
    idea = make_idea(
        question=question,
        status=status,
        merged_into=other if status == "merged" else None,
    )
    with pytest.raises(DomainError, match="no longer listed"):
        add_to_shortlist(idea, official)
    db.session.rollback()
    assert count(ShortlistEntry) == 0


def test_remove_takes_it_off_and_says_when_it_was_not_on(make_idea, official):
    idea = make_idea()
    add_to_shortlist(idea, official)
    assert remove_from_shortlist(idea, official) is True
    assert remove_from_shortlist(idea, official) is False
    db.session.commit()
    assert count(ShortlistEntry) == 0
    assert [a[0] for a in actions()] == ["shortlist.added", "shortlist.removed"]


def test_a_note_is_saved_and_the_audit_log_never_holds_its_text(make_idea, official):
    entry = add_to_shortlist(make_idea(), official)
    update_note(entry, official, "  Ask the Health secretary about costs.  ")
    db.session.commit()

    assert entry.note == "Ask the Health secretary about costs."
    assert entry.note_updated_at is not None
    logged = db.session.scalars(select(AuditLog)).all()
    assert [a.action for a in logged] == ["shortlist.added", "shortlist.note_updated"]
    assert all("costs" not in a.reason + str(a.details) for a in logged)


def test_a_too_long_note_is_refused(app, make_idea, official):
    entry = add_to_shortlist(make_idea(), official)
    update_note(entry, official, "Before")
    db.session.commit()
    app.config["SHORTLIST_NOTE_MAX"] = 5
    with pytest.raises(DomainError, match="at most 5") as caught:
        update_note(entry, official, "Too long")
    assert caught.value.field == "note"
    db.session.rollback()
    assert db.session.scalar(select(ShortlistEntry.note)) == "Before"


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_change_the_shortlist(make_idea, make_user, official, role):
    idea = make_idea()
    entry = add_to_shortlist(idea, official)
    db.session.commit()
    someone = make_user(role)
    for attempt in (
        lambda: add_to_shortlist(make_idea(), someone),
        lambda: remove_from_shortlist(idea, someone),
        lambda: update_note(entry, someone, "Mine"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    db.session.rollback()
    assert count(ShortlistEntry) == 1


# -- decision --------------------------------------------------------------------------


@pytest.fixture
def shortlisted(make_idea, question, official):
    ideas = [make_idea(question=question, title=f"Idea {n}") for n in range(3)]
    for idea in ideas:
        add_to_shortlist(idea, official)
    db.session.commit()
    return ideas


def test_the_decision_records_who_when_why_and_which(question, governor, shortlisted):
    chosen = shortlisted[:2]
    decision = record_decision(question, governor, chosen, f"  {REASON}  ")
    db.session.commit()

    stored = db.session.scalars(select(ShortlistDecision)).one()
    assert stored is decision
    assert (stored.question_id, stored.decided_by_id, stored.reason) == (
        question.id,
        governor.id,
        REASON,
    )
    assert stored.decided_at is not None
    assert stored.idea_ids == sorted(i.id for i in chosen)
    assert count(ShortlistDecisionIdea) == 2
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "shortlist.decided")
    ).one()
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.reason) == (
        governor.id,
        "shortlist_decisions",
        decision.id,
        REASON,
    )
    assert entry.details["idea_ids"] == [i.id for i in chosen]
    assert entry.details["selected"] is False
    # Recording alone changes no public status.
    assert count(IdeaResponse) == 0


def test_the_decision_may_select_the_chosen_ideas_publicly(
    question, governor, official, shortlisted
):
    chosen = shortlisted[:2]
    for idea in chosen:
        idea.status = "shortlisted"
    db.session.commit()
    record_decision(
        question,
        governor,
        chosen,
        REASON,
        selection=SelectionResponse("Selected for design.", "Office of the Governor"),
    )
    db.session.commit()
    statuses = db.session.scalars(
        select(Idea.status).where(Idea.id.in_([i.id for i in chosen]))
    ).all()
    assert statuses == ["selected", "selected"]
    responses = db.session.scalars(select(IdeaResponse)).all()
    assert {(r.idea_id, r.status_to, r.body) for r in responses} == {
        (i.id, "selected", "Selected for design.") for i in chosen
    }
    assert count(ShortlistDecision) == 1


def test_a_selection_one_idea_cannot_make_refuses_the_decision(
    question, governor, shortlisted
):
    shortlisted[0].status = "shortlisted"
    db.session.commit()  # the other idea is still "submitted"
    with pytest.raises(DomainError, match=shortlisted[1].title):
        record_decision(
            question,
            governor,
            shortlisted[:2],
            REASON,
            selection=SelectionResponse("Selected.", "Office of the Governor"),
        )
    db.session.rollback()
    assert count(ShortlistDecision) == 0
    assert count(IdeaResponse) == 0


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_the_decision_needs_a_reason(question, governor, shortlisted, reason):
    with pytest.raises(DomainError, match="Say why") as caught:
        record_decision(question, governor, shortlisted, reason)
    assert caught.value.field == "reason"
    db.session.rollback()
    assert count(ShortlistDecision) == 0


def test_the_decision_chooses_shortlisted_ideas_of_its_question(
    make_idea, make_question, question, governor, shortlisted
):
    with pytest.raises(DomainError, match="Tick the ideas"):
        record_decision(question, governor, [], REASON)
    off_list = make_idea(question=question, title="Not shortlisted")
    with pytest.raises(DomainError, match="Not shortlisted"):
        record_decision(question, governor, [shortlisted[0], off_list], REASON)
    elsewhere = make_idea(question=make_question(), title="Other question")
    add_to_shortlist(elsewhere, governor)
    with pytest.raises(DomainError, match="Other question"):
        record_decision(question, governor, [elsewhere], REASON)
    db.session.rollback()
    assert count(ShortlistDecision) == 0


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR, Role.OFFICIAL])
def test_only_the_governors_office_decides(question, shortlisted, make_user, role):
    with pytest.raises(PermissionDenied):
        record_decision(question, make_user(role), shortlisted, REASON)
    db.session.rollback()
    assert count(ShortlistDecision) == 0


# -- the board's rows ------------------------------------------------------------------


def candidate(question, a, b):
    a_id, b_id = sorted((a.id, b.id))
    db.session.add(
        DuplicateCandidate(
            question_id=question.id, idea_a_id=a_id, idea_b_id=b_id, similarity=0.9
        )
    )


def test_group_size_is_merged_ideas_plus_the_current_duplicate_group(
    make_idea, question, official
):
    a, b, c, alone = (make_idea(question=question) for _ in range(4))
    # m1 merged into a, m2 merged into m1 (a chain): a stands for both.
    m1 = make_idea(question=question, status="merged", merged_into=a)
    m2 = make_idea(question=question, status="merged", merged_into=m1)
    for source, target in ((m1, a), (m2, m1)):
        db.session.add(
            IdeaMerge(
                source_id=source.id,
                target_id=target.id,
                reason="same",
                source_status_before="submitted",
            )
        )
    candidate(question, a, b)
    candidate(question, b, c)
    db.session.commit()

    rows = {row.idea.id: row for row in board_rows(question, BoardFilters())}
    assert set(rows) == {a.id, b.id, c.id, alone.id}  # merged ideas are not listed
    assert (rows[a.id].merged, rows[a.id].group_size) == (2, 5)
    assert (rows[b.id].merged, rows[b.id].group_size) == (0, 3)
    assert rows[alone.id].group_size == 1
    assert rows[a.id].group_key == f"{a.id}-{b.id}-{c.id}"
    assert rows[alone.id].group_key is None
    ranked = board_rows(question, BoardFilters(sort="group"))
    assert [r.idea.id for r in ranked][:2] == [a.id, b.id]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        # A tab starts a formula, and separates cells too.
        ("\t=1", "'\t'=1"),
        ("Saúde já", "Saúde já"),
        (12, "12"),
        (None, ""),
        # Excel in pt-BR and es splits cells at ";", its list separator: a formula
        # after any separator (then spaces or quotes) is made text as well.
        ('Saúde;=HYPERLINK("http://evil")', 'Saúde;\'=HYPERLINK("http://evil")'),
        ("a,+1", "a,'+1"),
        ("a; -1", "a; '-1"),
        ('a;"=1+1', "a;\"'=1+1"),
        ("first line\n=cmd|' /C calc'!A0", "first line\n'=cmd|' /C calc'!A0"),
        ("Evening clinics - open late", "Evening clinics - open late"),
        ("2024-05-01", "2024-05-01"),
        ("clinics, evening", "clinics, evening"),
    ],
)
def test_cells_that_spreadsheets_would_run_are_made_text(cell, written):
    assert neutralise(cell) == written
