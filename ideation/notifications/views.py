"""The signed-in user's notifications, and the unread count in the header."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.extensions import csrf, db
from ideation.notifications import operations, queries
from ideation.notifications.unsubscribe import account_to_unsubscribe, unsubscribe
from ideation.shared.pagination import page_number
from ideation.shared.web import on_refusal, safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread_notifications():
    # A function, so pages that never show the header run no query.
    return {"unread_notification_count": queries.current_unread_count}


@bp.get("/")
@login_required
def index():
    page = page_number(request.args)
    pagination = queries.notifications_of(current_user, page)
    return render_template("notifications/index.html", pagination=pagination)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    notification = queries.get_own_notification_or_404(notification_id, current_user)
    operations.mark_read(notification, current_user)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for(".index")))


@bp.post("/read-all")
@login_required
def read_all():
    operations.mark_all_read(current_user)
    db.session.commit()
    flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for(".index"))


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The link in a notification e-mail: a page to confirm; only the POST acts.

    Link scanners and prefetchers follow GETs, so a GET changes nothing.
    """
    with on_refusal(back=url_for("main.index")):
        user = account_to_unsubscribe(token)
    return render_template("notifications/unsubscribe.html", user=user, token=token)


# A mail program's one-click "unsubscribe" (RFC 8058) posts here with no CSRF token:
# the signed token in the address is the credential, and all it can do is stop
# the e-mails of the account that received it.
@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token: str):
    with on_refusal(back=url_for("main.index")):
        user = account_to_unsubscribe(token)
    unsubscribe(user)
    db.session.commit()
    return render_template("notifications/unsubscribed.html", user=user)
