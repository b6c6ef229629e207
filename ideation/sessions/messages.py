"""What the sessions feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

# What invitees are told in the app, in each reader's language when shown. The
# registry lives in ideation.notifications.messages; this feature adds its kinds.
MESSAGES = {
    "session.invited": _l(
        "You are invited to the design session “%(title)s”. Seats are limited: "
        "accept or decline on its page."
    ),
    "session.promoted": _l(
        "A seat freed up in the design session “%(title)s”: you are in. If you "
        "cannot come after all, decline on its page so that the next person can."
    ),
    "session.cancelled": _l(
        "The design session “%(title)s” was cancelled. The reason is on its page."
    ),
    "session.outcome": _l(
        "The outcome of the design session “%(title)s” is published on its page."
    ),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "session.scheduled": _l("Design session scheduled"),
    "session.cancelled": _l("Design session cancelled"),
    "session.attendance": _l("Attendance recorded"),
    "session.outcome_published": _l("Session outcome published"),
    "session.outcome_edited": _l("Session outcome edited"),
}
