"""Merges fired at the same instant: one wins, the others are refused in words.

On both databases: the merge locks the ideas' rows before it checks them, and on
SQLite the request's transaction takes the write lock before its first read.
"""

from sqlalchemy import select

from ideation.duplicates.models import IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.shared.roles import Role
from tests.concurrency import post_together

PAIRS = 4


def merge(question, target, source, reason="Same idea.") -> tuple[str, dict]:
    url = f"/questions/{question.id}/duplicates/merge"
    return url, {"target": target.id, "source": source.id, "reason": reason}


def active_merges() -> list[tuple[int, int]]:
    return db.session.execute(
        select(IdeaMerge.source_id, IdeaMerge.target_id).where(
            IdeaMerge.undone_at.is_(None)
        )
    ).all()


def test_reverse_merges_at_once_merge_one_way_only(
    app, make_user, make_question, make_idea
):
    """A into B and B into A at once (per pair): exactly one happens, never both,
    which would leave two ideas merged into each other that nobody can undo."""
    question = make_question()
    pairs = [
        (make_idea(question=question), make_idea(question=question))
        for _ in range(PAIRS)
    ]
    requests = []
    for a, b in pairs:
        requests.append((make_user(Role.MODERATOR), *merge(question, b, a)))
        requests.append((make_user(Role.MODERATOR), *merge(question, a, b)))
    outcomes = post_together(app, requests)

    for index, (a, b) in enumerate(pairs):
        both = outcomes[2 * index : 2 * index + 2]
        assert sorted(o.status for o in both) == [302, 409], both
        refused = next(o for o in both if o.status == 409)
        assert "is already merged into another idea" in refused.refusal
        ideas = {
            idea.id: idea
            for idea in db.session.scalars(
                select(Idea).where(Idea.id.in_([a.id, b.id]))
            )
        }
        merged = [i for i in ideas.values() if i.status == IdeaStatus.MERGED]
        assert len(merged) == 1
        (source,) = merged
        survivor = ideas[b.id if source.id == a.id else a.id]
        assert survivor.merged_into_id is None
        assert source.merged_into_id == survivor.id
    assert len(active_merges()) == PAIRS


def test_one_idea_merged_into_several_at_once_is_merged_once(
    app, make_user, make_question, make_idea
):
    """The unique active merge per source is never reached: the later merges see
    the first and say so, rather than failing with a server error."""
    question = make_question()
    source = make_idea(question=question)
    targets = [make_idea(question=question) for _ in range(6)]
    requests = [
        (make_user(Role.MODERATOR), *merge(question, target, source))
        for target in targets
    ]
    outcomes = post_together(app, requests)

    assert sorted(o.status for o in outcomes) == [302] + [409] * 5, outcomes
    for outcome in outcomes:
        if outcome.status == 409:
            assert "is already merged into another idea" in outcome.refusal
    ((merged_source, target_id),) = active_merges()
    assert merged_source == source.id
    assert db.session.get(Idea, source.id).merged_into_id == target_id
