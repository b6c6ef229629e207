"""What the proposals feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "proposal.credited": _l(
        "Your idea is part of the proposal “%(title)s”: you are credited as one of "
        "its authors."
    ),
}
