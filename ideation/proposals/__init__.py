"""The consultation cycle of a question (ideas → synthesis → voting → results →
meeting) and the proposals officials synthesise from the citizens' ideas."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs"),
    blueprints=("views",),
    personal_data="queries:personal_data",
    messages="messages:MESSAGES",
    audit_links="models:AUDIT_LINKS",
    audit_actions="messages:AUDIT_ACTIONS",
)
