"""Open data: a read-only, versioned JSON API of what the site shows in public
(questions, ideas, responses, measures, the governor's questions and answers), its
OpenAPI document, and a CSV of each question's ideas."""

from ideation.features import Feature

feature = Feature(blueprints=("views",))
