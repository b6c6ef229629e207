"""The duplicate scan's writes: a question's suggested pairs, replaced wholesale.

The scan job (jobs.py) calls it whenever the question's idea vectors change. It
flushes, never commits: the job runner commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from ideation.duplicates.models import DuplicateCandidate, DuplicateDismissal
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.questions.models import Question
from ideation.shared.db import utcnow
from ideation.similarity import pipeline
from ideation.similarity.pipeline import CandidatePair


def replace_candidates(question: Question, now: datetime | None = None) -> int:
    """Replace the question's suggested pairs with fresh ones; how many."""
    return store_candidates(question, find_candidates(question), now)


def find_candidates(question: Question) -> list[CandidatePair]:
    """The question's near-duplicate pairs now, but the dismissed ones (reads)."""
    return pipeline.duplicate_pairs(question.id, dismissed_pairs(question))


def store_candidates(
    question: Question, pairs: list[CandidatePair], now: datetime | None = None
) -> int:
    """Store `pairs` (find_candidates) in place of the question's suggested pairs;
    how many."""
    # Two scans of one question wait for each other, so one's inserts never meet the
    # other's. NO KEY UPDATE: new ideas (KEY SHARE through their foreign key) are not
    # blocked. On SQLite the job holds the write lock (ideation.shared.db).
    db.session.execute(
        select(Question.id)
        .where(Question.id == question.id)
        .with_for_update(key_share=True)
    )
    # A pair someone said is not a duplicate while the pairs were computed stays
    # out of the inbox.
    dismissed = dismissed_pairs(question)
    pairs = [p for p in pairs if (p.idea_a_id, p.idea_b_id) not in dismissed]
    db.session.execute(
        delete(DuplicateCandidate).where(DuplicateCandidate.question_id == question.id)
    )
    if pairs:
        now = now or utcnow()
        db.session.execute(
            insert(DuplicateCandidate),
            [
                {
                    "question_id": question.id,
                    "idea_a_id": pair.idea_a_id,
                    "idea_b_id": pair.idea_b_id,
                    "similarity": pair.similarity,
                    "shared": pair.shared,
                    "computed_at": now,
                }
                for pair in pairs
            ],
        )
    return len(pairs)


def dismissed_pairs(question: Question) -> frozenset[tuple[int, int]]:
    """The pairs of the question's ideas that people said are not duplicates."""
    stmt = (
        select(DuplicateDismissal.idea_a_id, DuplicateDismissal.idea_b_id)
        .join(Idea, Idea.id == DuplicateDismissal.idea_a_id)
        .where(Idea.question_id == question.id)
    )
    return frozenset((a, b) for a, b in db.session.execute(stmt))
