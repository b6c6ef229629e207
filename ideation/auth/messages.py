"""What the audit log calls the actions of this feature."""

from flask_babel import lazy_gettext as _l

# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "user.created": _l("Account created by an admin"),
    "user.role_changed": _l("Role changed"),
    "user.deleted": _l("Account deleted by its owner"),
}
