"""The duplicate scan job, and when it runs.

`schedule_duplicate_scan(question_id)` enqueues it, debounced per question, whenever
the question's idea vectors change (the similarity package's signal) or an undone
merge brings an idea back.
"""

from datetime import timedelta

from flask import current_app

from ideation.duplicates import scan
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.questions.models import Question
from ideation.shared.db import reading
from ideation.similarity.signals import question_vectors_changed


@jobs.job("find_duplicates")
def find_duplicates(question_id: int) -> None:
    """Recompute one question's near-duplicate suggestions (the runner commits)."""
    # Comparing takes a while: it works from what it read without holding SQLite's
    # write lock, then the pairs are stored.
    with reading():
        question = db.session.get(Question, question_id)
        pairs = scan.find_candidates(question) if question is not None else []
    question = db.session.get(Question, question_id)
    if question is None:  # deleted since: its suggestions went with it
        return
    scan.store_candidates(question, pairs)


def schedule_duplicate_scan(question_id: int) -> None:
    """Ask for the question's duplicate suggestions to be recomputed soon.

    Calls while a scan is pending join it (debounce), so a burst of new ideas costs
    one scan. Added to the caller's transaction, like every job.
    """
    jobs.enqueue(
        "find_duplicates",
        {"question_id": question_id},
        key=f"duplicates:{question_id}",
        delay=timedelta(seconds=current_app.config["DUPLICATE_SCAN_DELAY"]),
    )


# New vectors (an idea embedded, a backfill) change the question's near-duplicates.
@question_vectors_changed.connect
def _scan_new_vectors(sender, question_id: int) -> None:
    schedule_duplicate_scan(question_id)
