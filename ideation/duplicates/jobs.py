"""The duplicate scan job.

`schedule_duplicate_scan(question_id)` (in operations) enqueues it, debounced per
question, whenever a question's idea vectors change (an idea was embedded) or an
undone merge brings an idea back.
"""

from ideation.duplicates import operations, queries
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.questions.models import Question


@jobs.job("find_duplicates")
def find_duplicates(question_id: int) -> None:
    """Recompute one question's near-duplicate suggestions (the runner commits)."""
    question = db.session.get(Question, question_id)
    if question is None:  # deleted since: its suggestions went with it
        return
    ids, vectors, texts = queries.question_vectors(question)
    operations.replace_candidates(question, ids, vectors, texts)
