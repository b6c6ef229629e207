"""Similarity: the embedding model, the pure numpy similarity code, the pipeline from
ideas to duplicate groups and themes, and `flask similarity`.
"""

from ideation.features import Feature

feature = Feature(
    commands=("commands:similarity_cli",),
)
