"""Similarity: the embedding model, the stored idea vectors and their search, the
pipeline from ideas to duplicate groups and themes, the similar-ideas suggestions
(blueprint "similar"), and `flask similarity`.

It reads ideas and questions (their models) and imports no other feature: the features
that compute from its vectors (duplicates, themes) listen to its signals.
"""

from ideation.features import Feature

feature = Feature(
    modules=("models", "jobs"),
    blueprints=("views",),
    commands=("commands:similarity_cli",),
)
