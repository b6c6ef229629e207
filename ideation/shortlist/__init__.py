"""The governor's office shortlist board: signals, shortlist, notes, decisions."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    audit_actions="messages:AUDIT_ACTIONS",
)
