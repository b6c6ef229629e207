"""Pages of lists: built in Python (`Page`, shaped like Flask-SQLAlchemy's
Pagination), or read from the database by a cursor (`keyset_page`)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Select, and_, case, true

from ideation.extensions import db

# Far past any real list, and small enough that page × page size stays a valid
# OFFSET on every database.
MAX_PAGE = 1_000_000


def page_number(args: Mapping, key: str = "page") -> int:
    """The page asked for by `args` (the query string): 1 unless a number, and
    never below 1 or above MAX_PAGE."""
    try:
        page = int(args.get(key, 1))
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


@dataclass
class Page:
    """One page of a list built in Python; the same shape as the pager expects."""

    items: list
    page: int
    per_page: int
    total: int
    # Pages not all of `per_page` items (the duplicate inbox's): their number.
    page_count: int | None = None

    @property
    def pages(self) -> int:
        if self.page_count is not None:
            return max(1, self.page_count)
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass(kw_only=True)
class KeysetPage(Page):
    """A page read from a cursor: its links carry the first or last row's sort
    key (`before=`, `after=`) and the page number is only a label, so that no
    page skips rows with an OFFSET that grows with the page."""

    more_before: bool = False
    more_after: bool = False
    prev_args: dict = field(default_factory=dict)
    next_args: dict = field(default_factory=dict)

    @property
    def has_prev(self) -> bool:
        return self.more_before

    @property
    def has_next(self) -> bool:
        return self.more_after

    @property
    def prev_num(self) -> int:
        return max(1, self.page - 1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class KeysetOrder:
    """An order of rows by `columns` ((column, descending) pairs, unique as a
    whole: end with the id). With `wrap_at`, the first column (ascending) is read
    from that value up, then from its smallest value up to `wrap_at`: one index
    serves a rotation of the order."""

    columns: tuple
    wrap_at: int | None = None

    def encode(self, row) -> str:
        """The cursor of `row`: its sort key, as a string for a URL."""
        values = (getattr(row, column.key) for column, _desc in self.columns)
        return ".".join(
            str((v - _EPOCH) // _MICROSECOND if isinstance(v, datetime) else int(v))
            for v in values
        )

    def decode(self, cursor: str | None) -> tuple | None:
        """The sort key in `cursor`, or None when it is not one."""
        parts = (cursor or "").split(".")
        if len(parts) != len(self.columns):
            return None
        try:
            numbers = [int(part) for part in parts]
        except ValueError:
            return None
        if any(not -(2**62) < n < 2**62 for n in numbers):
            return None
        return tuple(
            _EPOCH + n * _MICROSECOND if _is_datetime(column) else n
            for n, (column, _desc) in zip(numbers, self.columns, strict=True)
        )

    def _segments(self) -> list:
        if self.wrap_at is None:
            return [true()]
        first = self.columns[0][0]
        return [first >= self.wrap_at, first < self.wrap_at]

    def _segment_of(self, key: tuple) -> int:
        return 0 if self.wrap_at is None or key[0] >= self.wrap_at else 1

    def _beyond(self, key: tuple, forward: bool) -> list:
        """Rows after (or before) the row whose sort key is `key`, as conditions
        to read one after the other: the rows tied with it on the first columns
        and beyond it on the next, then beyond it on the first. Each is one range
        of an index on the columns, where an OR of them would scan every tie."""
        clauses = []
        for n in reversed(range(len(self.columns))):
            column, descending = self.columns[n]
            later = column < key[n] if descending == forward else column > key[n]
            tied = [c == key[m] for m, (c, _desc) in enumerate(self.columns[:n])]
            clauses.append(and_(*tied, later))
        return clauses

    def _order_by(self, forward: bool) -> list:
        return [
            column.desc() if descending == forward else column.asc()
            for column, descending in self.columns
        ]

    def fetch(self, stmt: Select, key: tuple | None, forward: bool, limit: int):
        """Up to `limit` rows of `stmt` after (or before, nearest first) `key`."""
        segments = self._segments()
        if key is None:
            first = 0 if forward else len(segments) - 1
        else:
            first = self._segment_of(key)
        indices = range(first, len(segments)) if forward else range(first, -1, -1)
        conditions = []
        for n, index in enumerate(indices):
            if n == 0 and key is not None:
                conditions += [
                    and_(segments[index], beyond)
                    for beyond in self._beyond(key, forward)
                ]
            else:
                conditions.append(segments[index])
        rows: list = []
        for condition in conditions:
            query = stmt.where(condition).order_by(*self._order_by(forward))
            rows += db.session.scalars(query.limit(limit - len(rows))).all()
            if len(rows) >= limit:
                break
        return rows

    def offset(self, stmt: Select, offset: int, limit: int) -> list:
        """Rows by position: only for a page number typed without a cursor."""
        order = self._order_by(True)
        if self.wrap_at is not None:
            first = self.columns[0][0]
            order.insert(0, case((first >= self.wrap_at, 0), else_=1))
        return db.session.scalars(
            stmt.order_by(*order).offset(offset).limit(limit)
        ).all()


def _is_datetime(column) -> bool:
    kind = column.type
    return isinstance(getattr(kind, "impl", kind), DateTime)


def keyset_page(
    stmt: Select, order: KeysetOrder, args: Mapping, total: int, per_page: int
) -> KeysetPage:
    """The page of `stmt` in `order` that `args` asks for: after= or before= a
    cursor (the pager's links), else the page number (page=; 1 by default)."""
    page = page_number(args)
    after, before = order.decode(args.get("after")), order.decode(args.get("before"))
    more_before = more_after = False
    if after is not None or (before is None and page == 1):
        rows = order.fetch(stmt, after, True, per_page + 1)
        items, more_after = rows[:per_page], len(rows) > per_page
        more_before = after is not None
    elif before is not None:
        rows = order.fetch(stmt, before, False, per_page + 1)
        items, more_before = list(reversed(rows[:per_page])), len(rows) > per_page
        more_after = True
        page = page if more_before else 1
    else:
        offset = min((page - 1) * per_page, MAX_PAGE * per_page)
        rows = order.offset(stmt, offset, per_page + 1)
        items, more_after = rows[:per_page], len(rows) > per_page
        more_before = page > 1
    result = KeysetPage(
        items, page, per_page, total, more_before=more_before, more_after=more_after
    )
    if items:
        result.prev_args = {"before": order.encode(items[0])}
        result.next_args = {"after": order.encode(items[-1])}
    return result
