"""The vector store on the test backend (SQLite, or PostgreSQL with TEST_DB)."""

import numpy as np
import pytest
from sqlalchemy import select, text

from config import Config, _default_embedding_model
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.shared.db import utcnow
from ideation.similarity import embeddings, pipeline, search, store
from ideation.similarity.models import IdeaEmbedding, hnsw_index_name
from ideation.similarity.settings import Settings
from ideation.similarity.vectors import (
    centre,
    centring_mean,
    combine_title_description,
    in_context,
    normalise,
)
from tests.conftest import USES_POSTGRES

MODEL = "test-model"


@pytest.fixture
def question(make_question):
    return make_question()


@pytest.fixture
def author(make_user):
    return make_user()


def add_ideas(question, author, count, status=None):
    ideas = [
        Idea(question=question, author=author, title=f"Idea {i}", description="")
        for i in range(count)
    ]
    if status:
        for idea in ideas:
            idea.status = status
    db.session.add_all(ideas)
    db.session.commit()
    return ideas


def topical_vectors(count, dimension, seed=0):
    """Unit vectors sharing a strong common direction, as one question's ideas do."""
    rng = np.random.default_rng(seed)
    topic = rng.normal(size=dimension)
    return normalise(2 * topic + rng.normal(size=(count, dimension)))


def save_all(ideas, vectors, model=MODEL):
    store.save_embeddings([(i.id, i.question_id) for i in ideas], vectors, model)
    db.session.commit()


def brute_force(ids, vectors, query, k):
    """The pipeline's ranking, computed the plain way."""
    mean = centring_mean(vectors)
    scores = centre(vectors, mean) @ centre(query[None], mean)[0]
    order = np.argsort(-scores, kind="stable")[:k]
    return [ids[i] for i in order], scores[order]


def stored(idea):
    return db.session.scalars(
        select(IdeaEmbedding)
        .where(IdeaEmbedding.idea_id == idea.id)
        .execution_options(populate_existing=True)
    ).one()


def test_save_then_upsert_replaces_the_vector(question, author):
    (idea,) = add_ideas(question, author, 1)
    first = normalise(np.arange(1, 9, dtype=np.float32))
    store.save_embedding(idea, first, "old-model")
    db.session.commit()
    row = stored(idea)
    assert (row.model, row.dimension, row.question_id) == ("old-model", 8, question.id)
    assert row.vector.dtype == np.float32
    np.testing.assert_array_equal(row.vector, first)

    second = normalise(np.ones(16, dtype=np.float32))
    store.save_embedding(idea, second, MODEL)
    db.session.commit()
    row = stored(idea)
    assert (row.model, row.dimension) == (MODEL, 16)
    np.testing.assert_array_equal(row.vector, second)
    assert db.session.scalar(select(db.func.count()).select_from(IdeaEmbedding)) == 1


def test_vector_goes_with_its_idea(question, author):
    (idea,) = add_ideas(question, author, 1)
    save_all([idea], topical_vectors(1, 8))
    db.session.delete(idea)
    db.session.commit()
    assert db.session.scalars(select(IdeaEmbedding)).all() == []


@pytest.fixture(params=["exact", "index"])
def search_path(request, monkeypatch):
    """PostgreSQL: score every vector, or go through the HNSW index (384 dimensions;
    other dimensions have no index). SQLite: numpy either way."""
    if request.param == "index":
        monkeypatch.setattr(search, "EXACT_BELOW", 0)
    return request.param


@pytest.mark.parametrize("dimension", [384, 64])
def test_nearest_equals_brute_force_ranking(
    question, author, dimension, search_path, monkeypatch
):
    ideas = add_ideas(question, author, 150)
    vectors = topical_vectors(151, dimension)
    save_all(ideas, vectors[:150])
    query = vectors[150]
    exact_searches = []
    exact = search._exact
    monkeypatch.setattr(
        search, "_exact", lambda *args: exact_searches.append(1) or exact(*args)
    )

    found = search.nearest_ideas(question, query, 5, model=MODEL)

    if USES_POSTGRES:
        through_index = search_path == "index" and dimension == 384
        assert bool(exact_searches) != through_index

    expected_ids, expected_scores = brute_force(
        [i.id for i in ideas], vectors[:150], query, 5
    )
    assert [idea_id for idea_id, _ in found] == expected_ids
    np.testing.assert_allclose([s for _, s in found], expected_scores, atol=1e-4)
    # Centring changes the order here, so the test tells centred from raw cosines.
    raw = np.argsort(-(vectors[:150] @ query))[:5]
    assert [ideas[i].id for i in raw] != expected_ids


def test_shrunk_mean_is_the_pipelines_centring_mean():
    vectors = topical_vectors(30, 12)
    knobs = Settings(centre_weight=0.8, centre_prior=7)
    np.testing.assert_allclose(
        store.shrunk_mean(vectors.mean(axis=0), 30, knobs),
        centring_mean(vectors, 0.8, 7),
        atol=1e-6,
    )


def test_only_the_questions_own_ideas(make_question, question, author):
    other = make_question(title="Another question")
    mine = add_ideas(question, author, 5)
    theirs = add_ideas(other, author, 5)
    vectors = topical_vectors(10, 32)
    save_all(mine, vectors[:5])
    save_all(theirs, vectors[5:])

    found = search.nearest_ideas(question, vectors[7], 10, model=MODEL)

    assert {idea_id for idea_id, _ in found} == {i.id for i in mine}


def test_withdrawn_and_excluded_ideas_are_left_out(question, author):
    ideas = add_ideas(question, author, 6)
    vectors = topical_vectors(6, 32)
    save_all(ideas, vectors)
    ideas[0].status = IdeaStatus.WITHDRAWN.value
    db.session.commit()

    found = search.nearest_ideas(
        question, vectors[0], 10, exclude_ids={ideas[1].id}, model=MODEL
    )

    assert {idea_id for idea_id, _ in found} == {i.id for i in ideas[2:]}


def test_ideas_hidden_by_moderators_are_never_suggested(question, author):
    ideas = add_ideas(question, author, 4)
    vectors = topical_vectors(4, 32)
    save_all(ideas, vectors)
    ideas[0].hidden_at = utcnow()
    db.session.commit()

    found = search.nearest_ideas(question, vectors[0], 10, model=MODEL)

    assert {idea_id for idea_id, _ in found} == {i.id for i in ideas[1:]}


@pytest.mark.parametrize("dimension", [384, 64])
def test_limit_is_filled_when_the_nearest_are_hidden(
    question, author, dimension, search_path
):
    ideas = add_ideas(question, author, 130)
    vectors = topical_vectors(130, dimension, seed=3)
    save_all(ideas, vectors)
    query = vectors[0]
    nearest, _ = brute_force([i.id for i in ideas], vectors, query, 130)
    by_id = {i.id: i for i in ideas}
    for idea_id in nearest[:110]:  # more than the index's candidates
        by_id[idea_id].status = IdeaStatus.WITHDRAWN.value
    db.session.commit()

    found = search.nearest_ideas(question, query, 5, model=MODEL)

    assert [idea_id for idea_id, _ in found] == nearest[110:115]


def test_vectors_of_other_models_are_ignored(question, author):
    ideas = add_ideas(question, author, 4)
    vectors = topical_vectors(4, 32)
    save_all(ideas[:2], vectors[:2])
    save_all(ideas[2:], vectors[2:], model="old-model")

    found = search.nearest_ideas(question, vectors[3], 10, model=MODEL)

    assert {idea_id for idea_id, _ in found} == {ideas[0].id, ideas[1].id}
    assert search.nearest_ideas(question, vectors[3], 10, model="unknown") == []


def test_vectors_of_another_dimension_are_ignored(question, author):
    ideas = add_ideas(question, author, 2)
    save_all(ideas[:1], topical_vectors(1, 16))
    save_all(ideas[1:], topical_vectors(1, 32))

    found = search.nearest_ideas(question, topical_vectors(1, 32)[0], 10, model=MODEL)

    assert [idea_id for idea_id, _ in found] == [ideas[1].id]


def test_new_vectors_are_found_at_once(question, author):
    """The per-process cache of a question's vectors renews itself."""
    ideas = add_ideas(question, author, 3)
    vectors = topical_vectors(4, 32)
    save_all(ideas[:2], vectors[:2])
    assert len(search.nearest_ideas(question, vectors[3], 10, model=MODEL)) == 2
    save_all(ideas[2:], vectors[2:3])
    found = search.nearest_ideas(question, vectors[2], 10, model=MODEL)
    assert found[0][0] == ideas[2].id
    # Re-embedding an idea (same count) renews it too.
    save_all(ideas[:1], vectors[3:4])
    assert search.nearest_ideas(question, vectors[3], 1, model=MODEL)[0][0] == (
        ideas[0].id
    )
    # And a deleted idea is gone.
    gone = ideas[2].id
    db.session.delete(ideas[2])
    db.session.commit()
    found = search.nearest_ideas(question, vectors[2], 10, model=MODEL)
    assert gone not in {idea_id for idea_id, _ in found} and len(found) == 2


@pytest.mark.skipif(USES_POSTGRES, reason="PostgreSQL searches in SQL")
def test_cached_matrix_brought_up_to_date_equals_a_fresh_one(question, author):
    ideas = add_ideas(question, author, 40)
    vectors = topical_vectors(45, 16)
    save_all(ideas[:30], vectors[:30])
    store.question_matrix(question.id, MODEL, 16)
    save_all(ideas[30:], vectors[30:40])  # new ones
    save_all(ideas[5:7], vectors[40:42])  # and changed ones
    updated = store.question_matrix(question.id, MODEL, 16)
    store.clear_cache()
    fresh = store.question_matrix(question.id, MODEL, 16)
    np.testing.assert_array_equal(updated.ids, fresh.ids)
    np.testing.assert_array_equal(updated.vectors, fresh.vectors)
    np.testing.assert_allclose(updated.centred, fresh.centred, atol=1e-6)


def test_idea_vectors_combine_title_and_description_as_the_pipeline():
    embedder = embeddings.FakeEmbedder()
    got = pipeline.idea_vectors(
        embedder, ["Evening clinics", "Bus lanes"], ["Open until 22h.", ""], 0.5
    )
    title, description, bus = embedder.embed(
        ["Evening clinics", "Open until 22h.", "Bus lanes"]
    )
    np.testing.assert_allclose(
        got[0], combine_title_description(title, description, 0.5)
    )
    np.testing.assert_allclose(got[1], bus)  # no description: the title alone


def test_default_model_names_are_those_of_the_embeddings_module():
    assert _default_embedding_model() in {
        embeddings.E5_MODEL,
        embeddings.TUNED_MODEL,
        embeddings.STOCK_MODEL,
    }
    assert Config.DUPLICATE_THRESHOLD is None or 0 < Config.DUPLICATE_THRESHOLD < 1


@pytest.mark.skipif(not USES_POSTGRES, reason="the HNSW index is PostgreSQL's")
def test_query_uses_the_hnsw_index(question, author):
    ideas = add_ideas(question, author, 20)
    save_all(ideas, topical_vectors(20, 384))
    # Only the HNSW index gives rows in distance order without a sort.
    db.session.execute(text("SET LOCAL enable_sort = off"))
    sql = search._sql("EXPLAIN " + search._ANN_SQL, 384, "c.v", candidates=100)
    vector = np.full(384, 0.05, dtype=np.float32)
    params = {"qc": vector, "mean": vector, "mq": 0.1, "mm": 0.1, "qn": 1.0}
    plan = db.session.execute(
        sql, {"question_id": question.id, "model": MODEL, **params}
    ).scalars()
    assert hnsw_index_name(384) in "\n".join(plan)


@pytest.mark.skipif(not USES_POSTGRES, reason="the HNSW index is PostgreSQL's")
def test_a_small_share_of_the_table_is_searched_exactly(question, author, monkeypatch):
    """The index filters by question after the scan: for a question holding a tiny
    share of the rows it would find too few of them, so every vector is scored."""
    ideas = add_ideas(question, author, 60)
    vectors = topical_vectors(61, 384)
    save_all(ideas, vectors[:60])
    monkeypatch.setattr(search, "EXACT_BELOW", 0)
    monkeypatch.setattr(search, "_table_rows", lambda: 10**7)
    exact_searches = []
    exact = search._exact
    monkeypatch.setattr(
        search, "_exact", lambda *args: exact_searches.append(1) or exact(*args)
    )

    found = search.nearest_ideas(question, vectors[60], 5, model=MODEL)

    assert exact_searches == [1]
    expected, _ = brute_force([i.id for i in ideas], vectors[:60], vectors[60], 5)
    assert [idea_id for idea_id, _ in found] == expected


def test_idea_vectors_embed_title_and_description_after_the_question():
    embedder = embeddings.FakeEmbedder()
    question = "How can we improve public health?"
    got = pipeline.idea_vectors(
        embedder, ["Evening clinics"], ["Open until 22h."], 0.5, [question]
    )
    title, description = embedder.embed(
        [f"{question} Evening clinics", f"{question} Open until 22h."]
    )
    np.testing.assert_allclose(
        got[0], combine_title_description(title, description, 0.5)
    )
    bare = pipeline.idea_vectors(
        embedder, ["Evening clinics"], ["Open until 22h."], 0.5
    )
    assert not np.allclose(got, bare)


def test_embedded_ideas_carry_their_question_only_when_configured(
    app, question, author
):
    (idea,) = add_ideas(question, author, 1)
    rows = pipeline.idea_texts([idea.id])
    embedder = embeddings.FakeEmbedder()
    app.config["QUESTION_CONTEXT"] = True
    contextual = pipeline.embed_idea_texts(embedder, rows)
    app.config["QUESTION_CONTEXT"] = False
    bare = pipeline.embed_idea_texts(embedder, rows)

    title = in_context(question.title, idea.title)
    np.testing.assert_allclose(contextual[0], embedder.embed([title])[0])
    np.testing.assert_allclose(bare[0], embedder.embed([idea.title])[0])
