"""Officials close questions to the governor: declined, or merged into another."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.governor.models import (
    GovernorQuestion,
    GovernorQuestionStatus,
    GovernorQuestionSupport,
)
from ideation.governor.operations import (
    answer_question,
    decline_question,
    merge_question,
    support_question,
)
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from tests.helpers import create_governor_question

REASON = "Schools of the city are decided by the city council, not the state."


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def asker(make_user):
    return make_user(name="Ana Asker")


@pytest.fixture
def fans(make_user):
    return [make_user(name="Fan One"), make_user(name="Fan Two")]


@pytest.fixture
def question(make_user, asker, fans):
    return create_governor_question(make_user, author=asker, supporters=fans)


def supporters_of(question) -> set[int]:
    stmt = select(GovernorQuestionSupport.user_id).where(
        GovernorQuestionSupport.question_id == question.id
    )
    return set(db.session.scalars(stmt))


def kinds() -> dict[int, str]:
    return {n.user_id: n.kind for n in db.session.scalars(select(Notification))}


def test_decline_closes_in_public_notifies_and_is_audited(
    question, official, asker, fans
):
    decline_question(question, official, f"  {REASON}  ")
    db.session.commit()

    assert question.status == GovernorQuestionStatus.DECLINED
    assert question.closed_reason == REASON and question.closed_at is not None
    assert question.support_count == 2  # the record stays as it was
    assert kinds() == {
        asker.id: "governor.declined.author",
        fans[0].id: "governor.declined.supporter",
        fans[1].id: "governor.declined.supporter",
    }
    note = db.session.scalars(select(Notification)).first()
    assert note.params["quote"] == REASON
    [entry] = db.session.scalars(select(AuditLog)).all()
    assert (entry.action, entry.actor_id) == ("governor_question.declined", official.id)


def test_merge_moves_the_asker_and_supporters_once(
    make_user, question, official, asker, fans
):
    target_author = make_user()
    target = create_governor_question(
        make_user, author=target_author, supporters=[fans[0]], title="Same, earlier"
    )
    # The target's own author supported the merged question: not counted twice.
    support_question(question, target_author)
    db.session.commit()

    merge_question(question, target, official, REASON)
    db.session.commit()

    assert question.status == GovernorQuestionStatus.MERGED
    assert question.merged_into_id == target.id
    assert supporters_of(target) == {fans[0].id, fans[1].id, asker.id}
    db.session.refresh(target)
    assert target.support_count == 3 == len(supporters_of(target))
    assert kinds()[asker.id] == "governor.merged.author"
    assert kinds()[fans[1].id] == "governor.merged.supporter"
    link = db.session.scalar(
        select(Notification.link).where(Notification.user_id == asker.id)
    )
    assert link == f"/governor/questions/{target.id}"  # where the answer will be
    entry = db.session.scalars(select(AuditLog)).one()
    assert entry.action == "governor_question.merged"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(question, official, reason):
    with pytest.raises(DomainError) as refused:
        decline_question(question, official, reason)
    assert refused.value.field == "reason"


def test_a_too_long_reason_is_refused(app, question, official):
    with pytest.raises(DomainError, match="at most"):
        decline_question(
            question, official, "x" * (app.config["GOVERNOR_CLOSING_REASON_MAX"] + 1)
        )


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MODERATOR])
def test_only_officials_close(make_user, question, role):
    with pytest.raises(PermissionDenied):
        decline_question(question, make_user(role), REASON)


def test_an_answered_or_closed_question_cannot_be_closed(make_user, question, official):
    decline_question(question, official, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="already closed"):
        decline_question(question, official, REASON)
    answered = create_governor_question(make_user)
    answer_question(answered, official, "We will.", "Office of the Governor")
    db.session.commit()
    with pytest.raises(DomainError, match="already been answered"):
        decline_question(answered, official, REASON)


def test_merge_targets_that_cannot_take_it(make_user, question, official):
    with pytest.raises(DomainError, match="itself"):
        merge_question(question, question, official, REASON)
    with pytest.raises(DomainError, match="no question"):
        merge_question(question, None, official, REASON)
    closed = create_governor_question(make_user)
    decline_question(closed, official, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="closed too"):
        merge_question(question, closed, official, REASON)
    hidden = create_governor_question(
        make_user, hidden_at=utcnow(), hidden_reason="spam"
    )
    with pytest.raises(DomainError, match="hidden"):
        merge_question(question, hidden, official, REASON)


def test_a_closed_question_takes_no_more_supports_or_answers(
    make_user, question, official
):
    decline_question(question, official, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="closed"):
        support_question(question, make_user())
    with pytest.raises(DomainError, match="closed"):
        answer_question(question, official, "Late answer", "Office of the Governor")


def test_the_schema_ties_the_closing_fields_to_the_status(question):
    question.status = GovernorQuestionStatus.DECLINED  # without a date and reason
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    question = db.session.get(GovernorQuestion, question.id)
    question.status = GovernorQuestionStatus.MERGED
    question.closed_at, question.closed_reason = utcnow(), REASON  # but into nothing
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GovernorQuestion)) == 1
