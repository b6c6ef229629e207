"""Duplicate ideas: the inbox of candidate groups, merges and their undo."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs"),
    blueprints=("views",),
    messages="messages:MESSAGES",
    audit_actions="messages:AUDIT_ACTIONS",
)
