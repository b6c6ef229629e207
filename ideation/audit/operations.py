"""The audit log: every action of an official, moderator or admin."""

from ideation.audit.models import AuditLog
from ideation.auth.models import User
from ideation.extensions import db


def record_action(
    actor: User | None, action: str, target, reason: str = "", **details
) -> AuditLog:
    """Add an audit entry for `action` on `target` (a model instance)."""
    entry = AuditLog(
        actor=actor,
        action=action,
        target_type=type(target).__tablename__,
        target_id=target.id,
        reason=reason,
        details=details,
    )
    db.session.add(entry)
    return entry
