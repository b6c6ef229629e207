"""Which two proposals a voter sees next: pure Python, no database.

Adaptive as All Our Ideas' "catchup": the proposal shown least so far comes first
(a proposal written late starts at zero and catches up), against the least-shown
proposal the voter has not yet compared it with. A voter never gets the same two
proposals twice, nor a proposal against itself. Ties are broken at random, so that
voters arriving together do not all get the same pair.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping


def ordered(a: int, b: int) -> tuple[int, int]:
    """The pair as stored: smaller id first."""
    return (a, b) if a < b else (b, a)


def choose_pair(
    proposal_ids: Iterable[int],
    shown: Mapping[int, int],
    used: set[tuple[int, int]],
    rng: random.Random | None = None,
) -> tuple[int, int] | None:
    """The next pair (smaller id first) for a voter who has already had `used`
    pairs, given how often each proposal was `shown` to anyone; None when the
    voter has compared every pair."""
    rng = rng or random.Random()
    ids = list(dict.fromkeys(proposal_ids))
    if len(ids) < 2:
        return None
    # Least shown first; a random key breaks ties.
    order = sorted(ids, key=lambda i: (shown.get(i, 0), rng.random()))
    partners: dict[int, int] = {}
    for pair in used:
        for member in pair:
            partners[member] = partners.get(member, 0) + 1
    for first in order:
        if partners.get(first, 0) >= len(ids) - 1:
            continue  # compared with every other proposal already
        for second in order:
            if second != first and ordered(first, second) not in used:
                return ordered(first, second)
    return None
