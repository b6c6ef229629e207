"""Reports fired at the same instant: the item is hidden at FLAGS_TO_HIDE reports,
and the reports after that are refused, on both databases."""

from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.moderation.models import Flag
from ideation.notifications.models import Notification
from tests.concurrency import post_together

REPORTERS = 15


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_reports_at_once_stop_at_the_threshold(app, make_user, make_idea):
    idea = make_idea()
    limit = app.config["FLAGS_TO_HIDE"]
    url = f"/flag/idea/{idea.id}"
    outcomes = post_together(
        app, [(make_user(), url, {"reason": "spam"}) for _ in range(REPORTERS)]
    )

    assert sorted(o.status for o in outcomes) == [302] * limit + [409] * (
        REPORTERS - limit
    ), outcomes
    for outcome in outcomes:
        if outcome.status == 409:
            assert "already hidden" in outcome.refusal
    assert count(Flag, Flag.target_id == idea.id) == limit
    assert db.session.get(Idea, idea.id).hidden_at is not None
    assert count(AuditLog, AuditLog.action == "idea.auto_hidden") == 1
    assert count(Notification, Notification.kind == "moderation.hidden_pending") == 1
