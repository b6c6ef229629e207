"""Reads of accounts."""

from sqlalchemy import select

from ideation.auth.models import User
from ideation.extensions import db


def normalize_email(email: str) -> str:
    """The stored form of an e-mail address: stripped and lower-cased."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any case), if there is one."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))
