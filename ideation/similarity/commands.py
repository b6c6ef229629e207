"""`flask similarity ...`: the app's own similarity pipeline on CSV files.

    flask similarity score-pairs IN.csv --a COL --b COL [--group COL] [--context COL]
                                 -o OUT.csv
    flask similarity cluster IN.csv --text COL [--group COL] [--context COL] -o OUT.csv

Both keep every column of the input and add theirs; rows with the same --group value
are one question's ideas: they are centred together (and clustered together). With
--context, each text is embedded after that column's text (the question it answers),
as the app embeds ideas after their question's title.
"""

import csv
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ideation.similarity import core as similarity
from ideation.similarity.embeddings import get_embedder

similarity_cli = AppGroup(
    "similarity", help="Similarity scores, duplicate groups and themes on CSV files."
)

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


def _read(path: Path, *columns: str | None) -> tuple[list[dict], list[str]]:
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


def _write(path: Path, rows: list[dict], fieldnames: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def _column(rows: list[dict], column: str | None) -> list[str] | None:
    """The column's texts, or None when no column was named."""
    return [row[column] or "" for row in rows] if column else None


def _settings() -> similarity.Settings:
    return similarity.Settings.from_mapping(current_app.config)


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
    """Add a `score` column: how similar the texts in columns --a and --b are."""
    rows, fieldnames = _read(in_csv, a_column, b_column, group_column, context_column)
    settings = _settings()
    groups = [row[group_column] for row in rows] if group_column else None
    scores = similarity.score_pairs(
        [row[a_column] or "" for row in rows],
        [row[b_column] or "" for row in rows],
        get_embedder(current_app),
        groups,
        centre_weight=settings.centre_weight,
        centre_prior=settings.centre_prior,
        lexical_weight=settings.lexical_weight,
        contexts=_column(rows, context_column),
    )
    for row, score in zip(rows, scores, strict=True):
        row["score"] = f"{score:.6f}"
    _write(output, rows, [*fieldnames, *(["score"] * ("score" not in fieldnames))])
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
    rows, fieldnames = _read(in_csv, text_column, group_column, context_column)
    settings = _settings()
    texts = similarity.in_contexts(
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
        centred = similarity.centre_question(
            raw, settings.centre_weight, settings.centre_prior
        )
        duplicates = similarity.duplicate_labels(
            centred, settings.duplicate_threshold, settings.duplicate_linkage
        )
        k = similarity.theme_count(
            len(members),
            settings.theme_divisor,
            settings.themes_min,
            settings.themes_max,
        )
        themes = similarity.cluster_themes(centred, k)
        for i, duplicate, theme in zip(members, duplicates, themes, strict=True):
            rows[i]["duplicate_group"] = next_duplicate + int(duplicate)
            rows[i]["theme"] = next_theme + int(theme)
        next_duplicate += int(duplicates.max()) + 1
        next_theme += int(themes.max()) + 1
    added = [c for c in ("duplicate_group", "theme") if c not in fieldnames]
    _write(output, rows, [*fieldnames, *added])
    click.echo(f"Clustered {len(rows)} texts into {output}.")
