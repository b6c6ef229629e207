"""Background work of the similar-ideas feature."""

from flask import current_app
from sqlalchemy import select

from ideation.duplicates.operations import schedule_duplicate_scan
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.jobs import queue as jobs
from ideation.jobs.queue import job
from ideation.similar.store import (
    embed_idea_texts,
    idea_texts,
    save_embeddings,
    settings,
)
from ideation.similarity.embeddings import get_embedder
from ideation.themes.jobs import schedule_theme_recompute


@job("embed_idea")
def embed_idea(idea_id: int) -> None:
    """Embed an idea's title and description as they are now, and store the vector.

    A model that fails to load or run raises: the queue retries, then lists the job
    as failed for admins.
    """
    rows = idea_texts([idea_id])
    if not rows:
        return  # deleted since
    _embed_and_store(rows)
    _vectors_changed(rows[0].question_id)


@job("embed_question_ideas")
def embed_question_ideas(question_id: int) -> None:
    """Embed all the question's ideas again: they are embedded after its title, which
    has changed. In batches, one write each."""
    ids = list(
        db.session.scalars(
            select(Idea.id).where(Idea.question_id == question_id).order_by(Idea.id)
        )
    )
    batch = current_app.config["EMBEDDING_BACKFILL_BATCH"]
    for start in range(0, len(ids), batch):
        _embed_and_store(idea_texts(ids[start : start + batch]))
    _vectors_changed(question_id)


def schedule_question_embedding(question_id: int) -> None:
    """Ask for the question's ideas to be embedded again (pending requests join),
    when they are embedded in its context."""
    if not settings().question_context:
        return
    jobs.enqueue(
        "embed_question_ideas",
        {"question_id": question_id},
        key=f"embed-question:{question_id}",
    )


def _embed_and_store(rows) -> None:
    embedder = get_embedder(current_app)
    vectors = embed_idea_texts(embedder, rows)
    save_embeddings([(r.id, r.question_id) for r in rows], vectors, embedder.name)


def _vectors_changed(question_id: int) -> None:
    # Look for near-duplicates again and recompute the themes (both debounced).
    schedule_duplicate_scan(question_id)
    schedule_theme_recompute(question_id)
