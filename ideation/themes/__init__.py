"""Themes: topical clusters of a question's ideas, labelled with keywords."""
