"""Moderation: reports, the moderators' queue, hidden items, blocked accounts."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    messages="messages:MESSAGES",
)
