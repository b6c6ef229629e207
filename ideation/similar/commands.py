"""`flask similarity backfill` and `flask similarity reindex`: embed ideas in bulk.

They embed directly, in large batches with one write each, not through the job
queue: they are the batch. Registered on the `flask similarity` group.
"""

import click
from flask import current_app
from sqlalchemy import and_, select

from ..embeddings import get_embedder
from ..extensions import db
from ..models import Idea
from ..similarity_cli import similarity_cli
from .models import IdeaEmbedding
from .store import idea_vectors, save_embeddings, settings

_batch_size = click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Ideas per batch (default: EMBEDDING_BACKFILL_BATCH).",
)


@similarity_cli.command("backfill")
@_batch_size
def backfill(batch_size):
    """Embed the ideas that have no vector of the configured model yet."""
    model = get_embedder(current_app).name
    missing = (
        select(Idea.id)
        .outerjoin(
            IdeaEmbedding,
            and_(IdeaEmbedding.idea_id == Idea.id, IdeaEmbedding.model == model),
        )
        .where(IdeaEmbedding.idea_id.is_(None))
        .order_by(Idea.id)
    )
    _embed(list(db.session.scalars(missing)), batch_size, "Embedding missing ideas")


@similarity_cli.command("reindex")
@_batch_size
def reindex(batch_size):
    """Re-embed every idea with the configured model (after a model change)."""
    ideas = list(db.session.scalars(select(Idea.id).order_by(Idea.id)))
    _embed(ideas, batch_size, "Re-embedding all ideas")


def _embed(idea_ids: list[int], batch_size: int | None, label: str) -> None:
    embedder = get_embedder(current_app)
    batch_size = batch_size or current_app.config["EMBEDDING_BACKFILL_BATCH"]
    db.session.commit()  # the id list is read: hold no transaction while embedding
    done = 0
    with click.progressbar(length=len(idea_ids), label=label, show_pos=True) as bar:
        for start in range(0, len(idea_ids), batch_size):
            batch = idea_ids[start : start + batch_size]
            done += embed_batch(embedder, batch)
            db.session.commit()
            bar.update(len(batch))
    click.echo(f"Embedded {done} idea(s) with the model {embedder.name}.")


def embed_batch(embedder, idea_ids: list[int]) -> int:
    """Embed and store these ideas (those still there) in one write; how many."""
    rows = db.session.execute(
        select(Idea.id, Idea.question_id, Idea.title, Idea.description)
        .where(Idea.id.in_(idea_ids))
        .order_by(Idea.id)
    ).all()
    if not rows:
        return 0
    vectors = idea_vectors(
        embedder,
        [row.title for row in rows],
        [row.description for row in rows],
        settings().description_weight,
    )
    save_embeddings([(row.id, row.question_id) for row in rows], vectors, embedder.name)
    return len(rows)
