"""Pair choice and Bradley–Terry scoring, on synthetic votes (no database)."""

import random

import choix
import numpy as np
import pytest
from scipy.stats import kendalltau

from ideation.voting.pairing import choose_pair, ordered
from ideation.voting.scoring import chance_to_win, fit, ranks_of, strengths

N_PROPOSALS = 100
COMPARISONS_PER_PROPOSAL = 20


def simulate(true: np.ndarray, rng: random.Random, use_pairing: bool):
    """Votes of many voters (ten pairs each) under the Bradley–Terry model with
    the `true` strengths: (winner, loser) indexes, about COMPARISONS_PER_PROPOSAL
    per proposal."""
    n = len(true)
    shown = dict.fromkeys(range(n), 0)
    votes = []
    while len(votes) < n * COMPARISONS_PER_PROPOSAL // 2:
        used: set = set()
        for _ in range(10):
            if use_pairing:
                a, b = choose_pair(range(n), shown, used, rng)
            else:
                a, b = ordered(*rng.sample(range(n), 2))
            used.add((a, b))
            shown[a] += 1
            shown[b] += 1
            p_a = 1.0 / (1.0 + np.exp(true[b] - true[a]))
            votes.append((a, b) if rng.random() < p_a else (b, a))
    return votes, shown


# Strengths 0.1 apart on the logit scale, from -5 to 5: neighbours are nearly
# even (52.5 % to 47.5 %), the ends almost never lose to each other. With 20
# comparisons per proposal the ranking's Kendall tau against the truth is about
# 0.83 (0.78 with strengths from -3 to 3: the closer the proposals, the more
# votes a ranking needs).
TRUE = np.linspace(-5, 5, N_PROPOSALS)


@pytest.mark.parametrize("use_pairing", [True, False], ids=["adaptive", "random"])
def test_the_fitted_ranking_recovers_the_true_order(use_pairing):
    rng = random.Random(11)
    order = rng.sample(range(N_PROPOSALS), N_PROPOSALS)  # not in index order
    true = TRUE[order]
    votes, shown = simulate(true, rng, use_pairing)
    assert abs(np.mean(list(shown.values())) - COMPARISONS_PER_PROPOSAL) < 1
    fitted = fit(N_PROPOSALS, votes, draws=200)
    tau = kendalltau(true, fitted.scores).statistic
    assert tau >= 0.8, tau


def test_the_fit_agrees_with_choix_called_directly():
    rng = random.Random(5)
    votes, _shown = simulate(TRUE, rng, use_pairing=True)
    ours = strengths(N_PROPOSALS, votes)
    direct = choix.ilsr_pairwise(N_PROPOSALS, votes, alpha=0.01)
    assert np.allclose(ours, direct, atol=1e-6)
    # The score is a monotone function of the strength: the same ranking.
    scores = fit(N_PROPOSALS, votes, draws=0).scores
    assert list(np.argsort(-scores)) == list(np.argsort(-direct))


def test_scores_are_chances_between_0_and_100_with_intervals_around_them():
    rng = random.Random(3)
    votes, _ = simulate(np.linspace(-2, 2, 20), rng, use_pairing=True)
    fitted = fit(20, votes, draws=300)
    assert np.all((0 <= fitted.low) & (fitted.low <= fitted.scores))
    assert np.all((fitted.scores <= fitted.high) & (fitted.high <= 100))
    # Averaged over everyone, each match is won by one of two: mean 50.
    assert fitted.scores.mean() == pytest.approx(50, abs=1e-6)
    # Same votes, same numbers (the draws are seeded).
    again = fit(20, votes, draws=300)
    assert np.array_equal(fitted.low, again.low)


def test_more_votes_narrow_the_interval():
    rng = random.Random(8)
    true = np.linspace(-1, 1, 10)
    few, _ = simulate(true, rng, use_pairing=True)
    many = few * 8
    width_few = fit(10, few[:50]).high - fit(10, few[:50]).low
    width_many = fit(10, many).high - fit(10, many).low
    assert width_many.mean() < width_few.mean()


def test_no_votes_means_everyone_even():
    fitted = fit(3, [])
    assert list(fitted.scores) == [50.0, 50.0, 50.0]
    assert fitted.ranks == [1, 1, 1]


def test_equal_scores_share_a_rank():
    assert ranks_of(np.array([70.0, 50.0, 50.0, 30.0])) == [1, 2, 2, 4]


def test_chance_to_win_of_two_items():
    scores = chance_to_win(np.array([np.log(3), 0.0]))[0]
    assert scores == pytest.approx([75.0, 25.0])


def test_least_shown_proposals_come_first_so_late_ones_catch_up():
    shown = {1: 40, 2: 38, 3: 41, 4: 0}  # 4 was written late
    rng = random.Random(1)
    assert choose_pair([1, 2, 3, 4], shown, set(), rng) == (2, 4)


def test_never_the_same_pair_twice_nor_a_proposal_against_itself():
    rng = random.Random(2)
    ids = list(range(1, 8))
    used: set = set()
    shown: dict = {}
    while (pair := choose_pair(ids, shown, used, rng)) is not None:
        low, high = pair
        assert low < high and pair not in used
        used.add(pair)
        shown[low] = shown.get(low, 0) + 1
        shown[high] = shown.get(high, 0) + 1
    assert len(used) == 7 * 6 // 2  # every pair once, then none


def test_fewer_than_two_proposals_give_no_pair():
    assert choose_pair([5], {}, set()) is None
    assert choose_pair([], {}, set()) is None


def test_a_proposal_compared_with_all_others_gives_way():
    # 1 is least shown, but this voter already compared it with 2 and 3.
    pair = choose_pair([1, 2, 3], {1: 0, 2: 5, 3: 9}, {(1, 2), (1, 3)})
    assert pair == (2, 3)
