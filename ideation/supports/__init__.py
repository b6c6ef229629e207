"""Supports: one person, one support, for ideas and for questions to the governor, with
counts that never drift.
"""

from ideation.features import Feature

feature = Feature()
