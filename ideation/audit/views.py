"""The audit log page: what officials, moderators and admins did, filtered."""

import json

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ideation.audit import queries
from ideation.audit.forms import AuditFilterForm
from ideation.audit.links import AUDIT_LINKS, action_label, target_label
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.spreadsheet import csv_download, csv_text

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


@bp.get("/export.csv")
@role_required(Role.ADMIN)
def export():
    """The filtered audit log as CSV, for inspectors and archives."""
    form = AuditFilterForm(
        queries.audit_actions(), queries.audit_target_types(), formdata=request.args
    )
    form.validate()
    entries = queries.audit_export(_filters(form))
    header = [
        _("Time (UTC)"),
        _("Done by"),
        _("E-mail address"),
        _("Action"),
        _("Action code"),
        _("Kind of target"),
        _("Target number"),
        _("Reason"),
        _("Details"),
    ]
    rows = (
        [
            entry.created_at.isoformat(),
            entry.actor.display_name if entry.actor else "",
            entry.actor.email if entry.actor else "",
            action_label(entry.action),
            entry.action,
            target_label(entry.target_type),
            entry.target_id,
            entry.reason,
            json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
            if entry.details
            else "",
        ]
        for entry in entries
    )
    return csv_download(csv_text(header, rows), "audit-log.csv")


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
