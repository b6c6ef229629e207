"""Notifications in the app and by e-mail: the outbox, its sending job, the daily
digest and each person's e-mail preference.
"""

from ideation.features import Feature

feature = Feature(
    modules=("models", "outbox", "email", "digest"),
    blueprints=("views",),
    commands=("commands:mail_cli",),
)
