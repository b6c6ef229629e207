"""`flask themes ...`: operator commands for themes."""

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ideation.extensions import db
from ideation.questions.models import Question, QuestionStatus
from ideation.themes.operations import recompute_themes
from ideation.themes.queries import ideas_without_vector

themes_cli = AppGroup("themes", help="Themes of questions.")


@themes_cli.command("recompute")
@click.option("--question", "question_id", type=int, help="Only this question.")
def recompute(question_id: int | None) -> None:
    """Recompute themes now, in this process (all public questions by default).

    Themes are made from stored vectors: for ideas loaded without the app (`flask
    demo load`), run `flask similarity backfill` first.
    """
    if question_id is not None:
        question = db.session.get(Question, question_id)
        if question is None:
            raise click.ClickException(f"no question #{question_id}")
        questions = [question]
    else:
        questions = db.session.scalars(
            select(Question)
            .where(Question.status != QuestionStatus.DRAFT.value)
            .order_by(Question.id)
        ).all()
    for question in questions:
        started = time.perf_counter()
        themes = recompute_themes(question)
        db.session.commit()
        seconds = time.perf_counter() - started
        click.echo(
            f"question {question.id}: {len(themes)} themes, "
            f"{sum(t.size for t in themes)} ideas, {seconds:.1f} s"
        )
        for theme in themes:
            click.echo(f"  {theme.size:>5}  {', '.join(theme.keywords)}")
        missing = ideas_without_vector(question)
        if missing:
            click.echo(
                f"  {missing} listed idea(s) have no vector yet and were left out: "
                "run `flask similarity backfill`."
            )
