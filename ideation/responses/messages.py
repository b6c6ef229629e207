"""What the responses feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
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
    # One notification for someone who wrote or supports several of the ideas
    # answered at once (a duplicate group or a theme).
    "idea_status.under_review.several": _l(
        "Officials are reviewing %(count)d ideas you wrote or support, among them "
        "“%(title)s”."
    ),
    "idea_status.shortlisted.several": _l(
        "%(count)d ideas you wrote or support were shortlisted, among them “%(title)s”."
    ),
    "idea_status.selected.several": _l(
        "%(count)d ideas you wrote or support were selected, among them “%(title)s”."
    ),
    "idea_status.in_design.several": _l(
        "Officials started designing %(count)d ideas you wrote or support into a "
        "measure, among them “%(title)s”."
    ),
    "idea_status.implemented.several": _l(
        "%(count)d ideas you wrote or support were implemented, among them "
        "“%(title)s”. Thank you!"
    ),
    "idea_status.declined.several": _l(
        "%(count)d ideas you wrote or support were declined, among them “%(title)s”."
    ),
    # A public update: the officials said something new, the status stayed.
    "idea_status.update.author": _l(
        "Officials posted an update on your idea “%(title)s”."
    ),
    "idea_status.update.supporter": _l(
        "Officials posted an update on the idea “%(title)s”, which you support."
    ),
    "idea_status.update.several": _l(
        "Officials posted an update on %(count)d ideas you wrote or support, among "
        "them “%(title)s”."
    ),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "idea.status_changed": _l("Idea status changed with a response"),
    "idea.update_posted": _l("Public update posted on an idea"),
    "idea.response_corrected": _l("Response corrected"),
}
