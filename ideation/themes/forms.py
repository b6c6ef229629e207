"""The officials' form to name a theme."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from ideation.shared.forms import MaxLengthFromConfig, PlainText, strip_outer_whitespace


class RenameThemeForm(FlaskForm):
    # Empty: the theme is called by its keywords again.
    label = StringField(
        _l("Name of the theme"),
        filters=[strip_outer_whitespace],
        validators=[PlainText(), MaxLengthFromConfig("THEME_LABEL_MAX")],
    )
