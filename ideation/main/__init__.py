"""Home, about, and the language switcher."""

from ideation.features import Feature

feature = Feature(
    blueprints=("views",),
)
