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
