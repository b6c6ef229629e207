"""The API's resources: one entry each, from which the views, the pagination and
the OpenAPI document are built. Adding a resource (proposals, vote results) is one
more `Resource` in RESOURCES, with its public select and its serialiser."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select

from ideation.governor.models import GovernorQuestion, GovernorQuestionStatus
from ideation.ideas.models import Idea
from ideation.measures.models import Measure
from ideation.opendata import queries
from ideation.questions.models import Question
from ideation.responses.models import IdeaResponse


@dataclass(frozen=True)
class Filter:
    """A query argument that narrows a list: `?status=declined`."""

    name: str
    column: Callable  # () -> the column compared for equality
    type: str  # "integer" or "string"
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A kind of public item under /api/v1/<name>, listed by ascending id."""

    name: str
    model: type
    select: Callable[[], Select]  # every public row, never more
    serialise: Callable[[object], dict]
    summary: str
    properties: dict  # OpenAPI schema of one item
    filters: tuple[Filter, ...] = ()


def _string(nullable=False, fmt=None, enum=None) -> dict:
    schema = {"type": ["string", "null"] if nullable else "string"}
    if fmt:
        schema["format"] = fmt
    if enum:
        schema["enum"] = list(enum)
    return schema


INTEGER = {"type": "integer"}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
DATETIME = _string(fmt="date-time")
NULLABLE_DATETIME = _string(nullable=True, fmt="date-time")
URL = _string(fmt="uri")

RESOURCES = (
    Resource(
        name="questions",
        model=Question,
        select=queries.questions_select,
        serialise=queries.question_data,
        summary="Questions the governor asks (published or closed).",
        properties={
            "id": INTEGER,
            "title": _string(),
            "context": _string(),
            "region": _string(nullable=True),
            "status": _string(enum=queries.PUBLIC_QUESTION_STATUSES),
            "opens_at": NULLABLE_DATETIME,
            "closes_at": NULLABLE_DATETIME,
            "published_at": NULLABLE_DATETIME,
            "closed_at": NULLABLE_DATETIME,
            "url": URL,
        },
        filters=(
            Filter(
                "status",
                lambda: Question.status,
                "string",
                "Only questions with this status.",
                queries.PUBLIC_QUESTION_STATUSES,
            ),
            Filter("region", lambda: Question.region, "string", "Only this region."),
        ),
    ),
    Resource(
        name="ideas",
        model=Idea,
        select=queries.ideas_select,
        serialise=queries.idea_data,
        summary="Citizens' ideas with their status and number of supports.",
        properties={
            "id": INTEGER,
            "question_id": INTEGER,
            "title": _string(),
            "description": _string(),
            "status": _string(enum=queries.LISTED_IDEA_STATUSES),
            "support_count": INTEGER,
            "author": _string(nullable=True),
            "created_at": DATETIME,
            "updated_at": NULLABLE_DATETIME,
            "url": URL,
        },
        filters=(
            Filter(
                "question_id",
                lambda: Idea.question_id,
                "integer",
                "Only the ideas of this question.",
            ),
            Filter(
                "status",
                lambda: Idea.status,
                "string",
                "Only ideas with this status.",
                queries.LISTED_IDEA_STATUSES,
            ),
        ),
    ),
    Resource(
        name="responses",
        model=IdeaResponse,
        select=queries.responses_select,
        serialise=queries.response_data,
        summary="Officials' public responses: each status change of an idea.",
        properties={
            "id": INTEGER,
            "idea_id": INTEGER,
            "status_from": _string(),
            "status_to": _string(),
            "body": _string(),
            "department": _string(),
            "created_at": DATETIME,
        },
        filters=(
            Filter(
                "idea_id",
                lambda: IdeaResponse.idea_id,
                "integer",
                "Only the responses to this idea.",
            ),
        ),
    ),
    Resource(
        name="measures",
        model=Measure,
        select=queries.measures_select,
        serialise=queries.measure_data,
        summary="Measures the government announced, with their progress updates.",
        properties={
            "id": INTEGER,
            "title": _string(),
            "description": _string(),
            "status": _string(enum=queries.MEASURE_STATUSES),
            "target_date": _string(fmt="date"),
            "governor_question_id": NULLABLE_INTEGER,
            "created_at": DATETIME,
            "updated_at": NULLABLE_DATETIME,
            "updates": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": INTEGER,
                        "status": _string(enum=queries.MEASURE_STATUSES),
                        "note": _string(),
                        "created_at": DATETIME,
                    },
                },
            },
            "url": URL,
        },
        filters=(
            Filter(
                "status",
                lambda: Measure.status,
                "string",
                "Only measures with this status.",
                queries.MEASURE_STATUSES,
            ),
        ),
    ),
    Resource(
        name="governor-questions",
        model=GovernorQuestion,
        select=queries.governor_questions_select,
        serialise=queries.governor_question_data,
        summary="Citizens' questions to the governor, with the published answers.",
        properties={
            "id": INTEGER,
            "title": _string(),
            "body": _string(),
            "status": _string(enum=[s.value for s in GovernorQuestionStatus]),
            "support_count": INTEGER,
            "author": _string(nullable=True),
            "created_at": DATETIME,
            "answered_at": NULLABLE_DATETIME,
            "answer": {
                "type": ["object", "null"],
                "properties": {
                    "body": _string(),
                    "department": _string(),
                    "video": {
                        "type": ["object", "null"],
                        "properties": {"provider": _string(), "id": _string()},
                    },
                    "transcript": _string(),
                    "created_at": DATETIME,
                },
            },
            "url": URL,
        },
        filters=(
            Filter(
                "status",
                lambda: GovernorQuestion.status,
                "string",
                "Only questions with this status.",
                tuple(s.value for s in GovernorQuestionStatus),
            ),
        ),
    ),
)

BY_NAME = {resource.name: resource for resource in RESOURCES}
