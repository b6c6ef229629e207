"""Officials' responses: the transition table and respond_to_ideas."""

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.duplicates.models import IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.jobs import queue as jobs
from ideation.notifications.messages import MESSAGES, render_message
from ideation.notifications.models import Notification
from ideation.responses.models import RESPONSE_TARGETS, TRANSITIONS, IdeaResponse
from ideation.responses.operations import correct_response, respond_to_ideas
from ideation.responses.queries import (
    allowed_targets,
    is_allowed,
    last_department,
    targets_for,
    timeline,
)
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role

S = IdeaStatus
DEPARTMENT = "Department of Health"
TEXT = "We are studying **evening hours** in three clinics."


def support(idea, *users):
    for user in users:
        db.session.add(Support(idea_id=idea.id, user_id=user.id))
    db.session.flush()
    idea.support_count = db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )
    db.session.commit()


def notifications() -> list[tuple[int, str, str]]:
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.link)
    )
    return sorted(rows)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def status_of(idea) -> str:
    return db.session.scalar(select(Idea.status).where(Idea.id == idea.id))


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL, name="Olga Official")


@pytest.fixture
def question(make_question):
    return make_question()


# -- the transition table --------------------------------------------------------------


def test_the_transition_table_is_the_agreed_one():
    assert TRANSITIONS == {
        S.SUBMITTED: (S.UNDER_REVIEW, S.DECLINED),
        S.UNDER_REVIEW: (S.SHORTLISTED, S.DECLINED),
        S.SHORTLISTED: (S.SELECTED, S.DECLINED, S.UNDER_REVIEW),
        S.SELECTED: (S.IN_DESIGN, S.DECLINED),
        S.IN_DESIGN: (S.IMPLEMENTED, S.DECLINED),
        S.IMPLEMENTED: (),
        S.DECLINED: (S.UNDER_REVIEW,),
        S.WITHDRAWN: (),
        S.MERGED: (),
    }


def test_every_status_has_a_row_and_no_move_stays_put_or_leaves_the_workflow():
    assert set(TRANSITIONS) == set(IdeaStatus)
    for source, targets in TRANSITIONS.items():
        assert source not in targets
        assert not {S.SUBMITTED, S.WITHDRAWN, S.MERGED} & set(targets)
    assert set(RESPONSE_TARGETS) == {
        S.UNDER_REVIEW,
        S.SHORTLISTED,
        S.SELECTED,
        S.IN_DESIGN,
        S.IMPLEMENTED,
        S.DECLINED,
    }


def test_the_queries_read_the_table():
    assert allowed_targets("shortlisted") == ("selected", "declined", "under_review")
    assert allowed_targets("withdrawn") == ()
    assert allowed_targets("merged") == ()
    assert allowed_targets("no such status") == ()
    assert is_allowed("submitted", "under_review")
    assert not is_allowed("submitted", "selected")
    assert not is_allowed("implemented", "declined")


def test_targets_for_several_ideas_are_those_any_of_them_may_reach(make_idea):
    a = make_idea(status="submitted")
    b = make_idea(status="selected")
    # "update" first: a public update that keeps each idea's status.
    assert targets_for([a, b]) == ("update", "under_review", "in_design", "declined")


def test_withdrawn_and_merged_ideas_take_no_update(make_idea):
    assert targets_for([make_idea(status="withdrawn")]) == ()
    assert targets_for([make_idea(status="implemented")]) == ("update",)


def test_an_update_keeps_the_status_notifies_and_is_audited(
    make_idea, make_user, official
):
    author, fan = make_user(), make_user()
    idea = make_idea(author=author, status="implemented")
    support(idea, fan)
    [response] = respond_to_ideas([idea], official, "update", TEXT, DEPARTMENT)
    db.session.commit()
    assert idea.status == "implemented" and response.is_update
    assert (response.status_from, response.status_to) == ("implemented", "implemented")
    assert sorted(kind for _user, kind, _link in notifications()) == [
        "idea_status.update.author",
        "idea_status.update.supporter",
    ]
    entry = db.session.scalars(select(AuditLog)).one()
    assert entry.action == "idea.update_posted"


def test_an_update_to_a_withdrawn_idea_is_refused(make_idea, official):
    idea = make_idea(status="withdrawn")
    with pytest.raises(DomainError, match="take no updates"):
        respond_to_ideas([idea], official, "update", TEXT, DEPARTMENT)


def test_a_correction_keeps_the_earlier_wording_on_every_idea_of_the_group(
    make_idea, question, official
):
    a, b = make_idea(question=question), make_idea(question=question)
    first, second = respond_to_ideas([a, b], official, "under_review", TEXT, DEPARTMENT)
    db.session.commit()

    correct_response(first, official, "We study **four** clinics.", "Health Office")
    db.session.commit()

    for row in (first, second):
        db.session.refresh(row)
        assert row.body == "We study **four** clinics."
        assert row.department == "Health Office" and row.edited_at is not None
        [old] = row.revisions
        assert (old.body, old.department) == (TEXT, DEPARTMENT)
        assert old.published_at == row.created_at and old.editor_id == official.id
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert actions.count("idea.response_corrected") == 2


def test_a_correction_that_changes_nothing_is_refused(make_idea, official):
    [response] = respond_to_ideas(
        [make_idea()], official, "under_review", TEXT, DEPARTMENT
    )
    db.session.commit()
    with pytest.raises(DomainError, match="Nothing was changed"):
        correct_response(response, official, TEXT, DEPARTMENT)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_correct(make_idea, make_user, official, role):
    [response] = respond_to_ideas(
        [make_idea()], official, "under_review", TEXT, DEPARTMENT
    )
    db.session.commit()
    with pytest.raises(PermissionDenied):
        correct_response(response, make_user(role), "Other text", DEPARTMENT)


def test_respond_obeys_the_table_for_every_pair(make_idea, make_question, official):
    """Every (from, to) pair: done exactly when the table allows it."""
    question = make_question()
    keep = make_idea(question=question)
    for source in IdeaStatus:
        for target in RESPONSE_TARGETS:
            merged_into = keep if source == S.MERGED else None
            idea = make_idea(
                question=question, status=source.value, merged_into=merged_into
            )
            allowed = target in TRANSITIONS[source]
            try:
                respond_to_ideas([idea], official, target.value, TEXT, DEPARTMENT)
            except DomainError:
                db.session.rollback()
                assert not allowed, f"{source} -> {target} was refused"
                assert status_of(idea) == source.value
            else:
                db.session.commit()
                assert allowed, f"{source} -> {target} was let through"
                assert status_of(idea) == target.value


# -- respond_to_ideas ------------------------------------------------------------------


def test_one_response_per_idea_statuses_set_and_one_group_key(
    make_idea, question, official
):
    a, b = make_idea(question=question), make_idea(question=question)

    responses = respond_to_ideas(
        [a, b], official, "under_review", f"  {TEXT}\n", f" {DEPARTMENT} "
    )
    db.session.commit()

    assert [status_of(a), status_of(b)] == ["under_review", "under_review"]
    stored = db.session.scalars(select(IdeaResponse).order_by(IdeaResponse.id)).all()
    assert [r.idea_id for r in stored] == [a.id, b.id]
    assert stored == responses
    for response in stored:
        assert response.status_from == "submitted"
        assert response.status_to == "under_review"
        assert response.body == TEXT  # outer whitespace trimmed, Markdown kept
        assert response.department == DEPARTMENT
        assert response.actor_id == official.id
        assert response.created_at is not None
    assert stored[0].group_key and stored[0].group_key == stored[1].group_key


def test_a_single_idea_has_no_group_key_and_the_same_idea_twice_counts_once(
    make_idea, official
):
    idea = make_idea()
    respond_to_ideas([idea, idea], official, "under_review", TEXT, DEPARTMENT)
    db.session.commit()
    assert count(IdeaResponse) == 1
    assert db.session.scalar(select(IdeaResponse.group_key)) is None


def test_authors_coauthors_and_supporters_are_notified_once_per_response(
    make_idea, make_user, question, official
):
    author_a, author_b = make_user(name="Ana"), make_user(name="Bia")
    fan, other = make_user(name="Fan"), make_user(name="Other")
    merged_author = make_user(name="Merged")
    a = make_idea(question=question, author=author_a, title="Buses at night")
    b = make_idea(question=question, author=author_b, title="Night buses")
    merged = make_idea(question=question, author=merged_author, title="Late buses")
    merged.status, merged.merged_into_id = "merged", a.id
    db.session.add(
        IdeaMerge(
            source_id=merged.id,
            target_id=a.id,
            actor_id=official.id,
            reason="Same idea",
            source_status_before="submitted",
        )
    )
    db.session.commit()
    # The fan supports both ideas, and Bia wrote B and supports A: one notification
    # each, counting both. The official supports B, and is not told of their own
    # response.
    support(a, fan, author_b)
    support(b, fan, other, official)

    respond_to_ideas([a, b], official, "declined", TEXT, DEPARTMENT)
    db.session.commit()

    link_a, link_b = f"/ideas/{a.id}", f"/ideas/{b.id}"
    assert notifications() == sorted(
        [
            (author_a.id, "idea_status.declined.author", link_a),
            (merged_author.id, "idea_status.declined.author", link_a),
            (fan.id, "idea_status.declined.several", link_a),
            (author_b.id, "idea_status.declined.several", link_b),
            (other.id, "idea_status.declined.supporter", link_b),
        ]
    )
    fans = db.session.scalars(
        select(Notification).where(Notification.user_id == fan.id)
    )
    assert render_message(fans.one()) == (
        "2 ideas you wrote or support were declined, among them “Buses at night”."
    )
    note = db.session.scalars(
        select(Notification).where(Notification.user_id == author_a.id)
    ).one()
    assert render_message(note) == (
        "Your idea “Buses at night” was declined. The reason is on its page."
    )


def test_every_status_has_both_notification_kinds():
    for target in RESPONSE_TARGETS:
        assert f"idea_status.{target}.author" in MESSAGES
        assert f"idea_status.{target}.supporter" in MESSAGES
        assert f"idea_status.{target}.several" in MESSAGES


def test_each_change_is_in_the_audit_log(make_idea, question, official):
    a, b = make_idea(question=question), make_idea(question=question)
    long_text = "Declined: " + "x" * 500
    responses = respond_to_ideas([a, b], official, "declined", long_text, DEPARTMENT)
    db.session.commit()

    entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(e.action, e.target_type, e.target_id) for e in entries] == [
        ("idea.status_changed", "ideas", a.id),
        ("idea.status_changed", "ideas", b.id),
    ]
    for entry, response in zip(entries, responses, strict=True):
        assert entry.actor_id == official.id
        assert entry.reason == long_text[:200]
        assert entry.details["status_from"] == "submitted"
        assert entry.details["status_to"] == "declined"
        assert entry.details["department"] == DEPARTMENT
        assert entry.details["response_id"] == response.id
        assert entry.details["group_key"] == response.group_key


def _nothing_happened(*ideas, statuses=None):
    db.session.rollback()
    statuses = statuses or ["submitted"] * len(ideas)
    assert [status_of(i) for i in ideas] == statuses
    assert count(IdeaResponse) == 0
    assert count(Notification) == 0
    assert count(AuditLog) == 0


@pytest.mark.parametrize("reason", ["", "   \n  ", None])
def test_declining_needs_a_public_reason(make_idea, make_user, official, reason):
    idea = make_idea()
    support(idea, make_user())
    with pytest.raises(DomainError, match="reason for declining") as caught:
        respond_to_ideas([idea], official, "declined", reason, DEPARTMENT)
    assert caught.value.field == "body"
    _nothing_happened(idea)


def test_other_moves_need_a_response_too(make_idea, official):
    idea = make_idea()
    with pytest.raises(DomainError, match="Write the public response"):
        respond_to_ideas([idea], official, "under_review", " ", DEPARTMENT)
    _nothing_happened(idea)


@pytest.mark.parametrize("department", ["", "  ", None])
def test_a_response_is_signed_by_a_department(make_idea, official, department):
    idea = make_idea()
    with pytest.raises(DomainError, match="department") as caught:
        respond_to_ideas([idea], official, "under_review", TEXT, department)
    assert caught.value.field == "department"
    _nothing_happened(idea)


def test_too_long_texts_are_refused(app, make_idea, official):
    idea = make_idea()
    app.config["RESPONSE_BODY_MAX"] = 10
    with pytest.raises(DomainError, match="at most 10"):
        respond_to_ideas([idea], official, "under_review", "x" * 11, DEPARTMENT)
    with pytest.raises(DomainError, match="at most 120"):
        respond_to_ideas([idea], official, "under_review", "ok", "D" * 121)
    _nothing_happened(idea)


@pytest.mark.parametrize("status", ["", "submitted", "withdrawn", "merged", "bogus"])
def test_the_new_status_must_be_one_a_response_sets(make_idea, official, status):
    idea = make_idea()
    with pytest.raises(DomainError, match="new status"):
        respond_to_ideas([idea], official, status, TEXT, DEPARTMENT)
    _nothing_happened(idea)


def test_a_move_one_idea_may_not_make_refuses_the_whole_batch(
    make_idea, make_user, question, official
):
    fine = make_idea(question=question, title="Evening clinics")
    early = make_idea(question=question, title="Mobile clinics")
    fine.status = "under_review"
    db.session.commit()
    support(fine, make_user())
    with pytest.raises(DomainError) as caught:
        respond_to_ideas([fine, early], official, "shortlisted", TEXT, DEPARTMENT)
    message = str(caught.value)
    assert "Nothing was changed" in message
    assert "“Mobile clinics” is Submitted" in message
    assert "Evening clinics" not in message
    assert caught.value.field == "ideas"
    _nothing_happened(fine, early, statuses=["under_review", "submitted"])


def test_withdrawn_and_merged_ideas_cannot_be_moved(make_idea, question, official):
    target = make_idea(question=question)
    withdrawn = make_idea(question=question, status="withdrawn", title="Gone")
    merged = make_idea(
        question=question, status="merged", merged_into=target, title="Folded"
    )
    for idea, status in ((withdrawn, "withdrawn"), (merged, "merged")):
        with pytest.raises(DomainError, match=idea.title):
            respond_to_ideas([idea], official, "under_review", TEXT, DEPARTMENT)
        db.session.rollback()
        assert status_of(idea) == status
    assert count(IdeaResponse) == 0


def test_ideas_of_two_questions_are_refused(make_idea, make_question, official):
    a = make_idea(question=make_question())
    b = make_idea(question=make_question())
    with pytest.raises(DomainError, match="same question"):
        respond_to_ideas([a, b], official, "under_review", TEXT, DEPARTMENT)
    _nothing_happened(a, b)


def test_no_idea_is_refused(official):
    with pytest.raises(DomainError, match="at least one idea"):
        respond_to_ideas([], official, "under_review", TEXT, DEPARTMENT)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_respond(make_idea, make_user, role):
    idea = make_idea()
    with pytest.raises(PermissionDenied):
        respond_to_ideas([idea], make_user(role), "under_review", TEXT, DEPARTMENT)
    _nothing_happened(idea)


def test_admins_respond_too(make_idea, make_user):
    idea = make_idea()
    respond_to_ideas([idea], make_user(Role.ADMIN), "declined", TEXT, DEPARTMENT)
    db.session.commit()
    assert status_of(idea) == "declined"


def test_the_timeline_is_oldest_first_and_knows_shared_answers(
    make_idea, question, official
):
    a, b, c = (make_idea(question=question) for _ in range(3))
    respond_to_ideas([a, b, c], official, "under_review", "First", DEPARTMENT)
    respond_to_ideas([a], official, "shortlisted", "Second", "Other department")
    db.session.commit()
    entries = timeline(a)
    assert [(e.response.body, e.shared_with) for e in entries] == [
        ("First", 2),
        ("Second", 0),
    ]


def test_the_last_department_an_official_used_prefills_the_next(
    app, make_idea, make_user, official
):
    assert last_department(official) == app.config["DEFAULT_DEPARTMENT"]
    idea = make_idea()
    respond_to_ideas([idea], official, "under_review", TEXT, "Department of Roads")
    respond_to_ideas([idea], official, "shortlisted", TEXT, "Department of Water")
    db.session.commit()
    assert last_department(official) == "Department of Water"
    assert last_department(make_user(Role.OFFICIAL)) == "Office of the Governor"


def test_the_email_carries_the_response_itself(
    make_idea, make_user, official, smtp_server
):
    author = make_user(name="Ana")
    idea = make_idea(author=author)
    respond_to_ideas(
        [idea], official, "declined", "Already funded in 2027.", DEPARTMENT
    )
    db.session.commit()
    jobs.run_pending()
    [message] = smtp_server.messages
    text = (
        message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    )
    assert "What they published:\n\nAlready funded in 2027." in text
