"""Supports, for ideas and for questions to the governor: one row per person, and a
count that always equals the rows, also under concurrent requests.

The caller locks the supported row first (`ideation.shared.db.lock_row`), so
changes to one item are serialized (on SQLite, every writing transaction holds the
write lock from its start); the insert cannot count anyone twice, and the count
moves in SQL only when a row really came or went.
"""

from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value

from ideation.auth.models import User
from ideation.extensions import db
from ideation.shared.db import dialect_insert, utcnow


def add_support(support_model, item_column: str, item, user: User) -> bool:
    """Insert `user`'s support of the locked `item` once; True if it was added."""
    # RETURNING yields an id only when a row was inserted; a conflict (no row)
    # means the support was already there. rowcount cannot tell: psycopg gives -1.
    added = db.session.scalar(
        dialect_insert(support_model)
        .values({item_column: item.id, "user_id": user.id, "created_at": utcnow()})
        .on_conflict_do_nothing(index_elements=[item_column, "user_id"])
        .returning(support_model.id)
    )
    if added is not None:
        _add_to_count(item, 1)
    return added is not None


def remove_support(support_model, item_column: str, item, user: User) -> bool:
    """Delete `user`'s support of the locked `item`; True if there was one."""
    removed = db.session.execute(
        delete(support_model).where(
            getattr(support_model, item_column) == item.id,
            support_model.user_id == user.id,
        )
    ).rowcount
    if removed:
        _add_to_count(item, -1)
    return bool(removed)


def _add_to_count(item, delta: int) -> None:
    # In SQL, not `item.support_count += 1`: the database adds to its own value.
    # RETURNING hands the new count to the loaded item, so that the answer shows
    # it without reading the row again after the commit.
    model = type(item)
    count = db.session.scalar(
        update(model)
        .where(model.id == item.id)
        .values(support_count=model.support_count + delta)
        .returning(model.support_count)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(item, "support_count", count)
