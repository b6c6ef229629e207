"""Moderation: reports, the moderators' queue, blocked accounts, the audit log."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.auth.models import User
from ideation.auth.queries import masked_email
from ideation.extensions import db, limiter
from ideation.moderation import operations, queries
from ideation.moderation.forms import REASON_LABELS, FlagForm, account_form, item_form
from ideation.moderation.rules import AlreadyFlagged, can_block
from ideation.shared.pagination import page_number
from ideation.shared.roles import Role, role_required
from ideation.shared.web import (
    account_key,
    configured_limit,
    done,
    on_refusal,
    search_term,
)

bp = Blueprint("moderation", __name__)

TARGET = "<any(idea, governor_question, comment):target_type>/<int:target_id>"


@bp.app_context_processor
def moderation_helpers():
    # A function, so pages that never show the menu run no query.
    return {"moderation_pending_count": queries.pending_count}


@bp.route(f"/flag/{TARGET}", methods=["GET", "POST"])
@login_required
@limiter.limit(
    configured_limit("FLAG_LIMIT_PER_ACCOUNT"), key_func=account_key, methods=["POST"]
)
# Per address too: many accounts of one person must not add up to many reports.
@limiter.limit(configured_limit("FLAG_LIMIT_PER_IP"), methods=["POST"])
def flag(target_type: str, target_id: int):
    """A signed-in person reports an idea or a question to the moderators."""
    item = queries.get_target_or_404(target_type, target_id)
    back = _item_url(target_type, item)
    form = FlagForm()
    if form.validate_on_submit():
        with on_refusal(form=form):
            try:
                operations.flag_item(
                    item, current_user, form.reason.data, form.note.data
                )
            except AlreadyFlagged as error:
                # Not a mistake to correct on the form: their report is in already.
                db.session.rollback()
                flash(str(error), "info")
                return redirect(back)
            return done(_("Thank you: the moderators will look at your report."), back)
    return render_template(
        "moderation/flag.html",
        form=form,
        item=item,
        target_type=target_type,
        back=back,
        refusal=queries.flag_refusal(item, current_user),
    )


@bp.get("/moderation")
@role_required(Role.MODERATOR)
def queue():
    """Reported items, the most reported first; hidden items; blocked accounts."""
    return _render_queue()


@bp.post(f"/moderation/{TARGET}/hide")
@role_required(Role.MODERATOR)
def hide(target_type: str, target_id: int):
    return _decide(target_type, target_id, "hide", operations.hide_item)


@bp.route(f"/moderation/{TARGET}/hide-now", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def hide_now(target_type: str, target_id: int):
    """Hide an item nobody reported, from its own page: a page with the form."""
    item = queries.get_target_or_404(target_type, target_id)
    back = _item_url(target_type, item)
    form = item_form("hide", f"{target_type}-{item.id}", bind=True)
    if form.validate_on_submit():
        with on_refusal(form=form):
            operations.hide_item(item, current_user, form.reason.data)
            return done(_done_message("hide", item.title), back)
    return render_template(
        "moderation/hide.html", form=form, item=item, target_type=target_type, back=back
    )


@bp.post(f"/moderation/{TARGET}/restore")
@role_required(Role.MODERATOR)
def restore(target_type: str, target_id: int):
    return _decide(target_type, target_id, "restore", operations.restore_item)


@bp.post(f"/moderation/{TARGET}/dismiss")
@role_required(Role.MODERATOR)
def dismiss(target_type: str, target_id: int):
    return _decide(target_type, target_id, "dismiss", operations.dismiss_flags)


@bp.post("/moderation/users/<int:user_id>/block")
@role_required(Role.MODERATOR)
def block(user_id: int):
    return _decide_account(
        user_id,
        "block",
        lambda account, form: operations.block_user(
            account,
            current_user,
            form.reason.data,
            hide_content=form.hide_content.data,
        ),
    )


@bp.post("/moderation/users/<int:user_id>/unblock")
@role_required(Role.MODERATOR)
def unblock(user_id: int):
    return _decide_account(
        user_id,
        "unblock",
        lambda account, form: operations.unblock_user(
            account, current_user, form.reason.data
        ),
    )


def _done_message(action: str, name: str) -> str:
    """What the moderator is told once `action` is done on `name`."""
    if action == "hide":
        return _("“%(title)s” is hidden; its author is told why.", title=name)
    if action == "restore":
        return _("“%(title)s” is visible again; its author is told why.", title=name)
    if action == "dismiss":
        return _("The reports on “%(title)s” are dismissed.", title=name)
    if action == "block":
        return _("%(name)s is blocked and will be logged out.", name=name)
    return _("%(name)s can log in again.", name=name)


def _decide(target_type: str, target_id: int, action: str, operation):
    """Hide, restore or dismiss; on a refusal, the queue with the form's errors."""
    item = queries.get_target_or_404(target_type, target_id)
    form = item_form(action, f"{target_type}-{item.id}", bind=True)
    if form.validate_on_submit():
        with on_refusal(form=form):
            operation(item, current_user, form.reason.data)
            return done(
                _done_message(action, item.title), url_for(".queue", **_queue_args())
            )
    return _render_queue(bound=form, subject=item.title)


def _decide_account(user_id: int, action: str, operation):
    """Block or unblock (`operation(account, form)`); on a refusal, the queue with
    the form's errors."""
    account = db.get_or_404(User, user_id)
    form = account_form(action, account.id, bind=True)
    if form.validate_on_submit():
        with on_refusal(form=form):
            operation(account, form)
            return done(
                _done_message(action, account.display_name),
                url_for(".queue", **_queue_args()),
            )
    return _render_queue(bound=form, subject=account.display_name)


def _queue_args() -> dict:
    """The page and account search of the queue, carried through its forms."""
    return {
        "page": page_number(request.args),
        "q": search_term(request.args) or None,
    }


def _render_queue(bound=None, subject: str = "") -> str:
    args = _queue_args()

    def item_form_for(action: str, key: str):
        """The form the moderator just sent (with what they typed), else a new one."""
        fresh = item_form(action, key)
        return bound if bound is not None and bound.slot == fresh.slot else fresh

    def account_form_for(action: str, user_id: int):
        fresh = account_form(action, user_id)
        return bound if bound is not None and bound.slot == fresh.slot else fresh

    return render_template(
        "moderation/queue.html",
        queue=queries.moderation_queue(args["page"]),
        hidden=queries.recently_hidden(),
        blocked=queries.blocked_accounts(),
        found=queries.search_accounts(
            args["q"] or "", whole_addresses=current_user.has_role(Role.ADMIN)
        ),
        q=args["q"] or "",
        queue_args=args,
        item_form_for=item_form_for,
        account_form_for=account_form_for,
        bound=bound,
        subject=subject,
        can_block=can_block,
        reason_labels=REASON_LABELS,
        item_url=_item_url,
    )


def _item_url(target_type: str, item) -> str:
    endpoint, key = queries.item_endpoint(target_type)
    return url_for(endpoint, **{key: item.id})


@bp.app_template_global()
def shown_address(account: User) -> str:
    """An account's address as the moderation page shows it: whole to
    administrators, masked to moderators (blocking needs no address)."""
    if current_user.has_role(Role.ADMIN):
        return account.email
    return masked_email(account.email)


@bp.app_template_global()
def report_state(target_type: str, item) -> tuple[bool, bool]:
    """For the "Report" box on any item's page: (reported already, may report)."""
    user = current_user if current_user.is_authenticated else None
    return queries.report_state(target_type, item, user)
