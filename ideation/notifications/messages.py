"""What each kind of notification says, rendered in the reader's language.

A notification stores its kind and parameters (titles, names); the sentence comes
from this table when it is displayed, so a reader who changes language sees every
notification in the new one. Add a kind here when a feature starts notifying.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "merge.source_author": _l(
        "Your idea “%(source)s” was merged into the similar idea “%(target)s”. "
        "You are credited there as a co-author, and its supporters now support it."
    ),
    "merge.target_author": _l(
        "The similar idea “%(source)s” was merged into your idea “%(target)s”: "
        "its author is credited as a co-author and its supporters now support yours."
    ),
    "merge.supporter": _l(
        "The idea “%(source)s” was merged into the similar idea “%(target)s”. "
        "Your support counts there now, once."
    ),
    "merge_undone.source_author": _l(
        "The merge of your idea “%(source)s” into “%(target)s” was undone: "
        "your idea is listed again with its supports."
    ),
    "merge_undone.target_author": _l(
        "The merge of “%(source)s” into your idea “%(target)s” was undone: "
        "the supports it brought went back to it."
    ),
    "merge_undone.supporter": _l(
        "The merge of “%(source)s” into “%(target)s” was undone: "
        "your supports are as they were before the merge."
    ),
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
    # Officials' responses (ideation.responses): one kind per new status, for the
    # authors (co-authors too) and for the supporters of the idea.
    "idea_status.under_review.author": _l(
        "Officials are reviewing your idea “%(title)s”. Their response is on its page."
    ),
    "idea_status.under_review.supporter": _l(
        "Officials are reviewing the idea “%(title)s”, which you support."
    ),
    "idea_status.shortlisted.author": _l(
        "Your idea “%(title)s” was shortlisted. Read the officials' response on its "
        "page."
    ),
    "idea_status.shortlisted.supporter": _l(
        "The idea “%(title)s”, which you support, was shortlisted."
    ),
    "idea_status.selected.author": _l(
        "Your idea “%(title)s” was selected. Read the officials' response on its page."
    ),
    "idea_status.selected.supporter": _l(
        "The idea “%(title)s”, which you support, was selected."
    ),
    "idea_status.in_design.author": _l(
        "Officials started designing your idea “%(title)s” into a measure."
    ),
    "idea_status.in_design.supporter": _l(
        "Officials started designing the idea “%(title)s”, which you support."
    ),
    "idea_status.implemented.author": _l(
        "Your idea “%(title)s” was implemented. Thank you!"
    ),
    "idea_status.implemented.supporter": _l(
        "The idea “%(title)s”, which you support, was implemented."
    ),
    "idea_status.declined.author": _l(
        "Your idea “%(title)s” was declined. The reason is on its page."
    ),
    "idea_status.declined.supporter": _l(
        "The idea “%(title)s”, which you support, was declined. The reason is on its "
        "page."
    ),
}


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
