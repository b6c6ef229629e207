"""The administrators' form to change an account's role."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ideation.auth.models import User
from ideation.shared.forms import PlainText
from ideation.shared.roles import Role

ROLE_LABELS = {
    Role.CITIZEN.value: _l("Citizen"),
    Role.MODERATOR.value: _l("Moderator"),
    Role.OFFICIAL.value: _l("Official"),
    Role.ADMIN.value: _l("Administrator"),
}


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
    )
    reason = StringField(
        _l("Reason (kept in the audit log)"),
        validators=[
            DataRequired(message=_l("Give a reason for the change.")),
            PlainText(),
        ],
    )


def role_form(user: User, bind: bool = False) -> RoleForm:
    """The role form of one row; its prefix keeps field ids unique on the page."""
    kwargs = {} if bind else {"formdata": None}
    form = RoleForm(prefix=f"user-{user.id}", role=user.role, **kwargs)
    form.user_id = user.id
    return form
