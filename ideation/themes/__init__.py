"""Themes: topical clusters of a question's ideas, labelled with keywords."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs"),
    blueprints=("views",),
    commands=("commands:themes_cli",),
    audit_links="models:AUDIT_LINKS",
    audit_actions="messages:AUDIT_ACTIONS",
)
