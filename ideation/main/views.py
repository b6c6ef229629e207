"""Home, about, and the language switcher."""

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user

from ideation.extensions import db
from ideation.questions.queries import open_questions
from ideation.shared.i18n import SESSION_KEY
from ideation.shared.web import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html", questions=open_questions())


@bp.get("/about")
def about():
    return render_template("main/about.html")


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
