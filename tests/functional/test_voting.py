"""The pairwise vote through the client: the vote page, answers with and without
the page's script, refusals, the results and their downloads, the meeting."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job
from ideation.proposals.models import Phase, QuestionCycle
from ideation.sessions.models import DesignSession, Invitation
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from ideation.shortlist.models import ShortlistEntry
from ideation.voting.models import ProposalScore, Vote, VotePair
from tests.conftest import page_text
from tests.helpers import create_proposals, start_cycle

JSON = {"Accept": "application/json"}


@pytest.fixture
def voting(make_user, make_question, make_idea):
    """A question in its voting phase with four proposals, one idea each."""
    question = make_question()
    ideas = [make_idea(question=question) for _ in range(4)]
    proposals = create_proposals(
        question, [[idea] for idea in ideas], sub_themes=("Clinics", "Transport")
    )
    start_cycle(question, Phase.VOTING)
    return question, ideas, proposals


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def pair_id_on(response) -> int:
    html = response.get_data(as_text=True)
    marker = "/vote/"
    start = html.index(marker) + len(marker)
    return int(html[start : html.index('"', start)])


def test_the_vote_page_shows_two_proposals_of_the_question(client, make_user, voting):
    question, _ideas, proposals = voting
    client.login(make_user())
    response = client.get(f"/questions/{question.id}/vote")
    assert response.status_code == 200
    text = page_text(response)
    shown = [p for p in proposals if p.title in text]
    assert len(shown) == 2
    assert "I can't decide" in text
    assert "Add your own idea" in text
    # The same page again shows the same, still unanswered, pair.
    again = client.get(f"/questions/{question.id}/vote")
    assert pair_id_on(again) == pair_id_on(response)
    assert count(VotePair) == 5  # VOTE_PAIRS_AHEAD chosen at once


def test_a_plain_form_answer_records_the_vote_and_shows_the_next_pair(
    client, make_user, voting
):
    question, _ideas, _proposals = voting
    voter = make_user()
    client.login(voter)
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    response = client.submit(
        f"/questions/{question.id}/vote/{pair_id}", {"answer": "first"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questions/{question.id}/vote")
    vote = db.session.scalars(select(Vote)).one()
    pair = db.session.get(VotePair, pair_id)
    first = pair.shown[0]
    assert (vote.choice == "low") == (first.id == pair.low_id)
    assert pair.answered_at is not None
    following = client.get(response.headers["Location"])
    assert "Your vote is counted." in page_text(following)
    assert pair_id_on(following) != pair_id
    # The scores are refitted by a job, debounced, never in the request.
    assert count(Job, Job.name == "recompute_proposal_scores") == 1
    assert count(ProposalScore) == 0


def test_the_script_gets_the_next_pair_as_json(client, make_user, voting):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    response = client.submit(
        f"/questions/{question.id}/vote/{pair_id}",
        {"answer": "undecided", "reason": "dont_know"},
        headers=JSON,
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["answered"] == 1
    assert data["next"]["action"].startswith(f"/questions/{question.id}/vote/")
    assert data["next"]["first"]["title"] != data["next"]["second"]["title"]
    vote = db.session.scalars(select(Vote)).one()
    assert (vote.choice, vote.reason) == ("undecided", "dont_know")


def test_a_voter_never_gets_the_same_pair_twice_and_is_told_when_done(
    client, make_user, voting
):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    seen = set()
    for _ in range(6):  # four proposals: six pairs
        pair = db.session.get(VotePair, pair_id)
        seen.add((pair.low_id, pair.high_id))
        data = client.submit(
            f"/questions/{question.id}/vote/{pair_id}",
            {"answer": "second"},
            headers=JSON,
        ).get_json()
        if data["next"] is None:
            break
        pair_id = int(data["next"]["action"].rsplit("/", 1)[1])
    assert len(seen) == 6
    assert data["next"] is None
    assert "compared every pair" in page_text(
        client.get(f"/questions/{question.id}/vote")
    )


def test_a_pair_is_answered_once(client, make_user, voting):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    url = f"/questions/{question.id}/vote/{pair_id}"
    assert client.submit(url, {"answer": "first"}).status_code == 302
    again = client.submit(url, {"answer": "second"}, headers=JSON)
    assert again.status_code == 409
    assert again.get_json()["error"] == "You already answered this pair."
    assert count(Vote) == 1


def test_someone_elses_pair_is_refused(client, make_user, voting):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    other = make_user()
    client.submit("/logout")
    client.login(other)
    response = client.submit(
        f"/questions/{question.id}/vote/{pair_id}", {"answer": "first"}
    )
    assert response.status_code == 403
    assert count(Vote) == 0


def test_a_missing_or_unknown_answer_is_refused_in_words(client, make_user, voting):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    response = client.submit(
        f"/questions/{question.id}/vote/{pair_id}", {"answer": "both"}, headers=JSON
    )
    assert response.status_code == 400
    assert "Choose one of the two proposals" in response.get_json()["error"]
    assert count(Vote) == 0


def test_voting_outside_the_voting_phase_is_refused(client, make_user, voting):
    question, _ideas, _proposals = voting
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    db.session.get(QuestionCycle, question.id).phase = Phase.RESULTS
    db.session.commit()
    response = client.submit(
        f"/questions/{question.id}/vote/{pair_id}", {"answer": "first"}, headers=JSON
    )
    assert response.status_code == 409
    assert "not open" in response.get_json()["error"]
    page = client.get(f"/questions/{question.id}/vote", follow_redirects=True)
    assert "not open" in page_text(page)


def test_a_question_without_cycle_has_no_vote(client, make_user, make_question):
    question = make_question()
    client.login(make_user())
    response = client.get(f"/questions/{question.id}/vote")
    assert response.status_code == 302
    assert "Run this question as a consultation cycle" not in page_text(
        client.get(f"/questions/{question.id}")
    )


def test_votes_are_rate_limited_per_account(app, client, make_user, voting):
    question, _ideas, _proposals = voting
    app.config["VOTE_LIMIT_PER_ACCOUNT"] = "2 per minute"
    client.login(make_user())
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    statuses = []
    for _ in range(3):
        response = client.submit(
            f"/questions/{question.id}/vote/{pair_id}",
            {"answer": "first"},
            headers=JSON,
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            pair_id = int(response.get_json()["next"]["action"].rsplit("/", 1)[1])
    assert statuses == [200, 200, 429]


def _vote_all(client, question, answer="first", times=6):
    pair_id = pair_id_on(client.get(f"/questions/{question.id}/vote"))
    for _ in range(times):
        data = client.submit(
            f"/questions/{question.id}/vote/{pair_id}", {"answer": answer}, headers=JSON
        ).get_json()
        if not data["next"]:
            return
        pair_id = int(data["next"]["action"].rsplit("/", 1)[1])


def test_results_scores_exports_and_the_meeting(client, make_user, voting):
    question, ideas, proposals = voting
    for _ in range(3):
        client.login(make_user())
        _vote_all(client, question)
        client.submit("/logout")
    # Not public while voting goes on.
    assert "published when voting closes" in page_text(
        client.get(f"/questions/{question.id}/results")
    )
    assert client.get(f"/questions/{question.id}/results.csv").status_code == 404
    assert jobs.run_pending() == 0  # the score job waits for the debounce delay
    db.session.get(QuestionCycle, question.id).phase = Phase.RESULTS
    db.session.commit()
    # The delay passes.
    for job in db.session.scalars(select(Job)):
        job.run_after = utcnow()
    db.session.commit()
    jobs.run_pending()
    assert count(ProposalScore) == 4
    page = client.get(f"/questions/{question.id}/results")
    text = page_text(page)
    assert "Chance to win" in text and "last computed" in text
    assert "<svg" in page.get_data(as_text=True)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/questions/{question.id}/results.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0][:3] == ["rank", "proposal_id", "title"]
    assert len(rows) == 5
    data = json.loads(client.get(f"/questions/{question.id}/results.json").data)
    assert len(data["proposals"]) == 4 and data["votes"] == 18
    ranks = [p["rank"] for p in data["proposals"]]
    assert ranks == sorted(ranks)
    by_sub_theme = client.get(f"/questions/{question.id}/results?sub_theme=Clinics")
    assert proposals[1].title not in page_text(by_sub_theme)

    official = make_user(Role.OFFICIAL)
    client.login(official)
    assert client.get(f"/questions/{question.id}/meeting").status_code == 200
    response = client.submit(f"/questions/{question.id}/meeting/shortlist")
    assert response.status_code == 302
    assert count(ShortlistEntry) == 4
    starts = "2031-05-04T10:00"
    response = client.submit(
        f"/questions/{question.id}/meeting",
        {
            "title": "Meeting with the governor",
            "starts_at": starts,
            "ends_at": "2031-05-04T12:00",
            "place": "Palácio Piratini",
            "capacity": "60",
        },
    )
    assert response.status_code == 302, page_text(response)[:3000]
    session = db.session.scalars(select(DesignSession)).one()
    invited = {i.user_id for i in db.session.scalars(select(Invitation))}
    assert invited == {idea.author_id for idea in ideas}
    assert session.capacity == 60
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"meeting.shortlisted", "meeting.invited", "session.scheduled"} <= actions


def test_votes_of_blocked_accounts_do_not_count(client, make_user, voting):
    question, _ideas, _proposals = voting
    blocked = make_user()
    client.login(blocked)
    _vote_all(client, question)
    blocked.blocked_at = utcnow()
    db.session.commit()
    from ideation.voting.queries import votes_for_scoring

    _ids, comparisons, _counts = votes_for_scoring(question.id)
    assert comparisons == []


def test_the_download_of_ones_data_has_ones_votes_and_credits(
    client, make_user, voting
):
    question, ideas, proposals = voting
    author = ideas[0].author
    client.login(author)
    _vote_all(client, question, times=2)
    other = make_user()
    client.submit("/logout")
    client.login(other)
    _vote_all(client, question, times=1)
    client.submit("/logout")
    client.login(author)
    data = json.loads(client.submit("/account/export").get_data(as_text=True))
    assert len(data["pairwise_votes"]) == 2
    assert all(v["question_id"] == question.id for v in data["pairwise_votes"])
    assert data["credited_on_proposals"] == [
        {"id": proposals[0].id, "title": proposals[0].title}
    ]


def test_an_unconfirmed_account_is_asked_to_confirm_before_voting(
    client, make_user, voting
):
    question, _ideas, _proposals = voting
    client.login(make_user(confirmed=False))
    page = client.get(f"/questions/{question.id}/vote", follow_redirects=True)
    assert "Confirm your e-mail address" in page_text(page)
    assert count(VotePair) == 0
