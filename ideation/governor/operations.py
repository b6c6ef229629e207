"""Writes of The Governor Responds. They flush and log, never commit: the view commits.

Supports follow the pattern of idea supports (ideation.ideas.operations): lock the
question's row, insert with ON CONFLICT DO NOTHING ... RETURNING, add to the count in
SQL, so that the count always equals the rows.
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ideation.audit.operations import record_action
from ideation.auth.models import User
from ideation.auth.rules import ensure_email_confirmed, ensure_not_blocked
from ideation.extensions import db
from ideation.governor.models import (
    GovernorAnswer,
    GovernorQuestion,
    GovernorQuestionStatus,
    GovernorQuestionSupport,
)
from ideation.governor.queries import participant_ids, supporter_ids
from ideation.governor.rules import (
    check_closing_reason,
    check_question_text,
    ensure_answerable,
    ensure_closable,
    ensure_merge_target,
    ensure_supportable,
    ensure_unsupportable,
)
from ideation.governor.video import Video
from ideation.measures.operations import (
    MeasureAnnouncement,
    announce_measure,
    check_announcement,
)
from ideation.notifications.operations import notify
from ideation.shared.db import lock_row, utcnow
from ideation.shared.errors import DomainError
from ideation.shared.i18n import local_today
from ideation.shared.web import link_for
from ideation.supports.operations import add_support, remove_support


def ask_question(author: User, title: str, body: str) -> GovernorQuestion:
    """Publish `author`'s question to the governor; others can support it."""
    ensure_not_blocked(author)
    ensure_email_confirmed(author)
    check_question_text(title, body)
    question = GovernorQuestion(author=author, title=title, body=body)
    db.session.add(question)
    db.session.flush()
    return question


def support_question(question: GovernorQuestion, user: User) -> bool:
    """Add `user`'s support once; True if added, False if it was already there."""
    question = lock_row(question)
    ensure_supportable(question, user)
    return add_support(GovernorQuestionSupport, "question_id", question, user)


def unsupport_question(question: GovernorQuestion, user: User) -> bool:
    """Take back `user`'s support; True if removed, False if there was none."""
    question = lock_row(question)
    ensure_unsupportable(question, user)
    return remove_support(GovernorQuestionSupport, "question_id", question, user)


def answer_question(
    question: GovernorQuestion,
    official: User,
    body: str,
    department: str,
    *,
    video: Video | None = None,
    transcript: str = "",
    measure: MeasureAnnouncement | None = None,
    now: datetime | None = None,
) -> GovernorAnswer:
    """Publish an official's answer, maybe announcing a measure; notifies.

    The asker and every supporter are notified; a second answer is refused (the row
    lock makes a concurrent one wait and then see the first).
    """
    question = lock_row(question)
    ensure_answerable(question, official)
    transcript = transcript or ""
    _check_answer(body, department, video, transcript)
    if measure is not None:
        check_announcement(measure, local_today())  # before anything is written
    now = now or utcnow()
    # By id, not `question=`: the relationship would first unhook an answer
    # published meanwhile, rather than meet it in the unique constraint below.
    answer = GovernorAnswer(
        question_id=question.id,
        author=official,
        body=body,
        department=department,
        video_provider=video.provider if video else None,
        video_id=video.video_id if video else None,
        transcript=transcript,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(answer)
    except IntegrityError:
        # One answer per question: another got in first, unseen (only if the row
        # lock was bypassed). Said like the check above, not a server error.
        if _has_answer(question):
            raise DomainError(_("This question has already been answered.")) from None
        raise
    question.status = GovernorQuestionStatus.ANSWERED
    question.answered_at = now
    db.session.flush()
    announced = (
        announce_measure(official, measure, governor_question=question)
        if measure is not None
        else None
    )
    record_action(
        official,
        "governor_question.answered",
        question,
        department=department,
        video=video.provider if video else None,
        measure_id=announced.id if announced else None,
    )
    _notify_answered(question, official)
    return answer


def decline_question(
    question: GovernorQuestion, official: User, reason: str
) -> GovernorQuestion:
    """Close the question without an answer, saying why in public; notifies."""
    question = lock_row(question)
    ensure_closable(question, official)
    _close(question, GovernorQuestionStatus.DECLINED, check_closing_reason(reason))
    record_action(
        official, "governor_question.declined", question, reason=question.closed_reason
    )
    _notify_closed(question, official, "declined")
    return question


def merge_question(
    question: GovernorQuestion,
    target: GovernorQuestion | None,
    official: User,
    reason: str,
) -> GovernorQuestion:
    """Close the question as the same as `target`, saying why in public; notifies.

    Its asker and supporters become supporters of `target` (not its own asker, nor
    twice), so that the count there says how many want that answer; the closed
    question keeps its own supports as they were.
    """
    # Both rows locked, in id order, so two merges crossing each other wait.
    first, second = (
        sorted([question, target], key=lambda q: q.id) if target else (question, None)
    )
    first = lock_row(first)
    if second is not None and second.id != first.id:
        second = lock_row(second)
    ensure_closable(question, official)
    ensure_merge_target(question, target)
    reason = check_closing_reason(reason)
    movers = [uid for uid in participant_ids(question) if uid != target.author_id]
    moved = 0
    for user in db.session.scalars(select(User).where(User.id.in_(movers))):
        moved += add_support(GovernorQuestionSupport, "question_id", target, user)
    _close(question, GovernorQuestionStatus.MERGED, reason, merged_into=target)
    record_action(
        official,
        "governor_question.merged",
        question,
        reason=reason,
        merged_into_id=target.id,
        supports_moved=moved,
    )
    _notify_closed(question, official, "merged", target=target.title)
    return question


def _close(question, status, reason: str, merged_into=None) -> None:
    question.status = status
    question.closed_at = utcnow()
    question.closed_reason = reason
    question.merged_into_id = merged_into.id if merged_into is not None else None
    db.session.flush()


def _notify_closed(
    question: GovernorQuestion, official: User, how: str, **params
) -> None:
    """Tell the asker and every supporter, with the reason (`quote`, for e-mail)."""
    target = question.merged_into_id or question.id
    link = link_for("governor.show", question_id=target)
    notify(
        [question.author_id],
        f"governor.{how}.author",
        link,
        exclude=[official],
        title=question.title,
        quote=question.closed_reason,
        **params,
    )
    notify(
        supporter_ids(question),
        f"governor.{how}.supporter",
        link,
        exclude=[official, question.author_id],
        title=question.title,
        quote=question.closed_reason,
        **params,
    )


def _has_answer(question: GovernorQuestion) -> bool:
    stmt = select(GovernorAnswer.id).where(GovernorAnswer.question_id == question.id)
    return db.session.scalar(stmt) is not None


def _check_answer(
    body: str, department: str, video: Video | None, transcript: str
) -> None:
    config = current_app.config
    if not body or not body.strip():
        raise DomainError(_("Write the answer."))
    if not department or not department.strip():
        raise DomainError(
            _("Say which department signs the answer, e.g. Office of the Governor.")
        )
    if video is not None and video.provider not in config["VIDEO_EMBED_PROVIDERS"]:
        raise DomainError(_("Videos of this site cannot be shown."))
    if video is not None and not transcript.strip():
        raise DomainError(
            _(
                "A video needs a transcript, for people who cannot watch or "
                "hear it: write what is said in the video."
            )
        )
    for text, key in (
        (body, "GOVERNOR_ANSWER_MAX"),
        (department, "GOVERNOR_DEPARTMENT_MAX"),
        (transcript, "GOVERNOR_TRANSCRIPT_MAX"),
    ):
        if len(text) > config[key]:
            raise DomainError(_("Use at most %(max)d characters.", max=config[key]))


def _notify_answered(question: GovernorQuestion, official: User) -> None:
    """Tell the asker, and every supporter, that the answer is out."""
    link = link_for("governor.show", question_id=question.id)
    notify(
        [question.author_id],
        "governor.answered.author",
        link,
        exclude=[official],
        title=question.title,
    )
    notify(
        supporter_ids(question),
        "governor.answered.supporter",
        link,
        exclude=[official, question.author_id],
        title=question.title,
    )
