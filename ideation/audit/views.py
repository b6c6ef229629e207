"""The audit log page: what officials, moderators and admins did, filtered."""

from flask import Blueprint, render_template, request

from ideation.audit import queries
from ideation.audit.forms import AuditFilterForm
from ideation.audit.links import AUDIT_LINKS, action_label, target_label
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("")
@role_required(Role.ADMIN)
def index():
    """What officials, moderators and admins did, the newest first, filtered."""
    form = AuditFilterForm(
        queries.audit_actions(), queries.audit_target_types(), formdata=request.args
    )
    form.validate()
    pagination = queries.audit_entries(_filters(form), page_number(request.args))
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        targets=queries.audit_targets(pagination.items),
        links=AUDIT_LINKS,
        action_label=action_label,
        target_label=target_label,
        filter_args={k: v for k, v in request.args.items() if k != "page" and v},
    )


def _filters(form: AuditFilterForm) -> queries.AuditFilters:
    """The filters that were typed correctly; a wrong one filters nothing."""

    def valid(field):
        return None if field.errors else field.data

    return queries.AuditFilters(
        action=form.action.data or "",
        actor=valid(form.actor) or "",
        target_type=form.target_type.data or "",
        date_from=valid(form.date_from),
        date_to=valid(form.date_to),
        text=valid(form.text) or "",
    )
