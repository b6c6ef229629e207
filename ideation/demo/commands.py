"""`flask demo ...`: operator commands for the demonstration data."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ideation.demo.loader import (
    DemoAlreadyLoaded,
    DemoReport,
    any_question_exists,
    load_demo,
)
from ideation.extensions import db

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when any question already exists."
)
def load(if_empty: bool) -> None:
    """Load the shipped Polis conversations as demo questions, ideas and supports."""
    if if_empty and any_question_exists():
        click.echo("The database already has questions; demo data not loaded.")
        return
    try:
        report = load_demo(Path(current_app.config["DEMO_DATA_DIR"]))
    except DemoAlreadyLoaded as error:
        raise click.ClickException(
            f"{error} Use a fresh database to load it again."
        ) from error
    db.session.commit()
    _print_report(report)


def _print_report(report: DemoReport) -> None:
    click.echo(f"Demo data loaded in {report.seconds:.1f} s.")
    click.echo(
        f"{'conversation':<14} {'question':>8} {'ideas':>6} {'supports':>9} "
        f"{'accounts':>9}"
    )
    for c in report.conversations:
        click.echo(
            f"{c.tag:<14} {c.question_id:>8} {c.ideas:>6} {c.supports:>9} "
            f"{c.accounts:>9}"
        )
    click.echo(
        f"{'total':<14} {len(report.conversations):>8} "
        f"{sum(c.ideas for c in report.conversations):>6} "
        f"{sum(c.supports for c in report.conversations):>9} {report.accounts:>9}"
    )
    click.echo(
        "citizen@demo.invalid stands in for one real voter in each conversation."
    )
    if report.voting_question_id:
        click.echo(
            f"Question {report.voting_question_id} is in its voting phase: "
            f"/questions/{report.voting_question_id}/vote"
        )
    click.echo("Demo logins:")
    for email, password, role in report.logins:
        click.echo(f"  {role:<9} {email:<24} password: {password}")
