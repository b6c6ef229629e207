"""Operations of the consultation cycle, proposals and the vote, and the score job."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.extensions import db
from ideation.jobs.models import Job
from ideation.notifications.models import Notification
from ideation.proposals.models import Phase, ProposalCredit, QuestionCycle
from ideation.proposals.operations import (
    CycleDates,
    CycleError,
    ProposalError,
    advance_phase,
    set_cycle,
    write_proposal,
)
from ideation.shared.db import utcnow
from ideation.shared.errors import PermissionDenied
from ideation.shared.roles import Role
from ideation.voting.jobs import recompute_proposal_scores
from ideation.voting.models import ProposalScore, Vote, VotePair
from ideation.voting.operations import (
    FIRST,
    SECOND,
    UNDECIDED,
    VotingError,
    cast_vote,
    issue_pair,
)
from tests.helpers import create_proposals, start_cycle


@pytest.fixture
def voting(make_question, make_idea):
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(5)]
    proposals = create_proposals(question, [[idea] for idea in ideas])
    start_cycle(question, Phase.VOTING)
    return question, proposals


def test_a_cycle_moves_through_every_phase_then_stops(make_question, make_user):
    question, official = make_question(), make_user(Role.OFFICIAL)
    set_cycle(question, official, Phase.IDEAS, CycleDates())
    seen = [advance_phase(question, official) for _ in range(4)]
    assert seen == [Phase.SYNTHESIS, Phase.VOTING, Phase.RESULTS, Phase.MEETING]
    with pytest.raises(CycleError):
        advance_phase(question, official)


def test_a_citizen_cannot_set_a_cycle(make_question, make_user):
    with pytest.raises(PermissionDenied):
        set_cycle(make_question(), make_user(), Phase.IDEAS, CycleDates())


def test_the_dates_must_follow_the_cycle(make_question, make_user):
    now = utcnow()
    dates = CycleDates(voting_opens_at=now, voting_close_at=now)
    with pytest.raises(CycleError) as refused:
        set_cycle(make_question(), make_user(Role.OFFICIAL), Phase.IDEAS, dates)
    assert refused.value.field == "voting_close_at"


def test_dates_move_the_phase_on_but_never_back():
    now = utcnow()
    cycle = QuestionCycle(
        phase=Phase.IDEAS,
        ideas_close_at=now - timedelta(days=2),
        voting_opens_at=now + timedelta(days=1),
    )
    assert cycle.current_phase(now) == Phase.SYNTHESIS
    assert cycle.current_phase(now + timedelta(days=2)) == Phase.VOTING
    cycle.phase = Phase.RESULTS
    assert cycle.current_phase(now) == Phase.RESULTS


def test_a_proposal_credits_authors_and_coauthors_once(
    make_question, make_idea, make_user
):
    question, official = make_question(), make_user(Role.OFFICIAL)
    author = make_user()
    ideas = [make_idea(question=question, author=author) for _ in range(2)]
    ideas.append(make_idea(question=question))
    proposal = write_proposal(question, official, " Title ", "Text", "Health", ideas)
    credited = db.session.scalars(
        select(ProposalCredit.user_id).where(ProposalCredit.proposal_id == proposal.id)
    ).all()
    assert sorted(credited) == sorted({author.id, ideas[2].author_id})
    assert proposal.title == "Title"
    kinds = db.session.scalars(select(Notification.user_id)).all()
    assert sorted(kinds) == sorted(credited)


def test_a_proposal_needs_ideas_of_its_question(make_question, make_idea, make_user):
    question, official = make_question(), make_user(Role.OFFICIAL)
    with pytest.raises(ProposalError):
        write_proposal(question, official, "T", "", "", [])
    with pytest.raises(ProposalError):
        write_proposal(question, official, "T", "", "", [make_idea()])


def test_issue_pair_reissues_the_unanswered_pair(voting, make_user):
    question, _proposals = voting
    voter = make_user()
    first = issue_pair(question, voter, rng=random.Random(1))
    assert issue_pair(question, voter).id == first.id
    assert first.low_id < first.high_id


def test_cast_vote_maps_the_shown_order_to_the_winner(voting, make_user):
    question, _proposals = voting
    voter = make_user()
    pair = issue_pair(question, voter, rng=random.Random(4))
    choice = cast_vote(pair, voter, SECOND)
    second = pair.shown[1]
    assert choice == ("low" if second.id == pair.low_id else "high")
    assert db.session.scalars(select(Vote.choice)).one() == choice
    with pytest.raises(VotingError):
        cast_vote(pair, voter, FIRST)


def test_a_reason_is_kept_only_for_cant_decide(voting, make_user):
    question, _proposals = voting
    voter = make_user()
    cast_vote(issue_pair(question, voter), voter, FIRST, "same")
    cast_vote(issue_pair(question, voter), voter, UNDECIDED, "same")
    cast_vote(issue_pair(question, voter), voter, UNDECIDED, "nonsense")
    reasons = db.session.scalars(select(Vote.reason).order_by(Vote.id)).all()
    assert reasons == [None, "same", None]


def test_the_score_job_stores_a_ranking(voting, make_user):
    question, proposals = voting
    best = proposals[0].id
    for _ in range(4):
        voter = make_user()
        while (pair := issue_pair(question, voter)) is not None:
            choice = FIRST if pair.shown[0].id == best else SECOND
            if best not in (pair.low_id, pair.high_id):
                choice = UNDECIDED
            cast_vote(pair, voter, choice)
            db.session.commit()
    assert db.session.scalars(select(Job.name)).all() == ["recompute_proposal_scores"]
    recompute_proposal_scores(question.id)
    db.session.commit()
    scores = db.session.scalars(
        select(ProposalScore).order_by(ProposalScore.rank)
    ).all()
    assert len(scores) == 5
    assert scores[0].proposal_id == best and scores[0].rank == 1
    assert scores[0].wins == 16 and scores[0].losses == 0
    # The four others tie: each lost to the best and could not decide otherwise.
    assert {s.rank for s in scores[1:]} == {2}
    assert all(s.undecided == 12 for s in scores[1:])
    assert db.session.scalar(select(Vote.id).limit(1)) is not None


def test_a_proposal_written_during_the_vote_is_shown_first(
    app, voting, make_user, make_idea
):
    question, _proposals = voting
    app.config["VOTE_PAIRS_AHEAD"] = 1
    for _ in range(3):
        voter = make_user()
        for _n in range(4):
            cast_vote(issue_pair(question, voter), voter, FIRST)
        db.session.commit()
    (late,) = create_proposals(question, [[make_idea(question=question)]])
    pair = issue_pair(question, make_user())
    assert late.id in (pair.low_id, pair.high_id)


def test_pairs_chosen_ahead_are_all_different(app, voting, make_user):
    question, _proposals = voting
    app.config["VOTE_PAIRS_AHEAD"] = 4
    voter = make_user()
    issue_pair(question, voter)
    pairs = db.session.scalars(select(VotePair).where(VotePair.voter_id == voter.id))
    keys = [(p.low_id, p.high_id) for p in pairs]
    assert len(keys) == 4 == len(set(keys))


def test_the_dates_move_the_stored_phase_on_by_a_job(make_question, make_user):
    from ideation.audit.models import AuditLog
    from ideation.proposals.jobs import apply_cycle_dates

    question, official = make_question(), make_user(Role.OFFICIAL)
    later = utcnow() + timedelta(days=3)
    set_cycle(question, official, Phase.IDEAS, CycleDates(ideas_close_at=later))
    db.session.commit()
    job = db.session.scalars(select(Job).where(Job.name == "apply_cycle_dates")).one()
    assert job.run_after >= later  # never before the date
    cycle = db.session.get(QuestionCycle, question.id)
    cycle.ideas_close_at = utcnow() - timedelta(minutes=1)  # the date has come
    db.session.commit()
    apply_cycle_dates(question.id)
    db.session.commit()
    assert db.session.get(QuestionCycle, question.id).phase == Phase.SYNTHESIS
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "cycle.phase_changed")
    ).one()
    assert entry.actor_id is None and entry.details["after"] == "synthesis"
