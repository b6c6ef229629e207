"""Answers fired at the same instant, on both databases: an issued pair records one
vote however many requests answer it, and many voters at once all count."""

from sqlalchemy import func, select

from ideation.extensions import db
from ideation.proposals.models import Phase
from ideation.voting.models import Vote, VotePair
from tests.concurrency import post_together
from tests.helpers import create_proposals, start_cycle

REQUESTS = 8


def voting_question(make_question, make_idea, proposals=4):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(proposals)]
    created = create_proposals(question, [[idea] for idea in ideas])
    start_cycle(question, Phase.VOTING)
    return question, created


def issue(question, voter, low, high) -> VotePair:
    pair = VotePair(
        question_id=question.id, voter_id=voter.id, low_id=low.id, high_id=high.id
    )
    db.session.add(pair)
    db.session.commit()
    return pair


def test_two_answers_to_one_pair_record_one_vote(
    app, make_user, make_question, make_idea
):
    question, (a, b, *_rest) = voting_question(make_question, make_idea)
    voter = make_user()
    pair = issue(question, voter, a, b)
    url = f"/questions/{question.id}/vote/{pair.id}"
    outcomes = post_together(
        app, [(voter, url, {"answer": "first"}), (voter, url, {"answer": "second"})]
    )
    statuses = sorted(outcome.status for outcome in outcomes)
    assert statuses == [200, 409], outcomes
    refused = next(o for o in outcomes if o.status == 409)
    assert refused.refusal == "You already answered this pair."
    votes = db.session.scalars(select(Vote).where(Vote.pair_id == pair.id)).all()
    assert len(votes) == 1


def test_many_answers_to_one_pair_record_one_vote(
    app, make_user, make_question, make_idea
):
    question, (a, b, *_rest) = voting_question(make_question, make_idea)
    voter = make_user()
    pair = issue(question, voter, a, b)
    url = f"/questions/{question.id}/vote/{pair.id}"
    outcomes = post_together(app, [(voter, url, {"answer": "first"})] * REQUESTS)
    assert sorted(o.status for o in outcomes) == [200] + [409] * (REQUESTS - 1)
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1


def test_many_voters_at_once_all_count(app, make_user, make_question, make_idea):
    question, (a, b, *_rest) = voting_question(make_question, make_idea)
    voters = [make_user() for _ in range(REQUESTS)]
    pairs = [issue(question, voter, a, b) for voter in voters]
    outcomes = post_together(
        app,
        [
            (voter, f"/questions/{question.id}/vote/{pair.id}", {"answer": "first"})
            for voter, pair in zip(voters, pairs, strict=True)
        ],
    )
    assert all(o.status == 200 for o in outcomes), outcomes
    # Each got a next pair of its own, never the one just answered.
    assert all(o.json["next"] for o in outcomes)
    assert db.session.scalar(select(func.count()).select_from(Vote)) == REQUESTS
