"""Design sessions: officials meet the authors of shortlisted ideas to design them."""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    personal_data="queries:personal_data",
    messages="messages:MESSAGES",
    audit_actions="messages:AUDIT_ACTIONS",
)
