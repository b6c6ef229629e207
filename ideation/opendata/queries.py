"""What the open data publishes: public rows only, as plain dictionaries.

Each `*_select` gives the rows anyone may read on the site, and never more: no
draft question or its ideas, no hidden, withdrawn or merged idea, no hidden
question to the governor, nothing by a blocked account (a blocked spammer's items
wait for a moderator; a copy of the data set is never recalled). No e-mail address,
private note or official's name is ever serialised: authors appear by the name the
site shows, and a deleted account as null.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.governor.models import GovernorQuestion
from ideation.ideas.models import UNLISTED_IDEA_STATUSES, Idea, IdeaStatus, listed_idea
from ideation.measures.models import Measure, MeasureStatus
from ideation.questions.models import Question, QuestionStatus
from ideation.responses.models import IdeaResponse
from ideation.shared.personal_data import iso
from ideation.shared.web import link_for, public_url

PUBLIC_QUESTION_STATUSES = tuple(
    s.value for s in QuestionStatus if s != QuestionStatus.DRAFT
)
LISTED_IDEA_STATUSES = tuple(
    s.value for s in IdeaStatus if s.value not in UNLISTED_IDEA_STATUSES
)


def _not_blocked(author_id_column):
    """SQL: the author is not blocked (a correlated check, no join to add)."""
    blocked = select(User.id).where(User.blocked_at.is_not(None))
    return author_id_column.not_in(blocked)


def public_question():
    """SQL condition: the question is published or closed."""
    return Question.status.in_(PUBLIC_QUESTION_STATUSES)


def public_idea(entity=Idea):
    """SQL condition: the idea is listed on a public question, by an unblocked
    author."""
    questions = select(Question.id).where(public_question())
    return (
        listed_idea(entity)
        & entity.question_id.in_(questions)
        & _not_blocked(entity.author_id)
    )


def public_governor_question(entity=GovernorQuestion):
    """SQL condition: the question to the governor is neither hidden nor by a
    blocked account."""
    return entity.hidden_at.is_(None) & _not_blocked(entity.author_id)


def questions_select() -> Select:
    return select(Question).where(public_question())


def ideas_select() -> Select:
    return select(Idea).options(joinedload(Idea.author)).where(public_idea())


def responses_select() -> Select:
    idea = aliased(Idea)
    return (
        select(IdeaResponse)
        .join(idea, IdeaResponse.idea_id == idea.id)
        .where(public_idea(idea))
    )


def measures_select() -> Select:
    return select(Measure).options(
        selectinload(Measure.updates), joinedload(Measure.governor_question)
    )


def governor_questions_select() -> Select:
    return (
        select(GovernorQuestion)
        .options(
            joinedload(GovernorQuestion.author), joinedload(GovernorQuestion.answer)
        )
        .where(public_governor_question())
    )


def question_ideas(question: Question) -> list[Idea]:
    """The public ideas of `question`, oldest first (the CSV)."""
    stmt = ideas_select().where(Idea.question_id == question.id).order_by(Idea.id)
    return list(db.session.scalars(stmt))


def public_question_or_none(question_id: int) -> Question | None:
    return db.session.scalars(
        questions_select().where(Question.id == question_id)
    ).first()


# -- serialisation -------------------------------------------------------------------


def author_name(user: User | None) -> str | None:
    """The name the site shows for an author; None for a deleted account."""
    if user is None or user.is_deleted:
        return None
    return user.display_name


def page_url(endpoint: str, **values) -> str:
    """The absolute address of a public page, from PUBLIC_URL."""
    return public_url(link_for(endpoint, **values))


def question_data(question: Question) -> dict:
    return {
        "id": question.id,
        "title": question.title,
        "context": question.context,
        "region": question.region,
        "status": question.status,
        "opens_at": iso(question.opens_at),
        "closes_at": iso(question.closes_at),
        "published_at": iso(question.published_at),
        "closed_at": iso(question.closed_at),
        "url": page_url("ideas.question", question_id=question.id),
    }


def idea_data(idea: Idea) -> dict:
    return {
        "id": idea.id,
        "question_id": idea.question_id,
        "title": idea.title,
        "description": idea.description,
        "status": idea.status,
        "support_count": idea.support_count,
        "author": author_name(idea.author),
        "created_at": iso(idea.created_at),
        "updated_at": iso(idea.updated_at),
        "url": page_url("ideas.show", idea_id=idea.id),
    }


def response_data(response: IdeaResponse) -> dict:
    return {
        "id": response.id,
        "idea_id": response.idea_id,
        "status_from": response.status_from,
        "status_to": response.status_to,
        "body": response.body,
        "department": response.department,
        "created_at": iso(response.created_at),
    }


def measure_data(measure: Measure) -> dict:
    source = measure.governor_question
    # A hidden source question is not named: its id would lead to nothing public.
    public_source = source is not None and source.hidden_at is None
    return {
        "id": measure.id,
        "title": measure.title,
        "description": measure.description,
        "status": measure.status,
        "target_date": measure.target_date.isoformat(),
        "governor_question_id": source.id if public_source else None,
        "created_at": iso(measure.created_at),
        "updated_at": iso(measure.updated_at),
        "updates": [
            {
                "id": update.id,
                "status": update.status,
                "note": update.note,
                "created_at": iso(update.created_at),
            }
            for update in measure.updates
        ],
        "url": page_url("measures.show", measure_id=measure.id),
    }


def governor_question_data(question: GovernorQuestion) -> dict:
    answer = question.answer
    return {
        "id": question.id,
        "title": question.title,
        "body": question.body,
        "status": question.status,
        "support_count": question.support_count,
        "author": author_name(question.author),
        "created_at": iso(question.created_at),
        "answered_at": iso(question.answered_at),
        "answer": None
        if answer is None
        else {
            "body": answer.body,
            "department": answer.department,
            "video": None
            if answer.video_provider is None
            else {"provider": answer.video_provider, "id": answer.video_id},
            "transcript": answer.transcript,
            "created_at": iso(answer.created_at),
        },
        "url": page_url("governor.show", question_id=question.id),
    }


def idea_csv_rows(ideas: list[Idea]):
    """The CSV rows of `ideas`, in CSV_COLUMNS' order."""
    for idea in ideas:
        data = idea_data(idea)
        yield [data[column] for column in CSV_COLUMNS]


# Stable, untranslated column names: scripts read them.
CSV_COLUMNS = (
    "id",
    "title",
    "description",
    "status",
    "support_count",
    "author",
    "created_at",
    "updated_at",
    "url",
)


MEASURE_STATUSES = tuple(s.value for s in MeasureStatus)
