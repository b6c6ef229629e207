"""What each feature holds about an account, for the copy its owner downloads
(LGPD's right of access: ideation.auth.data_rights).

A feature names, in its `Feature(personal_data=...)`, a function taking the
account and returning sections of the copy: {"ideas": [{...}, ...]}. Each
section lists only rows of that account.
"""

from collections.abc import Callable

from sqlalchemy import select

from ideation.extensions import db

Exporter = Callable[[object], dict[str, list[dict]]]

# Keyed by the function's module and name: create_app runs once per app (tests
# make many), and each feature's exporter is registered once.
EXPORTERS: dict[str, Exporter] = {}


def register_personal_data(exporter: Exporter) -> None:
    """Add `exporter`'s sections to every account's copy."""
    EXPORTERS[f"{exporter.__module__}.{exporter.__qualname__}"] = exporter


def rows_of(model, condition) -> list:
    """The rows of `model` matching `condition`, oldest first (by id)."""
    return list(db.session.scalars(select(model).where(condition).order_by(model.id)))


def iso(value) -> str | None:
    """A datetime as ISO 8601 text, None as None."""
    return value.isoformat() if value is not None else None
