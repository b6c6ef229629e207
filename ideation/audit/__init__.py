"""The audit log: every action of an official, moderator or admin, and the admins' page
that reads it.
"""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
)
