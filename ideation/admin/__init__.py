"""The governor's office: accounts and roles."""

from ideation.features import Feature

feature = Feature(
    blueprint="views",
)
