"""Database helpers shared by every feature: UTC datetimes, enum columns and CHECK
builders, the dialect's INSERT ... ON CONFLICT, row locks, and how transactions
begin on SQLite."""

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

import click
from flask import current_app, has_request_context, request
from sqlalchemy import DateTime, Enum, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

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
    """Lock `item`'s row until commit and reload it, so checks see the latest state.

    PostgreSQL locks the row. SQLite has no row locks and ignores FOR UPDATE: there
    the transaction already holds the database's write lock, taken when it began
    (see `begins_writing`), which serializes every writer.
    """
    model = type(item)
    stmt = (
        select(model)
        .where(model.id == item.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


# -- transactions on SQLite ------------------------------------------------------------
#
# Operations check their rules after a row lock (`lock_row`), then write. SQLite has
# no row locks, and pysqlite's own transactions begin late (deferred, just before the
# first INSERT/UPDATE/DELETE), so two requests could both pass a check before either
# wrote. Instead, SQLAlchemy's documented pysqlite recipe: pysqlite emits no BEGIN,
# and every transaction begins with ours. A transaction that may write begins with
# BEGIN IMMEDIATE, taking the write lock before its first read; a second writer
# waits at its BEGIN (busy_timeout) and then reads what the first committed, as a
# PostgreSQL row lock makes it wait and re-read. It cannot take the lock later
# instead: in WAL mode a transaction that has read cannot start writing once
# another has committed (SQLITE_BUSY_SNAPSHOT, which no timeout cures).
#
# Which transactions may write is decided when they begin: those of requests with an
# unsafe method (POST...), of GET views marked `writes_on_get`, of CLI commands, and
# of code in a `writing()` block (the job queue runs every job in one). Page views
# begin a plain, deferred BEGIN: with WAL they read a snapshot and never wait for
# writers. So does anything else, such as a test's own session, and a `reading()`
# block, where a job reads what it then computes from for a while (the model,
# clustering) without holding every writer up.

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# True in writing(), False in reading(), else None: decided by the context.
_writes: ContextVar[bool | None] = ContextVar("writes", default=None)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun in the block may write (on SQLite: BEGIN IMMEDIATE).

    For code outside requests and CLI commands that writes: the job queue, and
    threads that write on a command's behalf. Also a decorator. A transaction in
    progress when the block starts keeps the way it began.
    """
    token = _writes.set(True)
    try:
        yield
    finally:
        _writes.reset(token)


@contextmanager
def reading() -> Iterator[None]:
    """Run the block in a transaction of its own that only reads, and end it.

    On SQLite the transaction is deferred: it holds no write lock while the block
    computes from what it read. The transaction in progress is committed first
    (the caller has written nothing yet); an error in the block rolls back.
    """
    db.session.commit()
    token = _writes.set(False)
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    else:
        db.session.commit()
    finally:
        _writes.reset(token)


def writes_on_get(view):
    """Mark a view that writes when opened with GET (a link in an e-mail), so that
    its transactions take the write lock from the start, as a POST's do."""
    view.writes_on_get = True
    return view


def begins_writing() -> bool:
    """Whether a transaction beginning now may write (module comment above)."""
    declared = _writes.get()
    if declared is not None:
        return declared
    if has_request_context():
        if request.method not in SAFE_METHODS:
            return True
        view = current_app.view_functions.get(request.endpoint)
        return getattr(view, "writes_on_get", False)
    return click.get_current_context(silent=True) is not None


def configure_sqlite(engine: Engine) -> None:
    """On a pysqlite engine: foreign keys, WAL, waiting writers, and transactions
    that begin as `begins_writing` says. Other engines are left alone."""
    if engine.dialect.name != "sqlite" or engine.dialect.driver != "pysqlite":
        return
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    # pysqlite's autocommit mode: it emits no BEGIN (nor COMMIT before DDL); the
    # "begin" listener does. Pragmas outside a transaction, where they take effect.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Readers never block the writer, nor it them.
    cursor.execute("PRAGMA journal_mode=WAL")
    # A writer waits for the write lock (up to 30 s) rather than failing at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if begins_writing() else "BEGIN")
