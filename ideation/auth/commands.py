"""`flask users ...`: accounts from the command line, through the web's operations."""

import click
from flask.cli import AppGroup

from ideation.auth.operations import change_role, create_account
from ideation.auth.queries import find_user_by_email
from ideation.extensions import db
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role

users_cli = AppGroup("users", help="Manage user accounts.")

ROLES = click.Choice([role.value for role in Role])


@users_cli.command("create")
@click.option("--email", required=True, help="E-mail address (the login).")
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", type=ROLES, default=Role.CITIZEN.value, show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for, hidden, when omitted (safer than shell history).",
)
def create_user(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account, for example the first admin."""
    try:
        # Made by whoever runs the server: the address needs no confirmation.
        user = create_account(
            email,
            display_name,
            password,
            role=Role(role),
            reason="flask users create",
            email_confirmed=True,
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created account {user.email} ({user.role}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
@click.option("--reason", default="flask users set-role", help="Kept in the audit log.")
def set_role(email: str, role: str, reason: str) -> None:
    """Give the account with EMAIL the role ROLE."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the e-mail address {email}.")
    try:
        change_role(user, Role(role), actor=None, reason=reason)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}.")
