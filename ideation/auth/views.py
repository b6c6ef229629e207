from flask import Blueprint

bp = Blueprint("auth", __name__)


# PLACEHOLDERS: to be replaced by the real views.
@bp.route("/register")
def register():
    return "placeholder"


@bp.route("/login")
def login():
    return "placeholder"


@bp.post("/logout")
def logout():
    return "placeholder"


@bp.route("/account")
def account():
    return "placeholder"
