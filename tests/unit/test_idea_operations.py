"""Operations on ideas and supports, called directly (no HTTP)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.ideas.operations import (
    edit_idea,
    submit_idea,
    support_idea,
    unsupport_idea,
    withdraw_idea,
)
from ideation.questions.models import QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied


def support_rows(idea) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )


def stored_count(idea) -> int:
    return db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))


def closed_question(make_question):
    return make_question(status=QuestionStatus.CLOSED, closed_at=utcnow())


# Submit


def test_submit_idea_stores_text_as_given(make_question, make_user):
    question, author = make_question(), make_user()
    idea = submit_idea(question, author, "Night <b>clinics</b>", "Line 1\nLine 2")
    db.session.commit()
    stored = db.session.get(Idea, idea.id)
    assert (stored.title, stored.description) == (
        "Night <b>clinics</b>",
        "Line 1\nLine 2",
    )
    assert stored.author_id == author.id and stored.question_id == question.id
    assert stored.status == IdeaStatus.SUBMITTED.value and stored.support_count == 0


def test_submit_idea_refused_on_closed_question(make_question, make_user):
    with pytest.raises(DomainError, match="closed"):
        submit_idea(closed_question(make_question), make_user(), "Title")
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_submit_idea_refused_before_question_opens(make_question, make_user):
    question = make_question(opens_at=utcnow() + timedelta(days=2))
    with pytest.raises(DomainError, match="opens on"):
        submit_idea(question, make_user(), "Title")


@pytest.mark.parametrize(
    ("title", "description"),
    [("", ""), ("   ", ""), ("x" * 141, ""), ("ok", "y" * 2001)],
)
def test_submit_idea_checks_text(make_question, make_user, title, description):
    with pytest.raises(DomainError):
        submit_idea(make_question(), make_user(), title, description)


# Edit


def test_author_edits_within_window(make_idea):
    idea = make_idea()
    edit_idea(idea, idea.author, "New title", "New description")
    db.session.commit()
    stored = db.session.get(Idea, idea.id)
    assert (stored.title, stored.description) == ("New title", "New description")
    assert stored.updated_at is not None


def test_edit_refused_after_window(app, make_idea):
    window = app.config["IDEA_EDIT_WINDOW"]
    idea = make_idea(created_at=utcnow() - window - timedelta(seconds=1))
    with pytest.raises(DomainError, match="minutes"):
        edit_idea(idea, idea.author, "Too late")


def test_edit_allowed_just_inside_window(app, make_idea):
    window = app.config["IDEA_EDIT_WINDOW"]
    idea = make_idea(created_at=utcnow() - window + timedelta(seconds=30))
    assert edit_idea(idea, idea.author, "Just in time").title == "Just in time"


def test_edit_refused_after_first_support(make_idea, make_user):
    idea = make_idea()
    support_idea(idea, make_user())
    db.session.commit()
    with pytest.raises(DomainError, match="supporters"):
        edit_idea(idea, idea.author, "Changed after support")


def test_edit_by_someone_else_is_forbidden(make_idea, make_user):
    with pytest.raises(PermissionDenied):
        edit_idea(make_idea(), make_user(), "Hijacked")


# Withdraw


def test_withdraw_keeps_supports(make_idea, make_user):
    idea = make_idea()
    support_idea(idea, make_user())
    withdraw_idea(idea, idea.author)
    db.session.commit()
    stored = db.session.get(Idea, idea.id)
    assert stored.status == IdeaStatus.WITHDRAWN.value
    assert stored.withdrawn_at is not None
    assert support_rows(idea) == stored.support_count == 1


def test_withdraw_by_someone_else_is_forbidden(make_idea, make_user):
    idea = make_idea()
    with pytest.raises(PermissionDenied):
        withdraw_idea(idea, make_user())
    assert not idea.is_withdrawn


def test_withdraw_twice_is_refused(make_idea):
    idea = make_idea()
    withdraw_idea(idea, idea.author)
    with pytest.raises(DomainError, match="already"):
        withdraw_idea(idea, idea.author)


def test_shortlisted_idea_cannot_be_withdrawn(make_idea):
    idea = make_idea(status=IdeaStatus.SHORTLISTED.value)
    with pytest.raises(DomainError):
        withdraw_idea(idea, idea.author)


# Support


def test_support_adds_one_row_and_one_count(make_idea, make_user):
    idea, user = make_idea(), make_user()
    assert support_idea(idea, user) is True
    db.session.commit()
    assert support_rows(idea) == stored_count(idea) == 1
    assert idea.support_count == 1


def test_support_twice_is_idempotent(make_idea, make_user):
    idea, user = make_idea(), make_user()
    support_idea(idea, user)
    db.session.commit()
    assert support_idea(idea, user) is False
    db.session.commit()
    assert support_rows(idea) == stored_count(idea) == 1


def test_unsupport_removes_row_and_count(make_idea, make_user):
    idea, user, other = make_idea(), make_user(), make_user()
    support_idea(idea, user)
    support_idea(idea, other)
    db.session.commit()
    assert unsupport_idea(idea, user) is True
    db.session.commit()
    assert support_rows(idea) == stored_count(idea) == 1
    assert unsupport_idea(idea, user) is False
    db.session.commit()
    assert support_rows(idea) == stored_count(idea) == 1


def test_support_refused_on_closed_question(make_question, make_idea, make_user):
    idea = make_idea(question=closed_question(make_question))
    with pytest.raises(DomainError, match="supports are no longer accepted"):
        support_idea(idea, make_user())
    assert support_rows(idea) == stored_count(idea) == 0


def test_support_refused_when_question_past_closing_date(
    make_question, make_idea, make_user
):
    question = make_question(
        opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(days=1)
    )
    with pytest.raises(DomainError, match="closed"):
        support_idea(make_idea(question=question), make_user())


def test_unsupport_refused_on_closed_question(make_question, make_idea, make_user):
    idea, user = make_idea(), make_user()
    support_idea(idea, user)
    db.session.commit()
    idea.question.status = QuestionStatus.CLOSED.value
    db.session.commit()
    with pytest.raises(DomainError, match="closed"):
        unsupport_idea(idea, user)
    assert support_rows(idea) == stored_count(idea) == 1


def test_support_refused_on_withdrawn_idea(make_idea, make_user):
    idea = make_idea()
    withdraw_idea(idea, idea.author)
    db.session.commit()
    with pytest.raises(DomainError, match="withdrawn"):
        support_idea(idea, make_user())


def test_author_cannot_support_own_idea(make_idea):
    idea = make_idea()
    with pytest.raises(DomainError, match="own idea"):
        support_idea(idea, idea.author)
    assert support_rows(idea) == 0


def test_count_is_added_in_sql_not_from_a_stale_copy(make_idea, make_user):
    """Another transaction's support, unseen by this session, is not overwritten."""
    idea, first, second = make_idea(), make_user(), make_user()
    idea_id, first_id = idea.id, first.id
    # Ended: this session holds no snapshot (SQLite) while the other one writes.
    db.session.commit()
    with db.engine.begin() as other_transaction:
        other_transaction.execute(
            Support.__table__.insert().values(
                idea_id=idea_id, user_id=first_id, created_at=utcnow()
            )
        )
        other_transaction.execute(
            Idea.__table__.update()
            .where(Idea.id == idea_id)
            .values(support_count=Idea.support_count + 1)
        )
    set_committed_value(idea, "support_count", 0)  # as loaded before that, stale
    support_idea(idea, second)
    db.session.commit()
    assert support_rows(idea) == stored_count(idea) == 2


def test_counts_equal_rows_after_many_changes(make_idea, make_user):
    ideas = [make_idea(), make_idea()]
    users = [make_user() for _ in range(5)]
    for step, user in enumerate(users):
        for idea in ideas:
            support_idea(idea, user)
            if step % 2:
                unsupport_idea(idea, user)
            support_idea(idea, user)
            if step == 3:
                unsupport_idea(idea, user)
        db.session.commit()
    for idea in ideas:
        assert support_rows(idea) == stored_count(idea) == 4


def test_an_unconfirmed_account_cannot_submit(make_user, make_question):
    from ideation.auth.rules import EmailNotConfirmed

    author = make_user(confirmed=False)
    with pytest.raises(EmailNotConfirmed):
        submit_idea(make_question(), author, "Night buses", "")


def test_a_blocked_account_cannot_submit(make_user, make_question):
    from ideation.auth.rules import AccountBlocked
    from ideation.shared.db import utcnow

    author = make_user(blocked_at=utcnow(), blocked_reason="Spam")
    with pytest.raises(AccountBlocked):
        submit_idea(make_question(), author, "Night buses", "")
