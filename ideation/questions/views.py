from flask import Blueprint

bp = Blueprint("questions", __name__, url_prefix="/questions")


# PLACEHOLDERS: to be replaced by the real views.
@bp.get("/")
def index():
    return "placeholder"


@bp.get("/manage")
def manage():
    return "placeholder"


@bp.get("/<int:question_id>")
def show(question_id):
    return "placeholder"
