"""The question's count of listed ideas (Question.idea_count) equals its listed
rows after submissions, merges, reports that hide, hiding and withdrawals fired
at the same instant, on both databases."""

from sqlalchemy import func, select

from ideation.duplicates.models import IdeaMerge
from ideation.extensions import db
from ideation.ideas.models import Idea, listed_idea
from ideation.questions.models import Question
from ideation.shared.roles import Role
from tests.concurrency import post_together


def stored_count(question) -> int:
    db.session.expire_all()
    return db.session.get(Question, question.id).idea_count


def assert_counts_equal_rows() -> None:
    db.session.expire_all()
    for question in db.session.scalars(select(Question)):
        listed = db.session.scalar(
            select(func.count(Idea.id)).where(
                Idea.question_id == question.id, listed_idea()
            )
        )
        assert question.idea_count == listed, question.id


def test_submissions_at_once_are_all_counted(app, make_user, make_question):
    question = make_question()
    requests = [
        (
            make_user(),
            f"/questions/{question.id}/ideas/new",
            {
                "title": f"Night clinic number {n} in district {n * 7}",
                "description": f"Open until {n} at night.",
                "confirmed_different": "1",
            },
        )
        for n in range(12)
    ]
    outcomes = post_together(app, requests, headers={})
    assert [o.status for o in outcomes] == [302] * 12, outcomes
    assert stored_count(question) == 12
    assert_counts_equal_rows()


def test_reverse_merges_at_once_count_each_merged_idea_out_once(
    app, make_user, make_question, make_idea
):
    question = make_question()
    pairs = [
        (make_idea(question=question), make_idea(question=question)) for _ in range(4)
    ]
    url = f"/questions/{question.id}/duplicates/merge"
    requests = []
    for a, b in pairs:
        for target, source in ((a, b), (b, a)):
            form = {"target": target.id, "source": source.id, "reason": "Same."}
            requests.append((make_user(Role.MODERATOR), url, form))
    post_together(app, requests)
    assert stored_count(question) == 4
    assert_counts_equal_rows()


def test_reports_hiding_and_withdrawal_at_once_count_the_idea_out_once(
    app, make_user, make_question, make_idea
):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(3)]
    requests = []
    for idea in ideas:
        requests += [
            (make_user(), f"/flag/idea/{idea.id}", {"reason": "spam"})
            for _ in range(app.config["FLAGS_TO_HIDE"] + 2)
        ]
        requests.append(
            (
                make_user(Role.MODERATOR),
                f"/moderation/idea/{idea.id}/hide",
                {f"hide-idea-{idea.id}-reason": "Insults."},
            )
        )
        requests.append((idea.author, f"/ideas/{idea.id}/withdraw", {}))
    post_together(app, requests)
    assert stored_count(question) == 0
    assert_counts_equal_rows()


def test_restoring_and_undoing_a_merge_count_the_idea_back(
    app, client, make_user, make_question, make_idea
):
    question = make_question()
    kept, merged, hidden = (make_idea(question=question) for _ in range(3))
    moderator = make_user(Role.ADMIN)
    client.login(moderator)
    merging = client.submit(
        f"/questions/{question.id}/duplicates/merge",
        data={"target": kept.id, "source": merged.id, "reason": "Same."},
    )
    hiding = client.submit(
        f"/moderation/idea/{hidden.id}/hide",
        data={f"hide-idea-{hidden.id}-reason": "Spam."},
    )
    assert merging.status_code == hiding.status_code == 302
    assert stored_count(question) == 1
    assert_counts_equal_rows()
    client.submit(
        f"/moderation/idea/{hidden.id}/restore",
        data={f"restore-idea-{hidden.id}-reason": "Fine."},
    )
    assert stored_count(question) == 2
    merge_id = db.session.scalar(select(IdeaMerge.id))
    client.submit(f"/merges/{merge_id}/undo", data={"reason": "Not the same."})
    assert stored_count(question) == 3
    assert_counts_equal_rows()
