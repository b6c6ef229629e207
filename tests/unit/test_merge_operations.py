"""Merging duplicate ideas and undoing it, "not duplicates", and the duplicate scan."""

import threading
import time
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ideation.audit.models import AuditLog
from ideation.auth.models import User
from ideation.duplicates.jobs import find_duplicates
from ideation.duplicates.models import (
    DuplicateCandidate,
    DuplicateDismissal,
    IdeaMerge,
    MergedSupport,
)
from ideation.duplicates.operations import (
    MergeError,
    dismiss_pair,
    merge_ideas,
    merge_into,
    undo_merge,
)
from ideation.duplicates.queries import coauthors
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus, Support
from ideation.ideas.operations import support_idea, withdraw_idea
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job
from ideation.notifications.models import Notification
from ideation.shared.db import utcnow, writing
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.roles import Role
from ideation.similarity import pipeline
from ideation.similarity.pipeline import candidate_pairs, configured_model
from ideation.similarity.store import save_embedding

REASON = "Both ask for evening opening hours."


# -- helpers ---------------------------------------------------------------------------


def supports_of(idea) -> set[tuple[int, object]]:
    """(user id, created_at) of the idea's Support rows, as stored."""
    rows = db.session.execute(
        select(Support.user_id, Support.created_at).where(Support.idea_id == idea.id)
    )
    return set(rows)


def assert_counts_equal_rows(*ideas) -> None:
    for idea in ideas:
        rows = db.session.scalar(
            select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
        )
        stored = db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))
        assert stored == rows, f"idea {idea.id}: count {stored}, {rows} rows"


def add_support(idea, user, days_ago: float) -> None:
    """A support given some time ago, with its count, as support_idea leaves it."""
    db.session.add(
        Support(
            idea_id=idea.id,
            user_id=user.id,
            created_at=utcnow() - timedelta(days=days_ago, microseconds=123),
        )
    )
    db.session.flush()
    idea.support_count = db.session.scalar(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    )
    db.session.commit()


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def pair(make_question, make_idea):
    """Two ideas of one question: the source to merge and the target to keep."""
    question = make_question()
    source = make_idea(question=question, title="Open clinics in the evening")
    target = make_idea(question=question, title="Evening opening hours for clinics")
    return source, target


@pytest.fixture
def supported(pair, make_user):
    """`both` supports source and target, `only_source` and `only_target` one each."""
    source, target = pair
    users = {
        name: make_user(name=name) for name in ("both", "only_source", "only_target")
    }
    add_support(source, users["both"], 5)
    add_support(target, users["both"], 4)
    add_support(source, users["only_source"], 3)
    add_support(target, users["only_target"], 2)
    return users


# -- merge -----------------------------------------------------------------------------


def test_merge_counts_a_supporter_of_both_once(pair, supported, official):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()

    on_target = {user_id for user_id, _ in supports_of(target)}
    assert on_target == {u.id for u in supported.values()}
    both = supported["both"].id
    assert db.session.scalar(select(func.count()).where(Support.user_id == both)) == 1
    assert supports_of(source) == set()
    assert_counts_equal_rows(source, target)
    assert db.session.get(Idea, target.id).support_count == 3

    stored = db.session.get(Idea, source.id)
    assert stored.status == IdeaStatus.MERGED.value
    assert stored.merged_into_id == target.id
    recorded = {
        m.user_id: m.added_to_target
        for m in db.session.scalars(
            select(MergedSupport).where(MergedSupport.merge_id == merge.id)
        )
    }
    assert recorded == {both: False, supported["only_source"].id: True}


def test_moved_support_keeps_its_date(pair, supported, official):
    source, target = pair
    before = dict(supports_of(source))
    merge_ideas(source, target, official, REASON)
    db.session.commit()
    moved = supported["only_source"].id
    assert dict(supports_of(target))[moved] == before[moved]


def test_a_merge_that_got_in_first_is_a_refusal_not_a_crash(pair, official, make_idea):
    """The unique active merge per source, reached by a request that did not see
    the other's merge (the row locks prevent it; the schema has the last word)."""
    source, target = pair
    elsewhere = make_idea(question=source.question)
    db.session.add(
        IdeaMerge(
            source_id=source.id,
            target_id=elsewhere.id,
            reason=REASON,
            source_status_before=source.status,
        )
    )
    db.session.commit()  # the source's status still says it is listed
    with pytest.raises(MergeError, match="is already merged into another idea"):
        merge_ideas(source, target, official, REASON)
    db.session.rollback()
    assert db.session.scalars(select(IdeaMerge.target_id)).all() == [elsewhere.id]


def test_merge_is_audited(pair, official):
    source, target = pair
    merge = merge_ideas(source, target, official, "  " + REASON + " ")
    db.session.commit()
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "idea.merged")
    ).one()
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        official.id,
        source.id,
        REASON,
    )
    assert entry.details["merge_id"] == merge.id
    assert entry.details["target_id"] == target.id
    assert entry.created_at is not None
    assert merge.reason == REASON


def test_merge_notifies_authors_and_supporters_not_the_actor(
    pair, supported, make_user
):
    source, target = pair
    # The acting moderator supported the target: they are not told of their own act.
    moderator = make_user(Role.MODERATOR)
    add_support(target, moderator, 1)
    merge_ideas(source, target, moderator, REASON)
    db.session.commit()
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert kinds == {
        (source.author_id, "merge.source_author"),
        (target.author_id, "merge.target_author"),
        *((u.id, "merge.supporter") for u in supported.values()),
    }
    notification = db.session.scalars(
        select(Notification).where(Notification.user_id == source.author_id)
    ).one()
    assert notification.link == f"/ideas/{target.id}"
    assert notification.params == {"source": source.title, "target": target.title}


def test_merged_idea_takes_no_support(pair, official, make_user):
    source, target = pair
    merge_ideas(source, target, official, REASON)
    db.session.commit()
    with pytest.raises(DomainError, match="merged"):
        support_idea(db.session.get(Idea, source.id), make_user())


def test_target_author_support_of_source_stays_behind(pair, official, admin):
    source, target = pair
    add_support(source, target.author, 1)
    before = supports_of(source)
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    assert supports_of(target) == set()  # nobody supports their own idea
    assert_counts_equal_rows(source, target)
    undo_merge(merge, admin, "Wrong call.")
    db.session.commit()
    assert supports_of(source) == before
    assert_counts_equal_rows(source, target)


def test_merge_several_into_one(make_question, make_idea, make_user, official):
    question = make_question()
    target, *sources = (make_idea(question=question) for _ in range(3))
    fan = make_user()
    for idea in (target, *sources):
        add_support(idea, fan, 1)
    merges = merge_into(target, sources, official, REASON)
    db.session.commit()
    assert len(merges) == 2
    assert supports_of(target) and {u for u, _ in supports_of(target)} == {fan.id}
    assert_counts_equal_rows(target, *sources)
    assert [c.id for c in coauthors(target)] == [s.author_id for s in sources]


# -- refusals --------------------------------------------------------------------------


def test_refuses_ideas_of_different_questions(make_idea, official):
    with pytest.raises(MergeError, match="same question"):
        merge_ideas(make_idea(), make_idea(), official, REASON)


def test_refuses_merging_into_itself(pair, official):
    source, _ = pair
    with pytest.raises(MergeError, match="itself"):
        merge_ideas(source, source, official, REASON)


def test_refuses_merging_a_merged_idea(pair, make_idea, official):
    source, target = pair
    merge_ideas(source, target, official, REASON)
    db.session.commit()
    other = make_idea(question=target.question)
    with pytest.raises(MergeError, match="already merged"):
        merge_ideas(db.session.get(Idea, source.id), other, official, REASON)
    with pytest.raises(MergeError, match="already merged"):
        merge_ideas(other, db.session.get(Idea, source.id), official, REASON)


def test_refuses_a_withdrawn_idea(pair, official):
    source, target = pair
    withdraw_idea(source, source.author)
    db.session.commit()
    with pytest.raises(MergeError, match="withdrawn"):
        merge_ideas(source, target, official, REASON)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_refuses_a_merge_without_reason(pair, official, reason):
    source, target = pair
    with pytest.raises(MergeError) as refused:
        merge_ideas(source, target, official, reason)
    assert refused.value.field == "reason"


def test_refuses_a_citizen(pair, make_user):
    source, target = pair
    with pytest.raises(PermissionDenied):
        merge_ideas(source, target, make_user(), REASON)


def test_undo_refused_to_non_admins(pair, official):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        undo_merge(merge, official, "Oops.")


def test_undo_twice_is_refused(pair, official, admin):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    undo_merge(merge, admin, "Not the same idea after all.")
    db.session.commit()
    with pytest.raises(MergeError, match="already undone"):
        undo_merge(merge, admin, "Again.")


def test_undo_needs_a_reason(pair, official, admin):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    with pytest.raises(MergeError):
        undo_merge(merge, admin, " ")


def test_undo_refused_while_the_target_is_merged_on(pair, make_idea, official, admin):
    source, target = pair
    first = merge_ideas(source, target, official, REASON)
    merge_ideas(target, make_idea(question=target.question), official, REASON)
    db.session.commit()
    with pytest.raises(MergeError, match="undo that merge first"):
        undo_merge(first, admin, "Wrong.")


# -- undo ------------------------------------------------------------------------------


def test_undo_restores_supports_exactly(pair, supported, official, admin, make_user):
    source, target = pair
    source.status = IdeaStatus.UNDER_REVIEW.value
    db.session.commit()
    source_before, target_before = supports_of(source), supports_of(target)

    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    assert_counts_equal_rows(source, target)
    # Someone new supports the surviving idea after the merge: that stays.
    newcomer = make_user()
    support_idea(db.session.get(Idea, target.id), newcomer)
    db.session.commit()
    newcomer_support = {row for row in supports_of(target) if row[0] == newcomer.id}

    undo_merge(db.session.get(IdeaMerge, merge.id), admin, "They differ.")
    db.session.commit()

    assert supports_of(source) == source_before
    assert supports_of(target) == target_before | newcomer_support
    assert_counts_equal_rows(source, target)
    both = supported["both"].id
    assert db.session.scalar(select(func.count()).where(Support.user_id == both)) == 2
    restored = db.session.get(Idea, source.id)
    assert restored.status == IdeaStatus.UNDER_REVIEW.value
    assert restored.merged_into_id is None
    undone = db.session.get(IdeaMerge, merge.id)
    assert undone.undone_at is not None and undone.undone_by_id == admin.id
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "idea.merge_undone")
    ).one()
    assert (entry.actor_id, entry.reason) == (admin.id, "They differ.")
    assert coauthors(db.session.get(Idea, target.id)) == []


def test_undo_notifies_and_schedules_a_scan(pair, supported, official, admin):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    undo_merge(merge, admin, "They differ.")
    db.session.commit()
    undone = db.session.scalars(
        select(Notification.user_id).where(Notification.kind.like("merge_undone.%"))
    ).all()
    assert sorted(undone) == sorted(
        [source.author_id, target.author_id, *(u.id for u in supported.values())]
    )
    scans = select(Job.key).where(Job.name == "find_duplicates")
    assert db.session.scalars(scans).all() == [f"duplicates:{source.question_id}"]


def test_merge_again_after_undo(pair, supported, official, admin):
    source, target = pair
    merge = merge_ideas(source, target, official, REASON)
    db.session.commit()
    undo_merge(merge, admin, "Too early.")
    db.session.commit()
    merge_ideas(db.session.get(Idea, source.id), target, official, REASON)
    db.session.commit()
    assert len(supports_of(target)) == 3
    assert_counts_equal_rows(source, target)


# -- the schema ------------------------------------------------------------------------


def test_schema_ties_merged_status_to_merged_into(pair):
    source, target = pair
    source.status = IdeaStatus.MERGED.value
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    source = db.session.get(Idea, source.id)
    source.merged_into_id = target.id  # but not merged
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    source = db.session.get(Idea, source.id)
    source.status, source.merged_into_id = IdeaStatus.MERGED.value, source.id
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_schema_allows_one_active_merge_per_source(pair, official):
    source, target = pair
    merge_ideas(source, target, official, REASON)
    db.session.commit()
    db.session.add(
        IdeaMerge(
            source_id=source.id,
            target_id=target.id,
            actor_id=official.id,
            reason="again",
            source_status_before="submitted",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_schema_wants_a_reason(pair, official):
    source, target = pair
    db.session.add(
        IdeaMerge(
            source_id=source.id,
            target_id=target.id,
            actor_id=official.id,
            reason="  ",
            source_status_before="submitted",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_deleting_a_question_takes_its_merges_along(pair, supported, official):
    source, target = pair
    merge_ideas(source, target, official, REASON)
    dismiss_pair(source, target, official)
    db.session.commit()
    db.session.delete(db.session.get(Idea, source.id).question)
    db.session.commit()
    for model in (Idea, IdeaMerge, MergedSupport, DuplicateDismissal, Support):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


# -- not duplicates --------------------------------------------------------------------


def test_dismiss_pair_is_stored_once_in_order(pair, official):
    source, target = pair
    dismiss_pair(target, source, official)
    dismiss_pair(source, target, official)  # a second click changes nothing
    db.session.commit()
    dismissal = db.session.scalars(select(DuplicateDismissal)).one()
    assert (dismissal.idea_a_id, dismissal.idea_b_id) == (source.id, target.id)
    assert dismissal.actor_id == official.id
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert actions == ["duplicates.dismissed"]


def test_dismiss_refused_to_citizens(pair, make_user):
    with pytest.raises(PermissionDenied):
        dismiss_pair(*pair, make_user())


# -- the duplicate scan ----------------------------------------------------------------


def unit(*values, dimension=8):
    vector = np.zeros(dimension, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


@pytest.fixture
def scanned(make_question, make_idea):
    """Four embedded ideas: a and b near-duplicates, c and d unrelated."""
    question = make_question()
    texts = {
        "a": ("More buses to the night clinics", "Public transport at night."),
        "b": ("Night buses to clinics", "More public transport at night."),
        "c": ("Train more nurses", ""),
        "d": ("Open data on waiting times", ""),
    }
    vectors = {
        "a": unit(1, 0.1),
        "b": unit(1, 0.15, 0.05),
        "c": unit(0, 0, 1),
        "d": unit(0, 0, 0, 1),
    }
    ideas = {}
    for name, (title, description) in texts.items():
        ideas[name] = make_idea(question=question, title=title, description=description)
        save_embedding(ideas[name], vectors[name], configured_model())
    db.session.commit()
    return question, ideas


def candidates():
    return {
        (c.idea_a_id, c.idea_b_id): c
        for c in db.session.scalars(select(DuplicateCandidate))
    }


def run_scan(question):
    find_duplicates(question.id)
    db.session.commit()


def test_scan_finds_near_duplicates_with_shared_phrases(scanned):
    question, ideas = scanned
    run_scan(question)
    found = candidates()
    a, b = ideas["a"].id, ideas["b"].id
    assert set(found) == {(a, b)}
    assert found[(a, b)].similarity > 0.9
    assert found[(a, b)].question_id == question.id
    assert "public transport at night" in found[(a, b)].shared
    assert "clinics" in found[(a, b)].shared


def test_scan_never_suggests_a_dismissed_pair_again(scanned, official):
    question, ideas = scanned
    run_scan(question)
    dismiss_pair(ideas["b"], ideas["a"], official)
    db.session.commit()
    assert candidates() == {}
    run_scan(question)
    assert candidates() == {}


def test_a_pair_dismissed_while_the_scan_compares_stays_out(
    app, scanned, official, monkeypatch
):
    """The scan compares without holding its locks (SQLite's write lock above
    all), so a dismissal may land meanwhile: the stored pairs still leave it out."""
    question, ideas = scanned
    a, b, official_id = ideas["a"].id, ideas["b"].id, official.id
    errors = []

    def dismiss_meanwhile():
        try:
            with app.app_context(), writing():  # as the moderator's POST
                ideas = [db.session.get(Idea, a), db.session.get(Idea, b)]
                dismiss_pair(*ideas, db.session.get(User, official_id))
                db.session.commit()
        except Exception as error:  # asserted in the test's thread
            errors.append(error)

    compare = pipeline.candidate_pairs

    def compared(*args, **kwargs):
        pairs = compare(*args, **kwargs)
        moderator = threading.Thread(target=dismiss_meanwhile)
        moderator.start()
        moderator.join(timeout=120)
        return pairs

    monkeypatch.setattr(pipeline, "candidate_pairs", compared)
    jobs.enqueue("find_duplicates", {"question_id": question.id})
    db.session.commit()
    assert jobs.run_pending() == 1
    assert errors == []
    assert db.session.scalars(select(DuplicateDismissal.idea_a_id)).all() == [a]
    assert candidates() == {}


def test_scan_leaves_out_merged_and_withdrawn_ideas(scanned, make_idea, official):
    question, ideas = scanned
    twin = make_idea(question=question, title="Night buses for clinics")
    save_embedding(twin, unit(1, 0.12), configured_model())
    db.session.commit()
    run_scan(question)
    assert len(candidates()) == 3  # a, b and the twin

    merge_ideas(ideas["b"], ideas["a"], official, REASON)
    withdraw_idea(twin, twin.author)
    db.session.commit()
    run_scan(question)
    assert candidates() == {}


def test_scan_replaces_only_its_question(scanned, make_question, make_idea):
    question, ideas = scanned
    other = make_question()
    x, y = make_idea(question=other), make_idea(question=other)
    save_embedding(x, unit(1), configured_model())
    save_embedding(y, unit(1, 0.01), configured_model())
    db.session.commit()
    run_scan(question)
    run_scan(other)
    run_scan(question)
    assert set(candidates()) == {(ideas["a"].id, ideas["b"].id), (x.id, y.id)}


def test_scan_ignores_vectors_of_another_model(scanned):
    question, ideas = scanned
    for idea in ideas.values():
        save_embedding(idea, unit(1), "another-model")
    db.session.commit()
    run_scan(question)
    assert candidates() == {}


def test_embedding_an_idea_schedules_a_debounced_scan(make_idea):
    idea = make_idea(title="Evening clinics in every town")
    other = make_idea(question=idea.question, title="Clinics open in the evening")
    jobs.enqueue("embed_idea", {"idea_id": idea.id})
    jobs.enqueue("embed_idea", {"idea_id": other.id})
    db.session.commit()
    jobs.run_pending()
    pending = db.session.scalars(
        select(Job).where(Job.name == "find_duplicates", Job.status == "pending")
    ).all()
    assert [job.key for job in pending] == [f"duplicates:{idea.question_id}"]
    assert pending[0].payload == {"question_id": idea.question_id}
    assert pending[0].run_after > utcnow()


def test_candidate_pairs_on_ten_thousand_ideas_is_fast():
    rng = np.random.default_rng(0)
    n, dimension = 10_000, 384
    vectors = rng.standard_normal((n, dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # Three planted near-duplicates of earlier ideas (cosine about 0.86: same idea).
    for twin, original in ((10, 9000), (20, 5000), (30, 7777)):
        noisy = vectors[original] + 0.03 * rng.standard_normal(dimension)
        vectors[twin] = noisy / np.linalg.norm(noisy)
    ids = list(range(1, n + 1))
    started = time.perf_counter()
    pairs = candidate_pairs(ids, vectors, [""] * n)
    elapsed = time.perf_counter() - started
    found = {(p.idea_a_id, p.idea_b_id) for p in pairs}
    assert found == {(11, 9001), (21, 5001), (31, 7778)}
    assert elapsed < 20, f"{elapsed:.1f} s"
