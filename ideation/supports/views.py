"""The view side of supports, shared by ideas and questions to the governor: JSON
for the page's script (no reload), else a flash message and a redirect back."""

from flask import jsonify
from flask_babel import ngettext
from flask_login import current_user

from ideation.extensions import db, limiter
from ideation.shared.web import (
    account_key,
    configured_limit,
    done,
    on_refusal,
    wants_json,
)

# One budget per account for every support and its taking back, of ideas and of
# questions to the governor alike.
support_limit = limiter.shared_limit(
    configured_limit("SUPPORT_LIMIT_PER_ACCOUNT"), scope="support", key_func=account_key
)


def change_support(item, operation, supported: bool, done_message: str, back: str):
    """Run a support `operation` on `item` for the signed-in user, commit, answer."""
    with on_refusal(back=back):
        operation(item, current_user)
    if not wants_json():
        return done(done_message, back)
    count = item.support_count  # as the operation left it: no read after commit
    db.session.commit()
    return jsonify(
        supported=supported,
        support_count=count,
        count_label=ngettext("%(num)d support", "%(num)d supports", count),
        message=done_message,
    )
