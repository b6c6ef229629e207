"""What the governor feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

# What the asker and supporters are told, rendered in each reader's language when
# shown. The registry lives in ideation.notifications.messages; this feature adds
# its kinds.
MESSAGES = {
    "governor.answered.author": _l(
        "The governor's office answered your question “%(title)s”."
    ),
    "governor.answered.supporter": _l(
        "The governor's office answered the question “%(title)s”, which you supported."
    ),
}
