"""What the comments feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "comments.on_idea": _l("%(name)s commented on your idea “%(title)s”."),
    "comments.reply": _l("%(name)s replied to your comment on the idea “%(title)s”."),
}
