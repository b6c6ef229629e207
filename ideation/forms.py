"""Forms shared by every feature."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form: a POST-only button (support, publish, withdraw) with CSRF."""
