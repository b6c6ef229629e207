"""A page of a list built in Python, shaped like Flask-SQLAlchemy's Pagination."""

import math
from collections.abc import Mapping
from dataclasses import dataclass

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

    @property
    def pages(self) -> int:
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
