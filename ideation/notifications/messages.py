"""What each kind of notification says, rendered in the reader's language.

A notification stores its kind and parameters (titles, names); the sentence comes
from this table when it is displayed, so a reader who changes language sees every
notification in the new one. A feature that notifies declares its kinds in its
own messages.py (`Feature.messages`).
"""

from flask_babel import force_locale
from flask_babel import gettext as _

# Every kind a feature notifies with, collected by create_app from the features'
# declarations (`Feature.messages`).
MESSAGES: dict = {}


def register_messages(messages: dict) -> None:
    """Add a feature's notification kinds and what they say."""
    MESSAGES.update(messages)


class _Params(dict):
    """Parameters that show a placeholder rather than fail when one is missing."""

    def __missing__(self, key):
        return "…"


def render_message(notification, locale: str | None = None) -> str:
    """The notification's sentence, in `locale` or else the current language."""
    if locale is not None:
        with force_locale(locale):
            return render_message(notification)
    template = MESSAGES.get(notification.kind)
    if template is None:
        return _("Something happened that concerns you.")
    return str(template) % _Params(notification.params or {})
