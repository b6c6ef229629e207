"""Closing the loop in public: answer deadlines and their ledger, and the impact
dashboard (participation, the funnel of statuses, answers, measures)."""

from ideation.features import Feature

feature = Feature(blueprints=("views",))
