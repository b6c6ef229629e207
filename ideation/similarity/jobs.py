"""Background work of the similarity package: embedding ideas."""

from flask import current_app
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.jobs import queue as jobs
from ideation.jobs.queue import job
from ideation.shared.db import reading
from ideation.shared.signals import question_retitled
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.pipeline import (
    configured_settings,
    embed_idea_texts,
    idea_texts,
)
from ideation.similarity.signals import question_vectors_changed
from ideation.similarity.store import save_embeddings


@job("embed_idea")
def embed_idea(idea_id: int) -> None:
    """Embed an idea's title and description as they are now, and store the vector.

    A model that fails to load or run raises: the queue retries, then lists the job
    as failed for admins.
    """
    with reading():
        rows = idea_texts([idea_id])
    if not rows:
        return  # deleted since
    _embed_and_store(rows)
    announce_new_vectors(rows[0].question_id)


@job("embed_question_ideas")
def embed_question_ideas(question_id: int) -> None:
    """Embed all the question's ideas again: they are embedded after its title, which
    has changed. In batches, one write each, committed before the next batch is
    embedded."""
    with reading():
        ids = list(
            db.session.scalars(
                select(Idea.id).where(Idea.question_id == question_id).order_by(Idea.id)
            )
        )
    batch = current_app.config["EMBEDDING_BACKFILL_BATCH"]
    for start in range(0, len(ids), batch):
        with reading():  # which also commits the batch before
            rows = idea_texts(ids[start : start + batch])
        _embed_and_store(rows)
    announce_new_vectors(question_id)


def schedule_question_embedding(question_id: int) -> None:
    """Ask for the question's ideas to be embedded again (pending requests join),
    when they are embedded in its context."""
    if not configured_settings().question_context:
        return
    jobs.enqueue(
        "embed_question_ideas",
        {"question_id": question_id},
        key=f"embed-question:{question_id}",
    )


@question_retitled.connect
def _reembed_retitled(question_id: int, **_) -> None:
    schedule_question_embedding(question_id)


def announce_new_vectors(question_id: int) -> None:
    """Tell the features that compute from the question's vectors that they changed
    (duplicates and themes schedule their recomputation, debounced)."""
    app = current_app._get_current_object()
    question_vectors_changed.send(app, question_id=question_id)


def _embed_and_store(rows) -> None:
    # The texts were read in a transaction of their own (`reading`): no request
    # waits for SQLite's write lock while the model loads or runs.
    embedder = get_embedder(current_app)
    vectors = embed_idea_texts(embedder, rows)
    save_embeddings([(r.id, r.question_id) for r in rows], vectors, embedder.name)
