"""`flask similarity backfill` and `flask similarity reindex`: embed ideas in bulk.

They embed directly, in large batches with one write each, not through the job
queue: they are the batch. Writing a batch (on PostgreSQL, mostly updating the HNSW
index) overlaps with embedding the next. Registered on the `flask similarity` group.
"""

from concurrent.futures import ThreadPoolExecutor

import click
from flask import current_app
from sqlalchemy import and_, select

from ideation.duplicates.operations import schedule_duplicate_scan
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.similar.models import IdeaEmbedding
from ideation.similar.store import embed_idea_texts, idea_texts, save_embeddings
from ideation.similarity.commands import similarity_cli
from ideation.similarity.embeddings import get_embedder
from ideation.themes.jobs import schedule_theme_recompute

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
    """Embed the ideas batch by batch; each batch is written (one statement, one
    commit) on another thread while the model embeds the next one."""
    app = current_app._get_current_object()
    embedder = get_embedder(app)
    batch_size = batch_size or app.config["EMBEDDING_BACKFILL_BATCH"]
    db.session.commit()  # the id list is read: hold no transaction while embedding
    done = 0
    writing = None
    questions = set()
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-writer") as writer,
        click.progressbar(length=len(idea_ids), label=label, show_pos=True) as bar,
    ):
        for start in range(0, len(idea_ids), batch_size):
            batch = idea_ids[start : start + batch_size]
            rows = idea_texts(batch)
            db.session.commit()  # end the read: the writer must not wait for it
            vectors = embed_idea_texts(embedder, rows)
            if writing is not None:
                done += writing.result()  # at most one write pending; errors surface
            ideas = [(row.id, row.question_id) for row in rows]
            questions.update(question for _, question in ideas)
            writing = writer.submit(_write, app, ideas, vectors, embedder.name)
            bar.update(len(batch))
        if writing is not None:
            done += writing.result()
    click.echo(f"Embedded {done} idea(s) with the model {embedder.name}.")
    # New vectors change the questions' duplicate candidates and themes: the job
    # queue recomputes them, as after an idea is embedded one by one.
    for question_id in sorted(questions):
        schedule_duplicate_scan(question_id)
        schedule_theme_recompute(question_id)
    db.session.commit()
    if questions:
        click.echo(
            f"Scheduled duplicate scans and themes for {len(questions)} question(s)."
        )


def _write(app, ideas: list[tuple[int, int]], vectors, model: str) -> int:
    """Store one batch in its own session and transaction; how many ideas."""
    with app.app_context():
        save_embeddings(ideas, vectors, model)
        db.session.commit()
    return len(ideas)
