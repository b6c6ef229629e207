"""Pairwise voting on a question's proposals (the wiki-survey of the original), the
Bradley–Terry results, and the meeting of the top proposals' authors."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs"),
    blueprints=("views",),
    personal_data="queries:personal_data",
    audit_actions="messages:AUDIT_ACTIONS",
)
