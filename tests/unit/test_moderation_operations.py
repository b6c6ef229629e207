"""Moderation operations called directly: flag, hide, restore, dismiss, block."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.auth.rules import AccountBlocked
from ideation.extensions import db
from ideation.governor.rules import ensure_supportable as ensure_question_supportable
from ideation.ideas.models import Support
from ideation.ideas.operations import support_idea
from ideation.ideas.rules import ensure_editable, ensure_supportable
from ideation.moderation.models import Flag
from ideation.moderation.operations import (
    ModerationError,
    block_user,
    dismiss_flags,
    flag_item,
    hide_item,
    open_flag_count,
    restore_item,
    unblock_user,
)
from ideation.moderation.rules import AlreadyFlagged, can_block
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from tests.helpers import create_governor_question

MODERATORS = (Role.MODERATOR, Role.OFFICIAL, Role.ADMIN)
REASON = "Advertises a private clinic; nothing to do with the question."


def rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def notifications_of(user) -> list[tuple[str, dict]]:
    stmt = select(Notification).where(Notification.user_id == user.id)
    return [(n.kind, n.params) for n in db.session.scalars(stmt)]


def open_flags(item, target_type="idea") -> int:
    return open_flag_count(target_type, item.id)


@pytest.fixture
def idea(make_idea):
    return make_idea(title="Cheap pills at PharmaPlus")


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR)


def flag_by(make_user, item, count: int, reason: str = "spam") -> list:
    users = [make_user() for _ in range(count)]
    for user in users:
        flag_item(item, user, reason)
    db.session.commit()
    return users


# ---- Flag ----


def test_flag_records_one_open_report(idea, make_user):
    citizen = make_user()
    flag = flag_item(idea, citizen, "offensive", "  Insults the nurses.  ")
    db.session.commit()
    assert (flag.target_type, flag.target_id, flag.user_id) == (
        "idea",
        idea.id,
        citizen.id,
    )
    assert (flag.reason, flag.note, flag.resolved_at) == (
        "offensive",
        "Insults the nurses.",
        None,
    )
    assert idea.hidden_at is None
    assert audit("idea.auto_hidden") == []  # a citizen's report is not logged


def test_one_flag_per_person_per_item(idea, make_user):
    citizen = make_user()
    flag_item(idea, citizen, "spam")
    db.session.commit()
    with pytest.raises(AlreadyFlagged, match="already reported this idea"):
        flag_item(idea, citizen, "offensive")
    db.session.rollback()
    assert rows(Flag) == 1


def test_the_unique_triple_holds_in_the_schema(idea, make_user):
    citizen = make_user()
    flag_item(idea, citizen, "spam")
    db.session.commit()
    db.session.add(
        Flag(target_type="idea", target_id=idea.id, user_id=citizen.id, reason="spam")
    )
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_the_same_person_may_flag_another_item(idea, make_idea, make_user):
    citizen = make_user()
    flag_item(idea, citizen, "spam")
    flag_item(make_idea(), citizen, "spam")
    db.session.commit()
    assert rows(Flag, Flag.user_id == citizen.id) == 2


def test_own_idea_cannot_be_flagged(idea):
    with pytest.raises(DomainError, match="your own idea"):
        flag_item(idea, idea.author, "spam")
    db.session.rollback()
    assert rows(Flag) == 0


def test_own_question_cannot_be_flagged(make_user):
    question = create_governor_question(make_user)
    with pytest.raises(DomainError, match="your own question"):
        flag_item(question, question.author, "spam")
    db.session.rollback()
    assert rows(Flag) == 0


def test_other_needs_a_note(idea, make_user):
    citizen = make_user()
    with pytest.raises(ModerationError, match="what is wrong") as refused:
        flag_item(idea, citizen, "other", "   ")
    assert refused.value.field == "note"
    db.session.rollback()
    assert rows(Flag) == 0
    flag_item(idea, citizen, "other", "Copied from another website.")
    db.session.commit()
    assert rows(Flag) == 1


@pytest.mark.parametrize("reason", ["", "rude", "OTHER"])
def test_an_unknown_reason_is_refused(idea, make_user, reason):
    with pytest.raises(ModerationError, match="why you report") as refused:
        flag_item(idea, make_user(), reason, "note")
    assert refused.value.field == "reason"
    db.session.rollback()
    assert rows(Flag) == 0


def test_a_too_long_note_is_refused(app, idea, make_user):
    app.config["FLAG_NOTE_MAX"] = 10
    with pytest.raises(ModerationError, match="at most 10"):
        flag_item(idea, make_user(), "spam", "x" * 11)
    db.session.rollback()
    assert rows(Flag) == 0


@pytest.mark.parametrize("threshold", [1, 2, 3, 5])
def test_threshold_hides_at_exactly_n_distinct_flaggers(
    app, idea, make_user, threshold
):
    app.config["FLAGS_TO_HIDE"] = threshold
    flag_by(make_user, idea, threshold - 1)
    assert idea.hidden_at is None
    assert notifications_of(idea.author) == []

    flag_item(idea, make_user(), "off_topic")
    db.session.commit()
    assert idea.hidden_at is not None
    assert idea.hidden_reason is None  # pending review
    [entry] = audit("idea.auto_hidden")
    assert entry.actor_id is None and entry.details == {"flags": threshold}
    assert notifications_of(idea.author) == [
        ("moderation.hidden_pending", {"title": idea.title})
    ]


def test_default_threshold_is_three(app, idea, make_user):
    assert app.config["FLAGS_TO_HIDE"] == 3
    flag_by(make_user, idea, 2)
    assert idea.hidden_at is None
    flag_by(make_user, idea, 1)
    assert idea.hidden_at is not None


def test_threshold_hides_a_question_to_the_governor(app, make_user):
    app.config["FLAGS_TO_HIDE"] = 2
    question = create_governor_question(make_user)
    flag_by(make_user, question, 2)
    assert question.hidden_at is not None and question.hidden_reason is None
    assert [e.target_type for e in audit("governor_question.auto_hidden")] == [
        "governor_questions"
    ]


def test_only_open_flags_count_towards_the_threshold(app, idea, make_user, moderator):
    app.config["FLAGS_TO_HIDE"] = 2
    flag_by(make_user, idea, 1)
    dismiss_flags(idea, moderator)
    db.session.commit()
    flag_by(make_user, idea, 1)
    assert idea.hidden_at is None
    flag_by(make_user, idea, 1)
    assert idea.hidden_at is not None


def test_a_hidden_item_cannot_be_flagged(app, idea, make_user):
    app.config["FLAGS_TO_HIDE"] = 1
    flag_by(make_user, idea, 1)
    with pytest.raises(DomainError, match="already hidden"):
        flag_item(idea, make_user(), "spam")
    db.session.rollback()
    assert rows(Flag) == 1


# ---- Hide, restore, dismiss ----


@pytest.mark.parametrize("role", MODERATORS)
def test_hide_with_a_public_reason(idea, make_user, role):
    flaggers = flag_by(make_user, idea, 2)
    actor = make_user(role)
    hide_item(idea, actor, f"  {REASON}  ")
    db.session.commit()
    assert idea.hidden_at is not None and idea.hidden_reason == REASON
    assert open_flags(idea) == 0
    resolved = db.session.scalars(select(Flag)).all()
    assert {f.user_id for f in resolved} == {u.id for u in flaggers}
    assert all(f.resolved_by_id == actor.id and f.resolved_at for f in resolved)
    [entry] = audit("idea.hidden")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.reason) == (
        actor.id,
        "ideas",
        idea.id,
        REASON,
    )
    assert entry.details == {"flags": 2}
    assert notifications_of(idea.author) == [
        ("moderation.hidden", {"title": idea.title, "reason": REASON})
    ]


def test_hiding_an_item_pending_review_keeps_when_it_was_hidden(
    app, idea, make_user, moderator
):
    app.config["FLAGS_TO_HIDE"] = 1
    flag_by(make_user, idea, 1)
    hidden_at = idea.hidden_at
    hide_item(idea, moderator, REASON, now=utcnow() + timedelta(hours=1))
    db.session.commit()
    assert idea.hidden_at == hidden_at and idea.hidden_reason == REASON


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_hide_needs_a_reason_and_changes_nothing(idea, make_user, moderator, reason):
    flag_by(make_user, idea, 1)
    with pytest.raises(ModerationError, match="public reason") as refused:
        hide_item(idea, moderator, reason)
    assert refused.value.field == "reason"
    db.session.rollback()
    assert idea.hidden_at is None and open_flags(idea) == 1
    assert rows(AuditLog) == 0 and rows(Notification) == 0


def test_a_too_long_reason_is_refused(app, idea, moderator):
    app.config["MODERATION_REASON_MAX"] = 20
    with pytest.raises(ModerationError, match="at most 20"):
        hide_item(idea, moderator, "x" * 21)
    db.session.rollback()
    assert idea.hidden_at is None


def test_hide_is_refused_to_a_citizen(idea, make_user):
    with pytest.raises(PermissionDenied):
        hide_item(idea, make_user(), REASON)
    db.session.rollback()
    assert idea.hidden_at is None and rows(AuditLog) == 0


def test_an_item_hidden_by_a_moderator_cannot_be_hidden_again(idea, moderator):
    hide_item(idea, moderator, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="already hidden"):
        hide_item(idea, moderator, "Another reason")
    db.session.rollback()
    assert idea.hidden_reason == REASON and len(audit("idea.hidden")) == 1


@pytest.mark.parametrize("role", MODERATORS)
def test_restore_an_item_pending_review(app, idea, make_user, role):
    app.config["FLAGS_TO_HIDE"] = 2
    flag_by(make_user, idea, 2)
    actor = make_user(role)
    restore_item(idea, actor, "Reported by mistake: the price is public.")
    db.session.commit()
    assert idea.hidden_at is None and idea.hidden_reason is None
    assert open_flags(idea) == 0
    [entry] = audit("idea.restored")
    assert entry.actor_id == actor.id
    assert entry.reason == "Reported by mistake: the price is public."
    assert entry.details == {"flags": 2, "was_pending_review": True}
    assert notifications_of(idea.author)[-1] == (
        "moderation.restored",
        {"title": idea.title, "reason": "Reported by mistake: the price is public."},
    )


def test_restore_a_question_hidden_by_a_moderator(make_user, moderator):
    question = create_governor_question(make_user)
    hide_item(question, moderator, REASON)
    db.session.commit()
    restore_item(question, moderator, "The author rewrote it.")
    db.session.commit()
    assert question.hidden_at is None
    assert [e.action for e in db.session.scalars(select(AuditLog))] == [
        "governor_question.hidden",
        "governor_question.restored",
    ]


@pytest.mark.parametrize("reason", ["", "  "])
def test_restore_needs_a_reason_and_changes_nothing(idea, moderator, reason):
    hide_item(idea, moderator, REASON)
    db.session.commit()
    with pytest.raises(ModerationError, match="public reason"):
        restore_item(idea, moderator, reason)
    db.session.rollback()
    assert idea.hidden_reason == REASON
    assert len(audit("idea.restored")) == 0


def test_restore_is_refused_to_a_citizen(idea, make_user, moderator):
    hide_item(idea, moderator, REASON)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        restore_item(idea, make_user(), "Please")
    db.session.rollback()
    assert idea.hidden_at is not None


def test_a_visible_item_cannot_be_restored(idea, moderator):
    with pytest.raises(DomainError, match="not hidden"):
        restore_item(idea, moderator, "Why not")
    db.session.rollback()
    assert rows(AuditLog) == 0


@pytest.mark.parametrize("role", MODERATORS)
def test_dismiss_flags_with_an_optional_reason(idea, make_user, role):
    flag_by(make_user, idea, 2)
    actor = make_user(role)
    assert dismiss_flags(idea, actor) == 2
    db.session.commit()
    assert open_flags(idea) == 0 and idea.hidden_at is None
    [entry] = audit("idea.flags_dismissed")
    assert (entry.actor_id, entry.reason, entry.details) == (actor.id, "", {"flags": 2})
    assert rows(Notification) == 0  # nothing happened to the author's idea


def test_dismiss_keeps_its_note(idea, make_user, moderator):
    flag_by(make_user, idea, 1)
    dismiss_flags(idea, moderator, " A fair proposal. ")
    db.session.commit()
    assert audit("idea.flags_dismissed")[0].reason == "A fair proposal."


def test_dismiss_without_open_flags_is_refused(idea, moderator):
    with pytest.raises(DomainError, match="no open reports"):
        dismiss_flags(idea, moderator)
    db.session.rollback()
    assert rows(AuditLog) == 0


def test_the_flags_of_a_hidden_item_cannot_just_be_dismissed(
    app, idea, make_user, moderator
):
    app.config["FLAGS_TO_HIDE"] = 1
    flag_by(make_user, idea, 1)
    with pytest.raises(DomainError, match="restore it"):
        dismiss_flags(idea, moderator)
    db.session.rollback()
    assert open_flags(idea) == 1 and idea.hidden_at is not None


def test_dismiss_is_refused_to_a_citizen(idea, make_user):
    flag_by(make_user, idea, 1)
    with pytest.raises(PermissionDenied):
        dismiss_flags(idea, make_user())
    db.session.rollback()
    assert open_flags(idea) == 1


# ---- Hidden items and the other rules ----


def test_a_hidden_idea_cannot_be_supported(idea, make_user, moderator):
    hide_item(idea, moderator, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="hidden by the moderators"):
        support_idea(idea, make_user())
    db.session.rollback()
    assert rows(Support) == 0


def test_a_hidden_question_cannot_be_supported(make_user, moderator):
    question = create_governor_question(make_user)
    hide_item(question, moderator, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="hidden by the moderators"):
        ensure_question_supportable(question, make_user())


def test_a_hidden_idea_cannot_be_edited_by_its_author(idea, moderator):
    hide_item(idea, moderator, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="hidden"):
        ensure_editable(idea, idea.author)


# ---- Block, unblock ----


@pytest.mark.parametrize("role", MODERATORS)
def test_block_an_account_with_a_reason(make_user, role):
    actor, citizen = make_user(role), make_user()
    block_user(citizen, actor, " Posts the same advert everywhere. ")
    db.session.commit()
    assert citizen.blocked_at is not None
    assert citizen.blocked_reason == "Posts the same advert everywhere."
    [entry] = audit("user.blocked")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.reason) == (
        actor.id,
        "users",
        citizen.id,
        "Posts the same advert everywhere.",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_block_needs_a_reason(make_user, moderator, reason):
    citizen = make_user()
    with pytest.raises(ModerationError, match="reason for blocking"):
        block_user(citizen, moderator, reason)
    db.session.rollback()
    assert citizen.blocked_at is None and rows(AuditLog) == 0


def test_block_is_refused_to_a_citizen(make_user):
    citizen = make_user()
    with pytest.raises(PermissionDenied):
        block_user(citizen, make_user(), "I do not like them")
    db.session.rollback()
    assert citizen.blocked_at is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_nobody_blocks_their_own_account(make_user, role):
    actor = make_user(role)
    with pytest.raises(DomainError, match="your own account"):
        block_user(actor, actor, "Testing")
    db.session.rollback()
    assert actor.blocked_at is None


@pytest.mark.parametrize(
    ("actor_role", "account_role"),
    [
        (Role.MODERATOR, Role.ADMIN),
        (Role.OFFICIAL, Role.ADMIN),
        (Role.MODERATOR, Role.OFFICIAL),
    ],
)
def test_only_an_admin_blocks_more_powerful_accounts(
    make_user, actor_role, account_role
):
    actor, account = make_user(actor_role), make_user(account_role)
    assert not can_block(account, actor)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        block_user(account, actor, "Abuse")
    db.session.rollback()
    assert account.blocked_at is None


@pytest.mark.parametrize("account_role", [Role.MODERATOR, Role.OFFICIAL, Role.ADMIN])
def test_an_admin_blocks_any_other_account(make_user, account_role):
    admin, account = make_user(Role.ADMIN), make_user(account_role)
    assert can_block(account, admin)
    block_user(account, admin, "Left the office; the account was shared.")
    db.session.commit()
    assert account.blocked_at is not None


def test_a_moderator_blocks_another_moderator(make_user, moderator):
    other = make_user(Role.MODERATOR)
    block_user(other, moderator, "Hid ideas they disagreed with.")
    db.session.commit()
    assert other.blocked_at is not None


def test_an_account_is_blocked_once(make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Spam")
    db.session.commit()
    with pytest.raises(DomainError, match="already blocked"):
        block_user(citizen, moderator, "Spam again")
    db.session.rollback()
    assert len(audit("user.blocked")) == 1


@pytest.mark.parametrize("role", MODERATORS)
def test_unblock_with_a_reason(make_user, role):
    actor, citizen = make_user(role), make_user()
    block_user(citizen, actor, "Spam")
    db.session.commit()
    unblock_user(citizen, actor, "Promised to stop.")
    db.session.commit()
    assert citizen.blocked_at is None and citizen.blocked_reason is None
    [entry] = audit("user.unblocked")
    assert (entry.actor_id, entry.reason, entry.details) == (
        actor.id,
        "Promised to stop.",
        {"blocked_reason": "Spam"},
    )


def test_unblock_needs_a_reason(make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Spam")
    db.session.commit()
    with pytest.raises(ModerationError, match="reason for unblocking"):
        unblock_user(citizen, moderator, " ")
    db.session.rollback()
    assert citizen.blocked_at is not None


def test_unblock_is_refused_to_a_citizen(make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Spam")
    db.session.commit()
    with pytest.raises(PermissionDenied):
        unblock_user(citizen, make_user(), "Friend of mine")
    db.session.rollback()
    assert citizen.blocked_at is not None


def test_an_account_that_is_not_blocked_cannot_be_unblocked(make_user, moderator):
    with pytest.raises(DomainError, match="not blocked"):
        unblock_user(make_user(), moderator, "Just in case")
    db.session.rollback()
    assert rows(AuditLog) == 0


def test_a_blocked_account_cannot_flag_or_support(idea, make_user, moderator):
    citizen = make_user()
    block_user(citizen, moderator, "Spam")
    db.session.commit()
    with pytest.raises(AccountBlocked, match="blocked by the moderators: Spam"):
        flag_item(idea, citizen, "spam")
    db.session.rollback()
    with pytest.raises(AccountBlocked):
        ensure_supportable(idea, citizen)
    with pytest.raises(AccountBlocked):
        ensure_question_supportable(create_governor_question(make_user), citizen)
    assert rows(Flag) == 0
