"""What the audit log calls the actions of this feature."""

from flask_babel import lazy_gettext as _l

# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "shortlist.added": _l("Added to the shortlist"),
    "shortlist.removed": _l("Removed from the shortlist"),
    "shortlist.note_updated": _l("Shortlist note edited"),
    "shortlist.decided": _l("Shortlist decision recorded"),
}
