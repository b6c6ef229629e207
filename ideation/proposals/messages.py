"""What the proposals feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "proposal.credited": _l(
        "Your idea is part of the proposal “%(title)s”: you are credited as one of "
        "its authors."
    ),
}


# What the audit log calls this feature's actions, in the reader's language.
AUDIT_ACTIONS = {
    "cycle.started": _l("Consultation cycle started"),
    "cycle.phase_changed": _l("Consultation phase changed"),
    "cycle.dates_changed": _l("Consultation dates changed"),
    "proposal.written": _l("Proposal written from ideas"),
}
