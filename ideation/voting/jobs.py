"""The score job: refit a question's Bradley–Terry scores from its votes."""

from flask import current_app

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.questions.models import Question
from ideation.shared.db import reading
from ideation.voting import operations, queries, scoring


@jobs.job(operations.SCORE_JOB)
def recompute_proposal_scores(question_id: int) -> None:
    """Refit and store one question's scores (the runner commits)."""
    # The fit takes a while with many proposals: it works from what it read
    # without holding SQLite's write lock, then the scores are stored.
    with reading():
        proposal_ids, comparisons, counts = queries.votes_for_scoring(question_id)
        fitted = scoring.fit(
            len(proposal_ids),
            comparisons,
            draws=current_app.config["VOTE_SCORE_DRAWS"],
        )
    question = db.session.get(Question, question_id)
    if question is None:  # deleted since: its scores went with it
        return
    operations.replace_scores(question, proposal_ids, fitted, counts)
