"""Ideas: submit, edit, withdraw, support; the question page's list."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    audit_links="models:AUDIT_LINKS",
    moderated="models:MODERATED",
)
