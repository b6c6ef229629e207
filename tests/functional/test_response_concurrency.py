"""Officials responding to one idea at the same instant: one response is published,
the others are refused, on both databases."""

from sqlalchemy import func, select

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus
from ideation.notifications.models import Notification
from ideation.responses.models import IdeaResponse
from ideation.shared.roles import Role
from tests.concurrency import post_together

OFFICIALS = 6


def test_responses_at_once_move_the_idea_once(app, make_user, make_idea):
    idea = make_idea()
    form = {"status": "under_review", "body": "We are looking.", "department": "Health"}
    outcomes = post_together(
        app,
        [
            (make_user(Role.OFFICIAL), f"/ideas/{idea.id}/respond", form)
            for _ in range(OFFICIALS)
        ],
    )

    responses = db.session.scalars(select(IdeaResponse)).all()
    assert [(r.status_from, r.status_to) for r in responses] == [
        (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW)
    ]
    assert db.session.get(Idea, idea.id).status == IdeaStatus.UNDER_REVIEW
    # One was published; the others found the idea already under review and were
    # shown the form again, or told why not.
    assert sum(o.status == 302 for o in outcomes) == 1, outcomes
    assert all(o.status in (200, 302, 409) for o in outcomes), outcomes
    notified = db.session.scalar(select(func.count()).select_from(Notification))
    assert notified == 1  # the author, once
