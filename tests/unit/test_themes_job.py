"""The theme job: clustering a question's stored vectors into labelled themes."""

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.shared.db import utcnow
from ideation.similarity import pipeline
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.pipeline import configured_model
from ideation.themes.jobs import schedule_theme_recompute
from ideation.themes.models import IdeaTheme, Theme
from ideation.themes.operations import recompute_themes
from tests.concurrency import sqlite_write_lock_is_free
from tests.conftest import USES_POSTGRES

DIMENSION = 8
BUSES = [
    "More buses to the hospital",
    "Night buses for shift workers",
    "Buses every ten minutes",
    "Cheaper buses for patients",
    "Bus lanes so buses are on time",
    "Free buses on clinic days",
]
TREES = [
    "Plant trees near the clinic",
    "Shade trees along the river",
    "More trees in every park",
    "Trees instead of parking",
    "Fruit trees in school yards",
    "Protect old trees downtown",
]


@pytest.fixture
def store_vector(app):
    """Store an idea's vector as the embedding job would (hand-made here)."""
    app.config["THEMES_MIN_IDEAS"] = 4

    def store(idea, vector, model=None):
        db.session.add(
            IdeaEmbedding(
                idea_id=idea.id,
                question_id=idea.question_id,
                model=model or configured_model(),
                dimension=len(vector),
                vector=np.asarray(vector, dtype=np.float32),
            )
        )
        db.session.commit()

    return store


@pytest.fixture
def make_idea_at(make_idea, store_vector):
    """An idea whose stored vector is `direction` plus a little noise."""
    rng = np.random.default_rng(7)

    def make(question, title, direction, **fields):
        idea = make_idea(question=question, title=title, description="", **fields)
        vector = np.zeros(DIMENSION)
        vector[direction] = 1.0
        store_vector(idea, vector + 0.05 * rng.normal(size=DIMENSION))
        return idea

    return make


@pytest.fixture
def two_groups(make_question, make_idea_at):
    question = make_question()
    buses = [make_idea_at(question, title, 0) for title in BUSES]
    trees = [make_idea_at(question, title, 1) for title in TREES]
    return question, buses, trees


def _themes(question):
    stmt = select(Theme).where(Theme.question_id == question.id).order_by(Theme.number)
    return db.session.scalars(stmt).all()


def _members(theme):
    stmt = select(IdeaTheme.idea_id).where(IdeaTheme.theme_id == theme.id)
    return set(db.session.scalars(stmt))


def _recompute(question):
    recompute_themes(question)
    db.session.commit()
    return _themes(question)


def test_two_clear_groups_make_two_themes_with_the_right_members(two_groups):
    question, buses, trees = two_groups
    themes = _recompute(question)
    assert len(themes) == 2
    assert [_members(t) for t in themes] in (
        [{i.id for i in buses}, {i.id for i in trees}],
        [{i.id for i in trees}, {i.id for i in buses}],
    )
    assert [t.size for t in themes] == [6, 6]
    assert [t.number for t in themes] == [0, 1]
    assert all(t.model == configured_model() for t in themes)


def test_keywords_come_from_each_themes_own_texts(two_groups):
    question, buses, _ = two_groups
    themes = _recompute(question)
    bus_theme, tree_theme = sorted(themes, key=lambda t: buses[0].id not in _members(t))
    assert bus_theme.keywords[0] == "buses"
    assert tree_theme.keywords[0] == "trees"
    assert "trees" not in bus_theme.keywords
    assert "buses" not in tree_theme.keywords


def test_recomputing_keeps_the_ids_of_themes_that_go_on(two_groups, make_idea_at):
    question, buses, _ = two_groups
    first = {t.id for t in _recompute(question)}
    make_idea_at(question, "Buses on Sundays", 0)
    second = _recompute(question)
    assert len(second) == 2
    # The same ideas, one more: the same themes, so shared ?theme= links still work.
    assert {t.id for t in second} == first
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 2
    assert db.session.scalar(select(func.count()).select_from(IdeaTheme)) == 13
    assert sorted(t.size for t in second) == [6, 7]


def test_withdrawn_ideas_are_left_out(two_groups):
    question, buses, trees = two_groups
    buses[0].status = IdeaStatus.WITHDRAWN.value
    db.session.commit()
    themes = _recompute(question)
    assert sorted(t.size for t in themes) == [5, 6]
    assert buses[0].id not in set().union(*(_members(t) for t in themes))


def test_merged_ideas_are_left_out(two_groups):
    question, buses, trees = two_groups
    survivor_id = buses[1].id
    buses[0].status = IdeaStatus.MERGED.value
    buses[0].merged_into_id = survivor_id
    db.session.commit()
    themes = _recompute(question)
    assert sorted(t.size for t in themes) == [5, 6]


def test_ideas_without_a_vector_of_the_model_are_left_out(
    two_groups, make_idea, store_vector
):
    question, _, _ = two_groups
    waiting = make_idea(question=question, title="Not embedded yet")
    older = make_idea(question=question, title="Embedded by the previous model")
    store_vector(older, np.ones(DIMENSION), model="an-older-model")
    themes = _recompute(question)
    assert sum(t.size for t in themes) == 12
    members = set().union(*(_members(t) for t in themes))
    assert waiting.id not in members and older.id not in members


def test_other_questions_ideas_stay_out(two_groups, make_question, make_idea_at):
    question, buses, trees = two_groups
    other = make_question()
    stranger = make_idea_at(other, "Buses for the other question", 0)
    themes = _recompute(question)
    assert sum(t.size for t in themes) == 12
    assert stranger.id not in set().union(*(_members(t) for t in themes))


def test_too_few_ideas_make_no_themes_and_clear_old_ones(app, two_groups):
    question, buses, trees = two_groups
    assert len(_recompute(question)) == 2
    app.config["THEMES_MIN_IDEAS"] = 13
    assert _recompute(question) == []
    assert db.session.scalar(select(func.count()).select_from(IdeaTheme)) == 0


def test_scheduling_three_times_leaves_one_pending_job(app, two_groups):
    question, _, _ = two_groups
    for _ in range(3):
        schedule_theme_recompute(question.id)
        db.session.commit()
    pending = db.session.scalars(select(Job)).all()
    assert len(pending) == 1
    assert pending[0].name == "recompute_themes"
    assert pending[0].payload == {"question_id": question.id}
    assert pending[0].key == f"themes:{question.id}"
    debounce = timedelta(seconds=app.config["THEMES_DEBOUNCE"])
    assert utcnow() + debounce - timedelta(seconds=30) < pending[0].run_after
    assert jobs.run_pending() == 0  # not due yet: more ideas may come
    assert _themes(question) == []


def test_the_job_recomputes_when_due(two_groups):
    question, _, _ = two_groups
    schedule_theme_recompute(question.id)
    db.session.commit()
    db.session.scalars(select(Job)).one().run_after = utcnow()
    db.session.commit()
    assert jobs.run_pending() == 1
    assert db.session.scalars(select(Job)).one().status == JobStatus.DONE.value
    assert [t.size for t in _themes(question)] == [6, 6]


@pytest.mark.skipif(USES_POSTGRES, reason="SQLite's write lock")
def test_the_job_clusters_without_holding_the_write_lock(two_groups, monkeypatch):
    """Writers (every POST) need not wait for the clustering, only for the store."""
    question, _, _ = two_groups
    free_while_clustering = []
    cluster = pipeline.compute_themes

    def probed(*args, **kwargs):
        free_while_clustering.append(sqlite_write_lock_is_free())
        return cluster(*args, **kwargs)

    monkeypatch.setattr(pipeline, "compute_themes", probed)
    jobs.enqueue("recompute_themes", {"question_id": question.id})
    db.session.commit()
    assert jobs.run_pending() == 1
    assert free_while_clustering == [True]
    assert [t.size for t in _themes(question)] == [6, 6]


def test_the_job_for_a_deleted_question_does_nothing(two_groups):
    question, _, _ = two_groups
    question_id = question.id
    db.session.delete(question)
    db.session.commit()
    jobs.enqueue("recompute_themes", {"question_id": question_id})
    db.session.commit()
    jobs.run_pending()
    assert db.session.scalars(select(Job)).one().status == JobStatus.DONE.value


def test_cli_recomputes_and_prints_themes(runner, two_groups):
    question, _, _ = two_groups
    result = runner.invoke(args=["themes", "recompute", "--question", str(question.id)])
    assert result.exit_code == 0, result.output
    assert f"question {question.id}: 2 themes, 12 ideas" in result.output
    assert "buses" in result.output and "trees" in result.output
    assert len(_themes(question)) == 2


def test_cli_says_when_ideas_have_no_vector(runner, two_groups, make_idea):
    question, _, _ = two_groups
    make_idea(question=question, title="Loaded without the app")
    result = runner.invoke(args=["themes", "recompute", "--question", str(question.id)])
    assert result.exit_code == 0, result.output
    assert "1 listed idea(s) have no vector yet" in result.output
    assert "flask similarity backfill" in result.output


def test_cli_refuses_an_unknown_question(runner, app):
    result = runner.invoke(args=["themes", "recompute", "--question", "999"])
    assert result.exit_code != 0
    assert "no question #999" in result.output


def test_embedding_an_idea_schedules_a_recompute(make_idea):
    idea = make_idea()
    jobs.enqueue("embed_idea", {"idea_id": idea.id})
    db.session.commit()
    jobs.run_pending()
    pending = db.session.scalars(
        select(Job).where(Job.status == JobStatus.PENDING.value)
    ).all()
    assert f"themes:{idea.question_id}" in {job.key for job in pending}
