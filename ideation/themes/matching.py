"""Which new theme continues which old one: pure Python, no database.

Themes are recomputed as ideas arrive; a shared `?theme=` link and an official's
name for a theme should follow the same group of ideas. A new cluster takes over
the old theme it shares most of its ideas with (Jaccard index of the member sets),
each old theme at most once, best pairs first.
"""

from collections.abc import Mapping, Sequence


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match_themes(
    old: Mapping[int, set], new: Sequence[set], min_jaccard: float
) -> dict[int, int]:
    """{index in `new`: id in `old`} for the clusters that continue an old theme:
    the best pairs first, each side used once, only pairs at `min_jaccard` or more.
    Ties go to the earlier new cluster (the larger) and the smaller old id."""
    pairs = sorted(
        (
            (-jaccard(members, old_members), index, old_id)
            for index, members in enumerate(new)
            for old_id, old_members in old.items()
            if members & old_members
        ),
    )
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for negative_score, index, old_id in pairs:
        if -negative_score < min_jaccard:
            break
        if index in matched or old_id in taken:
            continue
        matched[index] = old_id
        taken.add(old_id)
    return matched
