"""The audit log: every action of an official, moderator or admin."""

from ideation.audit.models import AuditLog
from ideation.extensions import db


def record_action(actor, action: str, target, reason: str = "", **details) -> AuditLog:
    """Add an audit entry for `action` on `target` (a model instance) by `actor`
    (an account, or None for the system and the command line)."""
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
