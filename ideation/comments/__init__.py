"""Comments on ideas: threaded one level (a reply answers a comment, never a
reply), reported and hidden like ideas, officials' comments marked as such."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    messages="messages:MESSAGES",
    audit_links="models:AUDIT_LINKS",
    moderated="models:MODERATED",
    personal_data="queries:personal_data",
    audit_actions="messages:AUDIT_ACTIONS",
)
