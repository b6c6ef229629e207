"""Questions the governor asks, from draft to published to closed."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    commands=("commands:markdown_cli",),
    personal_data="queries:personal_data",
    audit_links="models:AUDIT_LINKS",
    audit_actions="messages:AUDIT_ACTIONS",
)
