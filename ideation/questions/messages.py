"""What the audit log calls the actions of this feature."""

from flask_babel import lazy_gettext as _l

# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "question.created": _l("Question created"),
    "question.published": _l("Question published"),
    "question.updated": _l("Question edited"),
    "question.closed": _l("Question closed"),
}
