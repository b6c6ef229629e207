"""Web helpers shared by every feature's views: safe redirects, JSON or redirect
answers, and running an operation with one commit or one rollback."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from ideation.extensions import db
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.forms import show_error
from ideation.shared.text import one_line

# Every id column is a 32-bit INTEGER on PostgreSQL: a larger number in a URL or a
# form names nothing, and must not reach the database (which refuses it: a 500).
ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """The `int` of every route: an id that fits the id columns, else a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def as_id(value) -> int | None:
    """`value` (a query or form string) as an id, or None if it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= ID_MAX else None


def id_url(endpoint: str, key: str, **values):
    """A function of an id giving `url_for(endpoint, key=id, **values)`, for the
    many links of a list: one URL is built, the others are that one with another
    id (a page of 50 ideas otherwise builds 100 support links through the routes)."""
    url = url_for(endpoint, **{key: ID_MAX}, **values)
    head, _placeholder, tail = url.rpartition(str(ID_MAX))
    return lambda item_id: f"{head}{int(item_id)}{tail}"


def search_term(args, key: str = "q") -> str:
    """What was typed in a search box (`key` of the query string), on one line: a
    control character cannot match anything, and some databases refuse it."""
    return one_line(args.get(key, ""))


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; never an open redirect to another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return default
    return target


def wants_json() -> bool:
    """Whether the request came from the page's script, which asks for JSON."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def link_for(endpoint: str, **values) -> str:
    """The app-relative path of `endpoint`, built without a request (jobs, CLI)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def public_url(path: str) -> str:
    """PUBLIC_URL followed by the app-relative `path` ("/ideas/7"): links in e-mails,
    which jobs build without a request."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of `endpoint`, as url_for would build it in a request."""
    return public_url(link_for(endpoint, **values))


@contextmanager
def on_refusal(
    *, form: FlaskForm | None = None, back: str | None = None
) -> Iterator[None]:
    """Run the block's operation; if a rule refuses it, roll back and say why.

    With `form`, the message goes on the form and the view goes on to render it
    again, with what the user typed. Otherwise the message is flashed and the user
    is sent to `back`: the block is left, and so is the view. Either way an action
    the user may not take at all is a 403, and the page's script gets JSON.

        with on_refusal(form=form):
            edit_idea(idea, current_user, form.title.data, form.description.data)
            return done(_("Your changes are saved."), url_for(".show", idea_id=idea.id))
        return render_template("ideas/edit.html", idea=idea, form=form)
    """
    if (form is None) == (back is None):
        raise TypeError("on_refusal needs either form= or back=")
    try:
        yield
    except DomainError as error:
        db.session.rollback()
        forbidden = isinstance(error, PermissionDenied)
        if wants_json():
            status = 403 if forbidden else 409
            abort(make_response(jsonify(error=str(error)), status))
        if forbidden:
            abort(403)
        if form is None:
            flash(str(error), "error")
            abort(redirect(back))
        show_error(form, error)


def done(message: str, target: str, category: str = "success") -> Response:
    """Commit the request's changes (once), say what was done, and go to `target`."""
    db.session.commit()
    flash(message, category)
    return redirect(target)


def configured_limit(setting: str):
    """A Flask-Limiter limit read from the configuration at request time, so that
    operators (and tests) set it without code."""
    return lambda: current_app.config[setting]


def account_key() -> str:
    """A Flask-Limiter key: the signed-in account wherever it connects from (the
    client's address for a visitor, whom the view sends to log in)."""
    if current_user.is_authenticated:
        return f"account:{current_user.get_id()}"
    return f"address:{request.remote_addr}"
