"""Measures announced in answers, with dated progress updates."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    messages="messages:MESSAGES",
    audit_actions="messages:AUDIT_ACTIONS",
)
