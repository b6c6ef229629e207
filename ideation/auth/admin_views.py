"""The administrators' pages of accounts: search, and change a role."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.auth import operations as accounts
from ideation.auth.models import User
from ideation.auth.queries import search_users
from ideation.auth.role_forms import ROLE_LABELS, RoleForm, role_form
from ideation.extensions import db
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import done, on_refusal, search_term

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    return _render_users()


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = role_form(user, bind=True)
    if form.validate_on_submit():
        with on_refusal(form=form):
            actor = current_user._get_current_object()
            accounts.change_role(user, form.role.data, actor, form.reason.data)
            label = ROLE_LABELS[user.role]
            return done(
                _("%(name)s is now: %(role)s.", name=user.display_name, role=label),
                url_for("admin.users", **_list_args()),
            )
    return _render_users(bound=form)


def _list_args() -> dict:
    """The search and page of the list, carried through the role forms."""
    return {
        "q": search_term(request.args) or None,
        "page": page_number(request.args),
    }


def _render_users(bound: RoleForm | None = None) -> str:
    args = _list_args()
    pagination = search_users(args["q"] or "", args["page"])
    forms = {
        user.id: bound if bound and bound.user_id == user.id else role_form(user)
        for user in pagination.items
    }
    return render_template(
        "admin/users.html",
        pagination=pagination,
        forms=forms,
        q=args["q"] or "",
        list_args=args,
        role_labels=ROLE_LABELS,
    )
