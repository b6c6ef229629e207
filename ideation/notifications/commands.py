"""`flask mail ...`: the daily digest from cron, or scheduled for the worker."""

import click
from flask.cli import AppGroup

from ideation.extensions import db
from ideation.notifications.digest import schedule_digest, send_digests

mail_cli = AppGroup("mail", help="E-mail: the daily digest of notifications.")


@mail_cli.command("digest")
@click.option(
    "--schedule",
    is_flag=True,
    help="Send nothing now; make sure the worker sends the digest at DIGEST_HOUR "
    "(and every day after).",
)
def digest(schedule: bool) -> None:
    """Queue today's digest e-mails now (for cron), or schedule the digest job."""
    if schedule:
        at = schedule_digest()
        db.session.commit()
        click.echo(f"The digest job is pending (next run due {at:%Y-%m-%d %H:%M} UTC).")
        return
    count = send_digests()
    db.session.commit()
    click.echo(f"Queued {count} digest e-mail(s); the mail.send jobs deliver them.")
