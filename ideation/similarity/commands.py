"""`flask similarity ...`: embed the ideas in bulk, and run the app's own similarity
pipeline on CSV files.

    flask similarity backfill [--batch-size N]
    flask similarity reindex [--batch-size N]
    flask similarity score-pairs IN.csv --a COL --b COL [--group COL] [--context COL]
                                 -o OUT.csv
    flask similarity cluster IN.csv --text COL [--group COL] [--context COL] -o OUT.csv

backfill and reindex embed directly, in large batches with one write each, not through
the job queue: they are the batch. Writing a batch (on PostgreSQL, mostly updating the
HNSW index) overlaps with embedding the next.

score-pairs and cluster keep every column of the input and add theirs (score-pairs:
`score`, and `duplicate`, the inbox's same-idea decision on that score); rows with the
same --group value are one question's ideas: they are centred together (and clustered
together). With --context, each text is embedded after that column's text (the
question it answers), as the app embeds ideas after their question's title.
"""

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import and_, select

from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.shared.db import writing
from ideation.similarity import pipeline
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.jobs import announce_new_vectors
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.store import save_embeddings
from ideation.similarity.vectors import in_contexts, score_pairs

similarity_cli = AppGroup(
    "similarity",
    help="Embed ideas; similarity scores, duplicate groups and themes on CSV files.",
)

# -- embedding ideas in bulk -----------------------------------------------------------


_batch_size = click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Ideas per batch (default: EMBEDDING_BACKFILL_BATCH).",
)


@similarity_cli.command("backfill")
@_batch_size
def backfill(batch_size):
    """Embed the ideas that have no vector of the configured model yet."""
    model = pipeline.configured_model()
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
    last_write = None
    questions = set()
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-writer") as writer,
        click.progressbar(length=len(idea_ids), label=label, show_pos=True) as bar,
    ):
        for start in range(0, len(idea_ids), batch_size):
            batch = idea_ids[start : start + batch_size]
            rows = pipeline.idea_texts(batch)
            db.session.commit()  # end the read: the writer must not wait for it
            vectors = pipeline.embed_idea_texts(embedder, rows)
            if last_write is not None:
                done += last_write.result()  # one write pending; errors surface
            ideas = [(row.id, row.question_id) for row in rows]
            questions.update(question for _, question in ideas)
            last_write = writer.submit(_store_batch, app, ideas, vectors, embedder.name)
            bar.update(len(batch))
        if last_write is not None:
            done += last_write.result()
    click.echo(f"Embedded {done} idea(s) with the model {embedder.name}.")
    # New vectors change what is computed from them (duplicate suggestions, themes):
    # the job queue recomputes it, as after an idea is embedded one by one.
    for question_id in sorted(questions):
        announce_new_vectors(question_id)
    db.session.commit()
    if questions:
        click.echo(
            f"Announced new vectors of {len(questions)} question(s): their duplicate "
            "scans and themes follow in the job queue."
        )


def _store_batch(app, ideas: list[tuple[int, int]], vectors, model: str) -> int:
    """Store one batch in its own session and transaction; how many ideas."""
    # This thread is outside the command (click's context is per thread): say
    # that it writes.
    with app.app_context(), writing():
        save_embeddings(ideas, vectors, model)
        db.session.commit()
    return len(ideas)


# -- the pipeline on CSV files ---------------------------------------------------------


_in_csv = click.argument(
    "in_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_out_csv = click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the CSV (UTF-8).",
)
_group = click.option(
    "--group", "group_column", help="Column whose rows form one question."
)

_context = click.option(
    "--context",
    "context_column",
    help="Column of the question each text answers: texts are embedded after it.",
)


def _read_csv(path: Path, *columns: str | None) -> tuple[list[dict], list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fieldnames = list(reader.fieldnames or [])
    missing = [c for c in columns if c and c not in fieldnames]
    if missing:
        have = ", ".join(fieldnames)
        raise click.UsageError(
            f"{path} has no column {', '.join(missing)} (it has: {have})"
        )
    return rows, fieldnames


def _write_csv(path: Path, rows: list[dict], fieldnames: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def _column(rows: list[dict], column: str | None) -> list[str] | None:
    """The column's texts, or None when no column was named."""
    return [row[column] or "" for row in rows] if column else None


@similarity_cli.command("score-pairs")
@_in_csv
@click.option("--a", "a_column", required=True, help="Column of the first texts.")
@click.option("--b", "b_column", required=True, help="Column of the second texts.")
@_group
@_context
@_out_csv
def score_pairs_command(
    in_csv, a_column, b_column, group_column, context_column, output
):
    """Add a `score` column (how similar the texts in columns --a and --b are) and a
    `duplicate` column: 1 when the app would offer the pair as the same idea."""
    rows, fieldnames = _read_csv(
        in_csv, a_column, b_column, group_column, context_column
    )
    knobs = pipeline.configured_settings()
    groups = [row[group_column] for row in rows] if group_column else None
    scores = score_pairs(
        [row[a_column] or "" for row in rows],
        [row[b_column] or "" for row in rows],
        get_embedder(current_app),
        groups,
        centre_weight=knobs.centre_weight,
        centre_prior=knobs.centre_prior,
        contexts=_column(rows, context_column),
    )
    for row, score in zip(rows, scores, strict=True):
        row["score"] = f"{score:.6f}"
        row["duplicate"] = int(
            pipeline.same_idea(
                float(score), knobs, row[a_column] or "", row[b_column] or ""
            )
        )
    added = [c for c in ("score", "duplicate") if c not in fieldnames]
    _write_csv(output, rows, [*fieldnames, *added])
    click.echo(f"Scored {len(rows)} pairs into {output}.")


@similarity_cli.command("cluster")
@_in_csv
@click.option("--text", "text_column", required=True, help="Column of the texts.")
@_group
@_context
@_out_csv
def cluster_command(in_csv, text_column, group_column, context_column, output):
    """Add `duplicate_group` and `theme` columns, clustering within each group.

    Rows with equal numbers are near-duplicates (or share a theme); numbers are unique
    across the file, and an idea with no duplicate has a group of its own.
    """
    rows, fieldnames = _read_csv(in_csv, text_column, group_column, context_column)
    knobs = pipeline.configured_settings()
    texts = in_contexts(
        _column(rows, context_column), [row[text_column] or "" for row in rows]
    )
    unique = list(dict.fromkeys(texts))
    vectors = get_embedder(current_app).embed(unique)
    index = {text: i for i, text in enumerate(unique)}
    groups = [row[group_column] for row in rows] if group_column else [None] * len(rows)
    members_of: dict = {}
    for i, group in enumerate(groups):
        members_of.setdefault(group, []).append(i)
    next_duplicate = next_theme = 0
    for members in members_of.values():
        raw = vectors[[index[texts[i]] for i in members]]
        own = [rows[i][text_column] or "" for i in members]
        duplicates, themes = pipeline.cluster(raw, knobs, own)
        for i, duplicate, theme in zip(members, duplicates, themes, strict=True):
            rows[i]["duplicate_group"] = next_duplicate + int(duplicate)
            rows[i]["theme"] = next_theme + int(theme)
        next_duplicate += int(duplicates.max()) + 1
        next_theme += int(themes.max()) + 1
    added = [c for c in ("duplicate_group", "theme") if c not in fieldnames]
    _write_csv(output, rows, [*fieldnames, *added])
    click.echo(f"Clustered {len(rows)} texts into {output}.")
