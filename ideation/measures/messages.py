"""What the measures feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

# What participants are told, rendered in each reader's language when shown. The
# registry lives in ideation.notifications.messages; this feature adds its kinds.
MESSAGES = {
    "measure.in_progress": _l("Work has started on the measure “%(title)s”."),
    "measure.done": _l("The measure “%(title)s” is done."),
    "measure.cancelled": _l("The measure “%(title)s” was cancelled."),
    "measure.news": _l("There is news on the measure “%(title)s”."),
    "measure.progress": _l("The measure “%(title)s” is now %(progress)d%% done."),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "measure.announced": _l("Measure announced"),
    "measure.updated": _l("Measure updated"),
    "measure.created": _l("Measure created from an idea, a decision or a session"),
}
