"""/api/v1: read-only JSON of the public resources, paginated by id, rate-limited
per client address, readable from any origin (GET only, no credentials)."""

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ideation.extensions import limiter
from ideation.opendata import openapi, queries
from ideation.opendata.paging import BadQuery, read_item, read_page
from ideation.opendata.resources import RESOURCES, Resource
from ideation.shared.spreadsheet import csv_text
from ideation.shared.web import configured_limit

bp = Blueprint("opendata", __name__, url_prefix=openapi.PREFIX)
# One count for the whole API per address (a per-route count would multiply it).
limiter.shared_limit(configured_limit("API_LIMIT_PER_IP"), scope="opendata")(bp)

API_VERSION = "1.0.0"
# Headers a script on another site may read: paging and the limits.
EXPOSED_HEADERS = "Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


def _endpoint(resource: Resource, kind: str) -> str:
    return f"{resource.name.replace('-', '_')}_{kind}"


def _list_view(resource: Resource):
    def view():
        try:
            page = read_page(resource, request.args)
        except BadQuery as error:
            return _error(400, str(error), error.field)
        endpoint = f".{_endpoint(resource, 'list')}"
        this = url_for(endpoint, **request.args, _external=True)
        following = None
        if page.next_after is not None:
            following = url_for(
                endpoint,
                **page.filters,
                limit=page.limit,
                after=page.next_after,
                _external=True,
            )
        response = jsonify(
            data=[resource.serialise(item) for item in page.items],
            links={"self": this, "next": following},
        )
        if following:
            response.headers["Link"] = f'<{following}>; rel="next"'
        return response

    return view


def _item_view(resource: Resource):
    def view(item_id: int):
        item = read_item(resource, item_id)
        if item is None:
            abort(404)
        return jsonify(data=resource.serialise(item))

    return view


for _resource in RESOURCES:
    bp.add_url_rule(
        f"/{_resource.name}",
        _endpoint(_resource, "list"),
        _list_view(_resource),
        methods=["GET"],
    )
    bp.add_url_rule(
        f"/{_resource.name}/<int:item_id>",
        _endpoint(_resource, "item"),
        _item_view(_resource),
        methods=["GET"],
    )


@bp.get("/questions/<int:question_id>/ideas.csv")
def question_ideas_csv(question_id: int):
    """Every public idea of a public question, as a CSV file."""
    question = queries.public_question_or_none(question_id)
    if question is None:
        abort(404)
    ideas = queries.question_ideas(question)
    text = csv_text(queries.CSV_COLUMNS, queries.idea_csv_rows(ideas))
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="question-{question.id}-ideas.csv"'
            )
        },
    )


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document of this API."""
    return jsonify(openapi.document(_("The Governor Asks"), API_VERSION))


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    # Public data, read without cookies: any site's script may fetch it, and no
    # credentials are ever allowed (no Access-Control-Allow-Credentials).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


# By code: the app's own handlers for these codes render HTML pages.
@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(429)
@bp.errorhandler(500)
def json_error(error: HTTPException):
    messages = {
        404: _("There is no such public item."),
        429: _("Too many requests from your address. Please wait and try again."),
    }
    return _error(error.code or 500, messages.get(error.code, error.description))


def _error(status: int, message: str, parameter: str | None = None):
    body = {"error": {"status": status, "message": message, "parameter": parameter}}
    return jsonify(body), status
