"""Accounts: registration, e-mail confirmation, login, passwords, profiles, and
citizens' data rights (privacy notice, consent, export, deletion)."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "operations"),
    blueprints=("views", "admin_views", "privacy_views"),
    commands=("commands:users_cli",),
    audit_links="models:AUDIT_LINKS",
    audit_actions="messages:AUDIT_ACTIONS",
)
