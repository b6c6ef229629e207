"""What the comments feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "comments.on_idea": _l("%(name)s commented on your idea “%(title)s”."),
    "comments.reply": _l("%(name)s replied to your comment on the idea “%(title)s”."),
}


# What the audit log calls this feature's actions, in the reader's language.
AUDIT_ACTIONS = {
    "comment.official": _l("Official's comment published"),
}
