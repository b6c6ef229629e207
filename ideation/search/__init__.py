"""Search: ideas found by the words of their title and description, whatever the
accents, in Portuguese, Spanish and English; filtered by status and theme."""

from ideation.features import Feature

feature = Feature(modules=("models",), blueprints=("views",))
