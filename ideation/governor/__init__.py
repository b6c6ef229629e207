"""The Governor Responds: citizens ask the governor questions, others support them, the
office answers in public.
"""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    personal_data="queries:personal_data",
    messages="messages:MESSAGES",
    audit_links="models:AUDIT_LINKS",
    moderated="models:MODERATED",
    audit_actions="messages:AUDIT_ACTIONS",
)
