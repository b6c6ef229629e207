"""The theme job, and how other features ask for it."""

from datetime import timedelta

from flask import current_app

from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.questions.models import Question
from ideation.shared.db import reading
from ideation.similarity import pipeline
from ideation.similarity.signals import question_vectors_changed
from ideation.themes import operations


@jobs.job("recompute_themes")
def recompute_themes(question_id: int) -> None:
    """Recompute one question's themes (the runner commits)."""
    # Clustering takes a while: it works from what it read without holding
    # SQLite's write lock, then the themes are stored.
    with reading():
        computed = pipeline.question_themes(question_id)
    question = db.session.get(Question, question_id)
    if question is None:  # deleted since: its themes went with it
        return
    operations.replace_themes(question, computed)


def schedule_theme_recompute(question_id: int) -> None:
    """Ask for the question's themes to be recomputed THEMES_DEBOUNCE seconds from now.

    Calls while a recomputation is pending join it, so a burst of new ideas costs one
    clustering. Added to the caller's transaction, like every job.
    """
    jobs.enqueue(
        "recompute_themes",
        {"question_id": question_id},
        key=f"themes:{question_id}",
        delay=timedelta(seconds=current_app.config["THEMES_DEBOUNCE"]),
    )


# New vectors (an idea embedded, a backfill) change the question's themes.
@question_vectors_changed.connect
def _recompute_new_vectors(sender, question_id: int) -> None:
    schedule_theme_recompute(question_id)
