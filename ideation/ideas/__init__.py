"""Ideas: submit, edit, withdraw, support; the question page's list."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "counting"),
    blueprints=("views",),
    personal_data="queries:personal_data",
    audit_links="models:AUDIT_LINKS",
    moderated="models:MODERATED",
)
