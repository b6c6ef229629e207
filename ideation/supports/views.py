"""The view side of supports, shared by ideas and questions to the governor: JSON
for the page's script (no reload), else a flash message and a redirect back."""

from flask import abort, flash, jsonify, redirect
from flask_babel import ngettext
from flask_login import current_user

from ideation.extensions import db
from ideation.shared.errors import DomainError, PermissionDenied
from ideation.shared.web import wants_json


def change_support(item, operation, supported: bool, done_message: str, back: str):
    """Run a support `operation` on `item` for the signed-in user, commit, answer."""
    try:
        operation(item, current_user)
    except DomainError as error:
        db.session.rollback()
        forbidden = isinstance(error, PermissionDenied)
        if wants_json():
            return jsonify(error=str(error)), 403 if forbidden else 409
        if forbidden:
            abort(403)
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    if not wants_json():
        flash(done_message, "success")
        return redirect(back)
    count = item.support_count
    return jsonify(
        supported=supported,
        support_count=count,
        count_label=ngettext("%(num)d support", "%(num)d supports", count),
        message=done_message,
    )
