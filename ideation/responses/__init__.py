"""Officials' public responses to ideas: statuses, the timeline, group answers."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    messages="messages:MESSAGES",
    audit_actions="messages:AUDIT_ACTIONS",
)
