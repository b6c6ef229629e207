"""What the moderation feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # Moderation (ideation.moderation): for the author of a hidden or restored item.
    "moderation.hidden_pending": _l(
        "“%(title)s”, which you wrote, was reported by several people: it is hidden "
        "until a moderator looks at it."
    ),
    "moderation.hidden": _l(
        "The moderators hid “%(title)s”, which you wrote. Their reason: %(reason)s"
    ),
    "moderation.restored": _l(
        "The moderators restored “%(title)s”, which you wrote: it is visible again. "
        "Their reason: %(reason)s"
    ),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "*.hidden": _l("Hidden by a moderator"),
    "*.restored": _l("Restored by a moderator"),
    "*.flags_dismissed": _l("Reports dismissed"),
    "*.auto_hidden": _l("Hidden for review after reports"),
    "user.blocked": _l("Account blocked"),
    "user.unblocked": _l("Account unblocked"),
}
