"""Similar ideas: stored vectors, nearest-neighbour search, suggestions while typing."""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs", "commands"),
    blueprint="views",
)
