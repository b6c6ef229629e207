"""Reads of accounts."""

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from ideation.auth.models import User
from ideation.extensions import db


def normalize_email(email: str) -> str:
    """The stored form of an e-mail address: stripped and lower-cased."""
    return email.strip().lower()


def masked_email(email: str) -> str:
    """An address shown to moderators: enough to tell two namesakes apart, not
    enough to write to ("ana.silva@example.org" gives "a…@e….org")."""
    local, _, domain = email.partition("@")
    name, dot, top = domain.rpartition(".")
    if not dot:
        name, top = domain, ""
    return f"{local[:1]}…@{name[:1]}…{dot}{top}"


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any case), if there is one."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def search_users(term: str, page: int) -> Pagination:
    """One page of accounts, by name; `term` filters on name or e-mail."""
    stmt = select(User).order_by(func.lower(User.display_name), User.id)
    if term:
        stmt = stmt.where(
            or_(
                User.display_name.icontains(term, autoescape=True),
                User.email.icontains(term, autoescape=True),
            )
        )
    return db.paginate(
        stmt,
        page=page,
        per_page=current_app.config["USERS_PER_PAGE"],
        max_per_page=current_app.config["USERS_PER_PAGE"],
        error_out=False,
    )
