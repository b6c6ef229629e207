"""Reading Polis open-data exports (comments, votes, summary); no Flask, no database."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "conversations.toml"
REJECTED = -1  # Polis `moderated`: 1 accepted, 0 not moderated, -1 rejected
AGREE = 1  # Polis `vote`: 1 agree, 0 pass, -1 disagree
ELLIPSIS = "…"


@dataclass(frozen=True)
class Statement:
    comment_id: int
    author_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Agreement:
    """A participant whose last vote on a statement was "agree"."""

    comment_id: int
    voter_id: int
    created_at: datetime


@dataclass
class Conversation:
    slug: str
    tag: str
    title: str
    region: str
    topic: str
    url: str
    description: str
    statements: list[Statement] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    # Every author and voter, with the time of their first action.
    participants: dict[int, datetime] = field(default_factory=dict)
    # The non-author who voted on the most statements (ties: smallest id).
    most_engaged_voter: int | None = None


def from_millis(millis: str) -> datetime:
    """A Polis timestamp (milliseconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(int(millis) / 1000, tz=UTC)


def read_manifest(polis_dir: Path) -> list[dict]:
    """The conversations listed in `conversations.toml`, in order."""
    with open(polis_dir / MANIFEST, "rb") as manifest:
        return tomllib.load(manifest)["conversation"]


def read_conversation(polis_dir: Path, spec: dict) -> Conversation:
    """One conversation: its summary, accepted statements and final agreements."""
    folder = polis_dir / spec["slug"]
    summary = read_summary(folder / "summary.csv")
    conversation = Conversation(
        slug=spec["slug"],
        tag=spec["tag"],
        title=spec["title"],
        region=spec["region"],
        topic=summary.get("topic", ""),
        url=summary.get("url", ""),
        # The manifest may replace a description that only says the original
        # consultation has closed, which would mislead on an open demo question.
        description=spec.get("context")
        or summary.get("conversation-description", "").strip(),
    )
    conversation.statements = read_statements(folder / "comments.csv")
    votes = read_final_votes(folder / "votes.csv")
    accepted = {s.comment_id for s in conversation.statements}
    conversation.agreements = [
        Agreement(comment_id, voter_id, created_at)
        for (comment_id, voter_id), (vote, created_at) in sorted(votes.items())
        if vote == AGREE and comment_id in accepted
    ]
    conversation.participants = _first_actions(conversation.statements, votes)
    conversation.most_engaged_voter = _most_engaged_voter(
        votes, {s.author_id for s in conversation.statements}
    )
    return conversation


def read_summary(path: Path) -> dict[str, str]:
    """summary.csv: one `key,value` pair per row."""
    with open(path, newline="", encoding="utf-8") as file:
        return {row[0]: row[1] for row in csv.reader(file) if len(row) >= 2}


def read_statements(path: Path) -> list[Statement]:
    """Statements not rejected by a moderator, in comment-id order."""
    # Columns differ between exports; only these ones are common to all of them.
    with open(path, newline="", encoding="utf-8") as file:
        statements = [
            Statement(
                comment_id=int(row["comment-id"]),
                author_id=int(row["author-id"]),
                text=row["comment-body"].strip(),
                created_at=from_millis(row["timestamp"]),
            )
            for row in csv.DictReader(file)
            if int(row["moderated"]) != REJECTED and row["comment-body"].strip()
        ]
    return sorted(statements, key=lambda s: s.comment_id)


def read_final_votes(path: Path) -> dict[tuple[int, int], tuple[int, datetime]]:
    """(comment id, voter id) -> (vote, time) of each participant's last vote."""
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            key = (int(row["comment-id"]), int(row["voter-id"]))
            millis = int(row["timestamp"])
            # `>=`: of two votes in the same millisecond, the later row wins.
            if key not in latest or millis >= latest[key][1]:
                latest[key] = (int(row["vote"]), millis)
    return {
        key: (vote, from_millis(str(millis))) for key, (vote, millis) in latest.items()
    }


def idea_title(text: str, max_length: int) -> tuple[str, str]:
    """(title, description): long statements are cut at a word, kept in full below."""
    flat = " ".join(text.split())
    if len(flat) <= max_length:
        return flat, ""
    cut = flat[: max_length - len(ELLIPSIS) + 1]
    # The +1 above lets a word that ends exactly at the limit survive the cut.
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]
    return head.rstrip(" ,;:.-–—") + ELLIPSIS, text


def _first_actions(statements, votes) -> dict[int, datetime]:
    first: dict[int, datetime] = {}
    events = [(s.author_id, s.created_at) for s in statements]
    events += [(voter, when) for (_, voter), (_, when) in votes.items()]
    for participant, when in events:
        if participant not in first or when < first[participant]:
            first[participant] = when
    return first


def _most_engaged_voter(votes, authors: set[int]) -> int | None:
    counts: dict[int, int] = {}
    for _, voter in votes:
        if voter not in authors:
            counts[voter] = counts.get(voter, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda voter: (-counts[voter], voter))
