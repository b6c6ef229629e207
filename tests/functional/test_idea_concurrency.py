"""An author's edit or withdrawal fired together with the first supports.

Whatever the order, a supporter backs the text they saw: an edit saved after a
support, or a support added after the withdrawal, is the race these catch. On both
databases (SQLite: the request takes the write lock before its first read).
"""

from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from tests.concurrency import post_together

IDEAS = 3
SUPPORTERS = 6


def supports_of(idea) -> list[Support]:
    return list(db.session.scalars(select(Support).where(Support.idea_id == idea.id)))


def stored_count(idea) -> int:
    return db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id))


def test_edit_racing_the_first_supports_is_refused_once_one_exists(
    app, make_user, make_idea
):
    ideas = [make_idea(title=f"Original {n}") for n in range(IDEAS)]
    requests = []
    for idea in ideas:
        edit = {"title": f"Changed {idea.id}", "description": "Another text."}
        requests.append((idea.author, f"/ideas/{idea.id}/edit", edit))
        requests += [
            (make_user(), f"/ideas/{idea.id}/support", {}) for _ in range(SUPPORTERS)
        ]
    outcomes = post_together(app, requests)

    per_idea = 1 + SUPPORTERS
    for index, idea in enumerate(ideas):
        edit, *supports = outcomes[index * per_idea : (index + 1) * per_idea]
        assert all(s.status == 200 and s.json["supported"] for s in supports)
        stored = db.session.get(Idea, idea.id)
        backed = supports_of(idea)
        assert len(backed) == stored_count(idea) == SUPPORTERS
        if edit.status == 409:
            assert "already has supporters" in edit.refusal
            assert stored.title == f"Original {index}"
        else:
            # Saved: then it was saved before anyone supported the idea.
            assert edit.status == 302, edit
            assert stored.title == f"Changed {idea.id}"
            assert stored.updated_at < min(s.created_at for s in backed)


def test_supports_racing_the_withdrawal_all_came_before_it(app, make_user, make_idea):
    ideas = [make_idea() for _ in range(IDEAS)]
    requests = []
    for idea in ideas:
        requests.append((idea.author, f"/ideas/{idea.id}/withdraw", {}))
        requests += [
            (make_user(), f"/ideas/{idea.id}/support", {}) for _ in range(SUPPORTERS)
        ]
    outcomes = post_together(app, requests)

    per_idea = 1 + SUPPORTERS
    for index, idea in enumerate(ideas):
        withdraw, *supports = outcomes[index * per_idea : (index + 1) * per_idea]
        assert withdraw.status == 302, withdraw
        stored = db.session.get(Idea, idea.id)
        assert stored.is_withdrawn
        backed = supports_of(idea)
        # A support is there only if it came before the withdrawal; the others
        # were told why not.
        assert all(s.created_at < stored.withdrawn_at for s in backed)
        accepted = [s for s in supports if s.status == 200]
        refused = [s for s in supports if s.status != 200]
        assert len(accepted) == len(backed) == stored_count(idea)
        assert all("was withdrawn by its author" in s.refusal for s in refused)
