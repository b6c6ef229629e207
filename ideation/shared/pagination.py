"""A page of a list built in Python, shaped like Flask-SQLAlchemy's Pagination."""

import math
from dataclasses import dataclass


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
