"""Similar ideas as JSON, for the idea form to show while the citizen types."""

from flask import Blueprint, abort, jsonify, request, url_for
from flask_babel import ngettext

from ideation.extensions import db, limiter
from ideation.questions.models import Question
from ideation.shared.web import as_id, configured_limit
from ideation.similarity.queries import SimilarIdea, similar_ideas

bp = Blueprint("similar", __name__)


# Each request runs the model: limited per address.
@bp.get("/questions/<int:question_id>/similar")
@limiter.limit(configured_limit("SIMILAR_LIMIT"))
def ideas(question_id: int):
    """Up to SIMILAR_IDEAS_LIMIT ideas of the question similar to ?text= (the title)
    and ?description=, without ?exclude= (the idea being edited)."""
    question = db.session.get(Question, question_id)
    if question is None or not question.is_public():  # drafts are not public
        abort(404)
    exclude = as_id(request.args.get("exclude"))
    found = similar_ideas(
        question,
        request.args.get("text", ""),
        request.args.get("description", ""),
        exclude_ids={exclude} if exclude else set(),
    )
    if found is None:
        return jsonify(ideas=[], unavailable=True)
    return jsonify(
        ideas=[_as_json(similar) for similar in found],
        summary=ngettext(
            "%(num)d related idea already proposed",
            "%(num)d related ideas already proposed",
            len(found),
        ),
    )


def _as_json(similar: SimilarIdea) -> dict:
    idea = similar.idea
    return {
        "id": idea.id,
        "title": idea.title,
        "support_count": idea.support_count,
        "support_label": ngettext(
            "%(num)d support", "%(num)d supports", idea.support_count
        ),
        "url": url_for("ideas.show", idea_id=idea.id),
        "score": round(similar.score, 3),
    }
