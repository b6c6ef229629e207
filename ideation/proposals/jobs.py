"""The cycle's dates move a question on: a job at each date stores the new phase
and writes it in the audit log, as an official's move is."""

from datetime import datetime

from ideation.audit.operations import record_action
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.proposals.models import Phase, QuestionCycle
from ideation.questions.models import Question
from ideation.shared.db import utcnow

CYCLE_JOB = "apply_cycle_dates"


@jobs.job(CYCLE_JOB)
def apply_cycle_dates(question_id: int) -> None:
    """Store the phase the dates have reached, audited as the system's move."""
    cycle = db.session.get(QuestionCycle, question_id, with_for_update=True)
    question = db.session.get(Question, question_id)
    if cycle is None or question is None:
        return
    now = utcnow()
    reached = cycle.current_phase(now)
    if reached == Phase(cycle.phase):
        return
    record_action(
        None,
        "cycle.phase_changed",
        question,
        before=str(Phase(cycle.phase)),
        after=str(reached),
        by="dates",
    )
    cycle.phase = reached
    cycle.phase_changed_at = now


def schedule_cycle_dates(cycle: QuestionCycle, now: datetime) -> None:
    """A job at each of the cycle's future dates that moves the phase on."""
    for when in (cycle.ideas_close_at, cycle.voting_opens_at, cycle.voting_close_at):
        if when is not None and when > now:
            jobs.enqueue(
                CYCLE_JOB,
                {"question_id": cycle.question_id},
                key=f"cycle:{cycle.question_id}:{when.isoformat()}",
                delay=when - now,
            )
