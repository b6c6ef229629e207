"""`flask markdown rerender`: stored Markdown rendered again with today's rules."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ideation.extensions import db
from ideation.shared.text import RENDERED_COLUMNS, render_markdown

markdown_cli = AppGroup("markdown", help="Stored Markdown and its HTML.")


@markdown_cli.command("rerender")
def rerender():
    """Render every stored Markdown text again (after the sanitiser's rules
    changed): the HTML kept beside each source is replaced."""
    for source, html in RENDERED_COLUMNS:
        model = source.class_
        changed = 0
        for row in db.session.scalars(select(model)).yield_per(500):
            rendered = str(render_markdown(getattr(row, source.key)))
            if getattr(row, html.key) != rendered:
                setattr(row, html.key, rendered)
                changed += 1
        db.session.commit()
        click.echo(f"{model.__tablename__}.{html.key}: {changed} re-rendered")
