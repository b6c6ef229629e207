"""Demonstration data from real Polis conversations (`flask demo load`)."""

from ideation.features import Feature

feature = Feature(
    commands=("commands:demo_cli",),
)
