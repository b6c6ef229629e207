from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


# PLACEHOLDER: to be replaced by the real view.
@bp.get("/users")
def users():
    return "placeholder"
