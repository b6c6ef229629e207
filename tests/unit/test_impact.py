"""Answer deadlines, the ledger and the impact dashboard's figures, on small
hand-made data: deadlines at the exact boundary and across time zones, ledger
categories, the funnel, the median time to answer, participation per period."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ideation.extensions import db
from ideation.governor.models import GovernorQuestionStatus
from ideation.ideas.models import IdeaStatus, Support
from ideation.impact import charts, ledger, queries
from ideation.impact.queries import Scope, build_funnel
from ideation.questions.models import answer_deadline
from ideation.responses.models import IdeaResponse
from ideation.shared.spreadsheet import csv_text
from tests.helpers import create_governor_question, create_measure

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
S = IdeaStatus


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def respond(idea, when, status_from=S.SUBMITTED, status_to=S.UNDER_REVIEW, **fields):
    fields.setdefault("department", "Department of Health")
    db.session.add(
        IdeaResponse(
            idea_id=idea.id,
            status_from=status_from,
            status_to=status_to,
            body="We are looking into it.",
            created_at=when,
            **fields,
        )
    )
    idea.status = status_to
    db.session.commit()


# -- the deadline ----------------------------------------------------------------------


def test_the_deadline_ends_the_last_local_day():
    # 1 March 2027, 23:30 in São Paulo is already 2 March in UTC: the local day
    # counts, and the answer is due by the end of 31 March, local time.
    end = at(2027, 3, 2, 2, 30)
    deadline = answer_deadline(end, 30, SAO_PAULO)
    assert deadline == datetime(2027, 4, 1, tzinfo=SAO_PAULO)
    assert deadline == at(2027, 4, 1, 3, 0)


def test_the_same_instant_has_another_deadline_in_another_zone():
    end = at(2027, 3, 2, 2, 30)
    assert answer_deadline(end, 30, ZoneInfo("UTC")) == at(2027, 4, 2)


def test_a_change_of_clocks_does_not_move_the_deadline_by_an_hour():
    # São Paulo's summer time began at midnight on 4 November 2018 (no 00:00
    # that day); the deadline is the start of the next local day, at -02:00.
    deadline = answer_deadline(at(2018, 10, 5, 15), 30, SAO_PAULO)
    assert deadline == at(2018, 11, 5, 2, 0)


def test_the_ideas_phase_ends_at_the_earlier_of_closing_and_closed(make_question):
    question = make_question(closes_at=at(2027, 5, 1, 15), response_days=10)
    assert question.ideas_phase_end == at(2027, 5, 1, 15)
    question.closed_at = at(2027, 4, 20, 15)
    assert question.ideas_phase_end == at(2027, 4, 20, 15)
    assert question.response_last_day(SAO_PAULO) == date(2027, 4, 30)
    question.closes_at = question.closed_at = None
    assert question.response_deadline() is None
    assert question.response_last_day() is None


def test_a_new_question_takes_the_configured_answer_period(app, make_question):
    app.config["RESPONSE_DEADLINE_DAYS"] = 12
    assert make_question().response_days == 12


# -- the ledger ------------------------------------------------------------------------


@pytest.fixture
def boundary(make_question, make_idea):
    """A question whose answers are due before 2027-04-01 03:00 UTC (midnight in
    São Paulo), with an idea answered just before, one exactly at the deadline,
    and one not answered."""
    question = make_question(closes_at=at(2027, 3, 2, 2, 30), response_days=30)
    deadline = question.response_deadline()
    assert deadline == at(2027, 4, 1, 3)
    early = make_idea(question=question, created_at=at(2027, 2, 1))
    on_the_dot = make_idea(question=question, created_at=at(2027, 2, 1))
    silent = make_idea(question=question, created_at=at(2027, 2, 1))
    respond(early, deadline - timedelta(microseconds=1))
    respond(on_the_dot, deadline)
    return question, deadline, early, on_the_dot, silent


def test_an_answer_exactly_at_the_deadline_is_late(boundary):
    question, deadline, *_ = boundary
    counts = ledger.question_counts(question, now=deadline - timedelta(seconds=1))
    assert counts.as_dict() == {"on_time": 1, "late": 1, "overdue": 0, "waiting": 1}


def test_an_unanswered_idea_is_overdue_from_the_deadline_on(boundary):
    question, deadline, *_ = boundary
    counts = ledger.question_counts(question, now=deadline)
    assert counts.as_dict() == {"on_time": 1, "late": 1, "overdue": 1, "waiting": 0}
    assert counts.on_time_share == pytest.approx(1 / 3)


def test_only_the_first_move_out_of_submitted_counts(boundary):
    question, deadline, early, on_the_dot, _silent = boundary
    # A later move of the late idea does not make it on time, nor a reversal of
    # the early one late.
    respond(on_the_dot, deadline + timedelta(days=1), S.UNDER_REVIEW, S.SHORTLISTED)
    respond(early, deadline + timedelta(days=1), S.UNDER_REVIEW, S.DECLINED)
    counts = ledger.question_counts(question, now=deadline)
    assert (counts.on_time, counts.late) == (1, 1)


def test_without_an_end_no_idea_is_late(make_question, make_idea):
    question = make_question()
    answered = make_idea(question=question)
    make_idea(question=question)
    respond(answered, at(2030, 1, 1))
    counts = ledger.question_counts(question)
    assert counts.as_dict() == {"on_time": 1, "late": 0, "overdue": 0, "waiting": 1}
    assert counts.on_time_share == 1


def test_the_ledger_leaves_out_hidden_withdrawn_and_merged_ideas(boundary, make_idea):
    question, deadline, *_ = boundary
    make_idea(question=question, hidden_at=at(2027, 2, 2), hidden_reason="spam")
    make_idea(question=question, status=S.WITHDRAWN)
    counts = ledger.question_counts(question, now=deadline)
    assert counts.total == 3


def test_the_ideas_of_a_category_page_by_page(boundary):
    question, _deadline, early, _on_the_dot, _silent = boundary
    page = ledger.question_ideas(question, ledger.ON_TIME, 1, 10)
    assert [row.idea_id for row in page.items] == [early.id]
    assert page.items[0].answered_at < question.response_deadline()
    assert page.total == 1


def test_the_site_summary_counts_each_question_against_its_own_deadline(
    boundary, make_question, make_idea
):
    question, deadline, *_ = boundary
    # Another question with a later deadline: its idea answered at the first
    # question's deadline is on time.
    other = make_question(closes_at=at(2027, 3, 20), response_days=30)
    idea = make_idea(question=other, created_at=at(2027, 3, 1))
    respond(idea, deadline)
    summary = {item.question.id: item for item in ledger.site_summary(now=deadline)}
    assert summary[question.id].counts.as_dict() == {
        "on_time": 1,
        "late": 1,
        "overdue": 1,
        "waiting": 0,
    }
    assert summary[other.id].counts.on_time == 1
    assert ledger.totals(list(summary.values())).on_time == 2


# -- the dashboard's figures -----------------------------------------------------------


def test_the_funnel_counts_ideas_now_and_those_that_reached_each_stage():
    now = {"submitted": 5, "under_review": 3, "implemented": 1, "declined": 4}
    # Two were declined under review, one when shortlisted; one has no record.
    declined_from = {"under_review": 2, "shortlisted": 1}
    funnel = build_funnel(now, declined_from)
    assert funnel.keys[-1] == "declined"
    assert funnel.values["now"] == [5, 3, 0, 0, 0, 1, 4]
    #          submitted  review  short  sel  design  impl
    assert funnel.values["reached"] == [13, 7, 2, 1, 1, 1, None]


def test_the_funnel_from_the_database(make_question, make_idea):
    question = make_question()
    make_idea(question=question)
    declined = make_idea(question=question)
    respond(declined, at(2030, 1, 1))
    respond(declined, at(2030, 1, 2), S.UNDER_REVIEW, S.DECLINED)
    make_idea(question=question, status=S.WITHDRAWN)
    funnel = queries.funnel(Scope(question.id))
    assert funnel.values["now"][:2] == [1, 0]
    assert funnel.values["reached"][:3] == [2, 1, 0]


def test_the_median_time_to_a_first_response(make_question, make_idea):
    question = make_question()
    for days in (1, 2, 10):
        idea = make_idea(question=question, created_at=at(2030, 1, 1))
        respond(idea, at(2030, 1, 1) + timedelta(days=days))
    make_idea(question=question)  # not answered: not in the median
    delays = queries.answer_delays(Scope(question.id))
    assert sorted(delays) == [1, 2, 10]
    assert queries.median(delays) == 2
    assert queries.median([]) is None


def test_participation_per_local_month_with_distinct_people(
    make_question, make_idea, make_user
):
    question = make_question(region="Serra")
    alice, bob = make_user(), make_user()
    # 1 February, 01:00 UTC is still 31 January in São Paulo.
    first = make_idea(question=question, author=alice, created_at=at(2027, 2, 1, 1))
    second = make_idea(question=question, author=bob, created_at=at(2027, 3, 15))
    db.session.add_all(
        [
            Support(idea_id=second.id, user_id=alice.id, created_at=at(2027, 3, 16)),
            Support(idea_id=first.id, user_id=bob.id, created_at=at(2027, 3, 17)),
        ]
    )
    db.session.commit()
    by_period, by_region, totals = queries.participation(Scope())
    assert by_period.keys == ["2027-01-01", "2027-02-01", "2027-03-01"]
    assert by_period.values["ideas"] == [1, 0, 1]
    assert by_period.values["supports"] == [0, 0, 2]
    assert by_period.values["people"] == [1, 0, 2]
    assert by_region.keys == ["Serra"]
    assert totals == {"ideas": 2, "supports": 2, "people": 2}


def test_participation_per_week_starts_on_monday(make_question, make_idea):
    question = make_question()
    make_idea(question=question, created_at=at(2027, 3, 7, 12))  # a Sunday
    make_idea(question=question, created_at=at(2027, 3, 8, 12))  # Monday
    by_period, _regions, _totals = queries.participation(Scope(period="week"))
    assert by_period.keys == ["2027-03-01", "2027-03-08"]
    assert by_period.values["ideas"] == [1, 1]


def test_the_public_figures_leave_out_what_moderators_hid(make_question, make_idea):
    question = make_question()
    make_idea(question=question)
    make_idea(question=question, hidden_at=at(2030, 1, 1), hidden_reason="spam")
    assert queries.compute(Scope()).totals["ideas"] == 1
    official = queries.compute(Scope(official=True))
    assert official.totals["ideas"] == 2
    hidden = dict(
        zip(official.hidden.keys, official.hidden.values["count"], strict=True)
    )
    assert hidden["hidden_ideas"] == 1


def test_governor_questions_and_measures_by_status(make_user):
    create_measure(make_user)  # in answer to an open question
    create_governor_question(make_user, hidden_at=at(2030, 1, 1), hidden_reason="x")
    public = queries.governor(Scope())
    assert public.values["questions"][public.keys.index("open")] == 1
    staff = queries.governor(Scope(official=True))
    assert staff.values["questions"][0] == 2
    assert GovernorQuestionStatus.OPEN.value == staff.keys[0]
    measures = queries.measures()
    assert measures.values["measures"][measures.keys.index("announced")] == 1


def test_departments_of_first_responses(make_question, make_idea):
    question = make_question()
    for days, department in ((1, "Health"), (3, "Health"), (2, "Transport")):
        idea = make_idea(question=question, created_at=at(2030, 1, 1))
        respond(idea, at(2030, 1, 1) + timedelta(days=days), department=department)
    departments = queries.departments(Scope(official=True))
    assert departments.keys == ["Health", "Transport"]
    assert departments.values["answered"] == [2, 1]
    assert departments.values["median_days"] == [2, 2]
    assert departments.values["on_time"] == [2, 1]


def test_the_cache_keeps_figures_for_the_configured_time(app):
    calls = []
    app.config["IMPACT_CACHE_SECONDS"] = 60
    assert queries.cached("k", lambda: calls.append(1) or len(calls)) == 1
    assert queries.cached("k", lambda: calls.append(1) or len(calls)) == 1
    app.config["IMPACT_CACHE_SECONDS"] = 0
    assert queries.cached("k", lambda: calls.append(1) or len(calls)) == 2


# -- charts and their CSV --------------------------------------------------------------


def test_a_chart_csv_neutralises_formulas(make_question, make_idea):
    make_idea(question=make_question(region="=HYPERLINK(1)"))
    figures = queries.compute(Scope())
    text = charts.charts(figures, "month", official=False)["regions"].csv()
    assert '"\'=HYPERLINK(1)"' in text
    # After the byte-order mark that tells Excel the file is UTF-8.
    assert (
        text.splitlines()[0] == '\ufeff"Region","Ideas","Supports","People taking part"'
    )


def test_csv_text_quotes_every_cell():
    assert csv_text(["a"], [["-1", "b,c"]]) == '\ufeff"a"\r\n"\'-1","b,c"\r\n'


def test_bars_scale_to_the_highest_value(app):
    chart = charts.Chart("k", "T", "D", "C", ["a", "b"], ["a", "b"], [("n", [2, 4])])
    [panel] = chart.panels()
    first, second = panel.bars
    assert second.height == charts.PLOT
    assert first.height == charts.PLOT / 2
    assert "highest 4 (b)" in chart.summary


def test_each_hour_goes_to_its_local_period_summer_time_included():
    # 1 December 2018, 01:30 UTC was 30 November, 23:30 in São Paulo (-02:00
    # in summer time): November's, and the week from Monday 26 November.
    assert queries.period_of("2018-12-01 01", "month", SAO_PAULO) == "2018-11-01"
    assert queries.period_of("2018-12-01 01", "week", SAO_PAULO) == "2018-11-26"
    assert queries.period_of("2018-12-01 02", "month", SAO_PAULO) == "2018-12-01"
