"""on_refusal and done: the one way a view runs an operation."""

import pytest
from flask import get_flashed_messages
from werkzeug.exceptions import Forbidden, HTTPException
from wtforms import StringField

from ideation.extensions import db
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.forms import ActionForm
from ideation.shared.web import done, on_refusal

JSON = {"Accept": "application/json"}


class NameForm(ActionForm):
    name = StringField()


def _refuse(error: DomainError, **where) -> HTTPException:
    with pytest.raises(HTTPException) as raised, on_refusal(**where):
        raise error
    return raised.value


def test_refusal_goes_back_with_the_message(app, make_user):
    with app.test_request_context("/ideas/1/withdraw", method="POST"):
        user = make_user(name="Before")
        user.display_name = "After"
        response = _refuse(DomainError("Too late."), back="/ideas/1").response
        assert response.status_code == 302
        assert response.location == "/ideas/1"
        assert get_flashed_messages(with_categories=True) == [("error", "Too late.")]
        assert db.session.get(type(user), user.id).display_name == "Before"


def test_refusal_on_a_form_keeps_what_was_typed(app):
    with app.test_request_context("/x", method="POST", data={"name": "Ana"}):
        form = NameForm(meta={"csrf": False})
        with on_refusal(form=form):
            raise DomainError("Taken.", field="name")
        with on_refusal(form=form):
            raise DomainError("Try later.")
        assert form.name.data == "Ana"
        assert form.name.errors == ["Taken."]
        assert form.form_errors == ["Try later."]
        assert get_flashed_messages() == []


def test_forbidden_is_403_even_on_a_form(app):
    with app.test_request_context("/x", method="POST"):
        form = NameForm(meta={"csrf": False})
        assert isinstance(_refuse(PermissionDenied("No."), form=form), Forbidden)


@pytest.mark.parametrize(
    ("error", "status"), [(DomainError, 409), (PermissionDenied, 403)]
)
def test_the_page_script_gets_json(app, error, status):
    with app.test_request_context("/x", method="POST", headers=JSON):
        response = _refuse(error("Not now."), back="/").response
        assert response.status_code == status
        assert response.get_json() == {"error": "Not now."}


def test_on_refusal_needs_a_form_or_a_way_back(app):
    with app.test_request_context("/x"), pytest.raises(TypeError):
        with on_refusal():
            pass


def test_done_commits_says_so_and_redirects(app, make_user):
    with app.test_request_context("/x", method="POST"):
        user = make_user(name="Before")
        user.display_name = "After"
        response = done("Saved.", "/account", "info")
        db.session.rollback()
        assert response.location == "/account"
        assert get_flashed_messages(with_categories=True) == [("info", "Saved.")]
        assert db.session.get(type(user), user.id).display_name == "After"
