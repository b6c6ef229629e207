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
    "governor.declined.author": _l(
        "The governor's office closed your question “%(title)s” without an answer. "
        "The reason is on its page."
    ),
    "governor.declined.supporter": _l(
        "The governor's office closed the question “%(title)s”, which you supported, "
        "without an answer. The reason is on its page."
    ),
    "governor.merged.author": _l(
        "Your question “%(title)s” asks the same as “%(target)s”: the governor's "
        "office merged them, and your support counts there now."
    ),
    "governor.merged.supporter": _l(
        "The question “%(title)s”, which you supported, asks the same as "
        "“%(target)s”: the governor's office merged them, and your support counts "
        "there now."
    ),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "governor_question.answered": _l("Question to the governor answered"),
    "governor_question.declined": _l("Question to the governor declined"),
    "governor_question.merged": _l("Question to the governor merged"),
}
