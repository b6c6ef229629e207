"""Database helpers shared by every feature: UTC datetimes, enum columns and CHECK
builders, the dialect's INSERT ... ON CONFLICT, and row locks."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, select
from sqlalchemy.dialects import postgresql, sqlite

from ideation.extensions import db


def utcnow() -> datetime:
    """Aware UTC now; evaluated per row, never once at import."""
    return datetime.now(UTC)


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def enum_type(enum_class: type[enum.StrEnum], length: int) -> Enum:
    """A VARCHAR(length) column type that stores `enum_class` by value.

    Rows read back as members; writes take members or their values, and refuse any
    other string before it reaches the database. No native type and no constraint of
    its own: the table names its CHECK (check_enum), as the migration created it.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def check_in(column: str, values) -> str:
    """SQL for a CHECK constraint: `column` holds one of `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def check_enum(column: str, enum_class) -> str:
    """SQL for a CHECK constraint: `column` holds a value of `enum_class`."""
    return check_in(column, [member.value for member in enum_class])


# ON CONFLICT DO NOTHING is spelled the same on both backends, but SQLAlchemy
# builds it from each dialect's own insert().
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(table):
    """An INSERT for the session's database that supports ON CONFLICT clauses."""
    return _INSERTS[dialect_name()](table)


def dialect_name() -> str:
    """`postgresql` or `sqlite`: the database the session talks to."""
    return db.session.get_bind().dialect.name


def lock_row(item):
    """Lock `item`'s row until commit and reload it, so checks see the latest state."""
    model = type(item)
    stmt = (
        select(model)
        .where(model.id == item.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()
