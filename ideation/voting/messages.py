"""What the audit log calls the actions of this feature."""

from flask_babel import lazy_gettext as _l

# What the audit log calls this feature's actions, in the reader's language.
AUDIT_ACTIONS = {
    "meeting.shortlisted": _l("Top proposals put on the shortlist"),
    "meeting.invited": _l("Authors invited to meet the governor"),
}
