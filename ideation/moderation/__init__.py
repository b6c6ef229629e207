"""Moderation: reports, the moderators' queue, hidden items, blocked accounts."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    personal_data="queries:personal_data",
    messages="messages:MESSAGES",
    audit_actions="messages:AUDIT_ACTIONS",
)
