"""`flask similarity backfill` and `flask similarity reindex`."""

import numpy as np
import pytest
from sqlalchemy import select

from ideation.extensions import db
from ideation.similarity import store
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.pipeline import idea_vectors


@pytest.fixture
def ideas(make_question, make_idea, make_user):
    question = make_question()
    author = make_user()
    return [
        make_idea(question=question, author=author, title=f"Evening clinic {n}")
        for n in range(5)
    ]


def vectors() -> dict[int, IdeaEmbedding]:
    rows = db.session.scalars(
        select(IdeaEmbedding).execution_options(populate_existing=True)
    )
    return {row.idea_id: row for row in rows}


def marker(dimension=64):
    return np.full(dimension, 1 / np.sqrt(dimension), dtype=np.float32)


def test_backfill_embeds_only_the_missing(runner, ideas):
    store.save_embedding(ideas[0], marker(), "fake")
    db.session.commit()
    kept = vectors()[ideas[0].id].created_at

    result = runner.invoke(args=["similarity", "backfill", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert "Embedding missing ideas" in result.output  # the progress bar's label
    assert "Embedded 4 idea(s) with the model fake." in result.output
    rows = vectors()
    assert set(rows) == {idea.id for idea in ideas}
    assert rows[ideas[0].id].created_at == kept
    np.testing.assert_array_equal(rows[ideas[0].id].vector, marker())
    assert {(row.model, row.dimension) for row in rows.values()} == {("fake", 64)}

    again = runner.invoke(args=["similarity", "backfill"])
    assert "Embedded 0 idea(s)" in again.output


def test_backfill_counts_other_models_as_missing(runner, ideas):
    store.save_embedding(ideas[0], marker(8), "old-model")
    db.session.commit()
    result = runner.invoke(args=["similarity", "backfill"])
    assert "Embedded 5 idea(s)" in result.output  # none had a vector of "fake"
    assert {(row.model, row.dimension) for row in vectors().values()} == {("fake", 64)}


def test_reindex_replaces_every_vector(runner, ideas):
    store.save_embedding(ideas[0], marker(8), "old-model")
    store.save_embedding(ideas[1], marker(), "fake")
    db.session.commit()

    result = runner.invoke(args=["similarity", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Re-embedding all ideas" in result.output
    assert "Embedded 5 idea(s) with the model fake." in result.output
    rows = vectors()
    assert len(rows) == 5
    assert {(row.model, row.dimension) for row in rows.values()} == {("fake", 64)}
    assert not np.array_equal(rows[ideas[1].id].vector, marker())


def test_backfill_with_nothing_to_do(runner, app):
    result = runner.invoke(args=["similarity", "backfill"])
    assert result.exit_code == 0
    assert "Embedded 0 idea(s)" in result.output


def test_a_failing_model_stops_with_an_error(runner, ideas, app, monkeypatch):
    def fail(texts):
        raise RuntimeError("no model here")

    monkeypatch.setattr(get_embedder(app), "embed", fail)
    result = runner.invoke(args=["similarity", "backfill"])
    assert result.exit_code != 0
    assert vectors() == {}


def test_backfill_schedules_the_questions_duplicate_scan_and_themes(runner, ideas):
    from ideation.jobs.models import Job

    result = runner.invoke(args=["similarity", "backfill"])

    assert result.exit_code == 0, result.output
    pending = db.session.scalars(select(Job.key).where(Job.status == "pending"))
    question_id = ideas[0].question_id
    keys = set(pending)
    assert f"themes:{question_id}" in keys
    assert any(key and key.startswith("duplicates") for key in keys), keys


def test_a_new_question_title_embeds_its_ideas_again(app, ideas, make_user):
    from ideation.jobs.models import Job
    from ideation.jobs.queue import run_pending
    from ideation.questions.operations import update_question
    from ideation.shared.roles import Role

    app.config["QUESTION_CONTEXT"] = True
    question = ideas[0].question
    embedder = get_embedder(app)

    def pipeline(title):
        return idea_vectors(
            embedder,
            [i.title for i in ideas],
            [i.description for i in ideas],
            0.5,
            [title] * len(ideas),
        )

    before = pipeline(question.title)
    store.save_embeddings([(i.id, i.question_id) for i in ideas], before, "fake")
    db.session.commit()

    fields = {f: getattr(question, f) for f in ("context", "region", "opens_at")}
    fields.update(title="Where should clinics open?", closes_at=question.closes_at)
    update_question(question, make_user(Role.OFFICIAL), **fields)
    db.session.commit()
    pending = db.session.scalars(select(Job.name).where(Job.status == "pending"))
    assert "embed_question_ideas" in set(pending)
    run_pending()

    stored = vectors()
    after = pipeline("Where should clinics open?")
    for n, idea in enumerate(ideas):
        np.testing.assert_allclose(stored[idea.id].vector, after[n], atol=1e-6)
        assert not np.allclose(stored[idea.id].vector, before[n])


def test_other_question_changes_leave_the_vectors_alone(app, ideas, make_user):
    from ideation.jobs.models import Job
    from ideation.questions.operations import update_question
    from ideation.shared.roles import Role

    app.config["QUESTION_CONTEXT"] = True
    question = ideas[0].question
    fields = {f: getattr(question, f) for f in ("title", "region", "opens_at")}
    fields.update(context="New background text", closes_at=question.closes_at)
    update_question(question, make_user(Role.OFFICIAL), **fields)
    db.session.commit()
    names = set(db.session.scalars(select(Job.name)))
    assert "embed_question_ideas" not in names
