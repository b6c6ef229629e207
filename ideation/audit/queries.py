"""Reads of the audit log: filtered pages, filter choices, the entries' targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ideation.audit.links import AUDIT_LINKS
from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.shared.i18n import local_to_utc


def _account_model():
    """The account model, reached through the relationship (when the mappers are
    configured, not at import): the audit log imports no feature."""
    return AuditLog.actor.property.mapper.class_


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is filtered by; empty values filter nothing."""

    action: str = ""
    actor: str = ""
    target_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""


def audit_entries(filters: AuditFilters, page: int) -> Pagination:
    """One page of the audit log, the newest entry first."""
    return db.paginate(
        _filtered(filters),
        page=max(page, 1),
        per_page=current_app.config["AUDIT_LOG_PER_PAGE"],
        max_per_page=None,
        error_out=False,
    )


def audit_export(filters: AuditFilters) -> list[AuditLog]:
    """The filtered entries for a download, the newest first, at most
    AUDIT_EXPORT_MAX of them."""
    limit = current_app.config["AUDIT_EXPORT_MAX"]
    return list(db.session.scalars(_filtered(filters).limit(limit)))


def _filtered(filters: AuditFilters):
    stmt = (
        select(AuditLog)
        .options(joinedload(AuditLog.actor))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    )
    if filters.action:
        stmt = stmt.where(AuditLog.action == filters.action)
    if filters.actor:
        account = _account_model()
        stmt = stmt.join(AuditLog.actor).where(
            or_(
                account.display_name.icontains(filters.actor, autoescape=True),
                account.email.icontains(filters.actor, autoescape=True),
            )
        )
    if filters.target_type:
        stmt = stmt.where(AuditLog.target_type == filters.target_type)
    # Dates are days of the site's time zone, both ends included.
    if filters.date_from:
        stmt = stmt.where(AuditLog.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(
            AuditLog.created_at < _start_of(filters.date_to + timedelta(days=1))
        )
    if filters.text:
        stmt = stmt.where(AuditLog.reason.icontains(filters.text, autoescape=True))
    return stmt


def _start_of(day: date) -> datetime:
    """Midnight starting `day` in the site's time zone, in UTC."""
    return local_to_utc(datetime.combine(day, time.min))


def audit_actions() -> list[str]:
    """Every action in the log, for the filter's choices."""
    stmt = select(AuditLog.action).distinct().order_by(AuditLog.action)
    return list(db.session.scalars(stmt))


def audit_target_types() -> list[str]:
    """Every kind of target in the log, for the filter's choices."""
    stmt = select(AuditLog.target_type).distinct().order_by(AuditLog.target_type)
    return list(db.session.scalars(stmt))


def audit_targets(entries) -> dict[tuple[str, int], object]:
    """The items the entries name, loaded in one query per kind of target."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in AUDIT_LINKS and entry.target_id is not None:
            ids.setdefault(entry.target_type, set()).add(entry.target_id)
    found = {}
    for table, target_ids in ids.items():
        model = AUDIT_LINKS[table].model
        for target in db.session.scalars(select(model).where(model.id.in_(target_ids))):
            found[table, target.id] = target
    return found
