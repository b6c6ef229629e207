"""Notifications by e-mail: at once, in a daily digest, or not at all.

Every e-mail goes through the outbox and arrives at the real SMTP server of the
tests (`smtp_server`) once the jobs run.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ideation.auth.models import EmailPreference
from ideation.auth.operations import send_email_confirmation
from ideation.extensions import db
from ideation.jobs import queue as jobs
from ideation.jobs.models import Job, JobStatus
from ideation.notifications.digest import DIGEST_JOB, next_digest_at, send_digests
from ideation.notifications.messages import render_message
from ideation.notifications.models import Notification
from ideation.notifications.operations import notify
from ideation.notifications.preferences import set_email_preference
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError

PUBLIC_URL = "https://ideias.example.gov.br/participa"
PARAMS = {"source": "Night buses", "target": "More buses at night"}


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", body(message))


def digest_job() -> Job | None:
    return db.session.scalars(
        select(Job).where(Job.name == DIGEST_JOB, Job.status == JobStatus.PENDING.value)
    ).one_or_none()


def run_digest_now() -> None:
    """Make the pending digest job due, as the clock reaching DIGEST_HOUR would."""
    digest_job().run_after = utcnow()
    db.session.commit()
    jobs.run_pending()


# At once


def test_immediately_gets_one_email_per_notification_with_absolute_link(
    make_user, smtp_server
):
    ana = make_user(email="ana@example.org", name="Ana")
    notify([ana], "merge.supporter", "/ideas/7", **PARAMS)
    notify([ana], "merge.source_author", "/ideas/8", **PARAMS)
    db.session.commit()
    assert smtp_server.messages == []  # only the worker sends

    jobs.run_pending()

    first, second = smtp_server.messages
    assert first["To"] == second["To"] == "ana@example.org"
    assert "Your support counts there now, once." in body(first)
    assert f"{PUBLIC_URL}/ideas/7" in links(first)
    assert f"{PUBLIC_URL}/ideas/8" in links(second)
    assert first["Subject"].startswith("The idea “Night buses” was merged")
    assert f"{PUBLIC_URL}/account" in links(first)  # where to change it
    emailed = db.session.scalars(select(Notification.emailed_at)).all()
    assert len(emailed) == 2 and all(emailed)


def test_email_is_written_in_the_recipients_language(app, make_user, smtp_server):
    reader = make_user(locale="pt_BR")
    notify([reader], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()

    [message] = smtp_server.messages
    stored = db.session.scalars(select(Notification)).one()
    in_portuguese = render_message(stored, locale="pt_BR")
    assert in_portuguese != render_message(stored, locale="en")
    assert in_portuguese in body(message)


def test_notify_without_a_link_points_to_the_notifications_page(make_user, smtp_server):
    notify([make_user()], "merge.supporter", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert links(smtp_server.messages[0])[0] == f"{PUBLIC_URL}/notifications/"


def test_each_reader_gets_their_own_email_and_the_actor_none(make_user, smtp_server):
    actor, one, two = make_user(), make_user(), make_user()
    notify([actor, one, two], "merge.supporter", "/ideas/1", exclude=[actor], **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        [one.email, two.email]
    )


def test_emails_are_queued_with_the_notification_or_not_at_all(make_user, smtp_server):
    notify([make_user()], "merge.supporter", "/ideas/1", **PARAMS)
    db.session.rollback()
    jobs.run_pending()
    assert smtp_server.messages == []


# Off, unconfirmed


def test_off_gets_no_email(make_user, smtp_server):
    quiet = make_user(email_preference=EmailPreference.OFF.value)
    notify([quiet], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert smtp_server.messages == []
    assert db.session.scalars(select(Notification.emailed_at)).one() is None
    assert digest_job() is None


def test_an_unconfirmed_address_gets_no_notification_email(make_user, smtp_server):
    # It may be a typo, i.e. someone else's mailbox.
    notify([make_user(confirmed=False)], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert smtp_server.messages == []


# Daily digest


def test_daily_gets_nothing_until_the_digest_then_one_email_listing_all(
    make_user, smtp_server
):
    daily = make_user(email_preference=EmailPreference.DAILY.value)
    notify([daily], "merge.supporter", "/ideas/7", **PARAMS)
    notify([daily], "merge.target_author", "/ideas/8", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert smtp_server.messages == []
    assert digest_job().run_after > utcnow()  # waits for DIGEST_HOUR

    run_digest_now()

    [digest] = smtp_server.messages
    assert digest["To"] == daily.email
    assert digest["Subject"] == "2 new notifications on The Governor Asks"
    text = body(digest)
    assert "Your support counts there now, once." in text
    assert "its author is credited as a co-author" in text
    assert {f"{PUBLIC_URL}/ideas/7", f"{PUBLIC_URL}/ideas/8"} <= set(links(digest))
    assert all(db.session.scalars(select(Notification.emailed_at)))


def test_digest_sends_nothing_twice_and_schedules_the_next_day(make_user, smtp_server):
    daily = make_user(email_preference=EmailPreference.DAILY.value)
    notify([daily], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    run_digest_now()
    assert len(smtp_server.messages) == 1

    tomorrow = digest_job()
    assert tomorrow is not None  # the job scheduled its next run
    due = next_digest_at(tomorrow.created_at)
    assert abs(tomorrow.run_after - due) < timedelta(seconds=1)
    run_digest_now()
    assert len(smtp_server.messages) == 1  # nothing new to tell


def test_digest_leaves_out_what_was_read_or_is_too_old(app, make_user, smtp_server):
    daily = make_user(email_preference=EmailPreference.DAILY.value)
    for link in ("/ideas/1", "/ideas/2", "/ideas/3"):
        notify([daily], "merge.supporter", link, **PARAMS)
    read, old, fresh = db.session.scalars(
        select(Notification).order_by(Notification.link)
    )
    read.read_at = utcnow()
    old.created_at = utcnow() - app.config["DIGEST_LOOKBACK"] - timedelta(minutes=1)
    db.session.commit()

    assert send_digests() == 1
    db.session.commit()
    jobs.run_pending()

    [digest] = smtp_server.messages
    assert digest["Subject"] == "1 new notification on The Governor Asks"
    assert links(digest)[0] == f"{PUBLIC_URL}/ideas/3"
    assert f"{PUBLIC_URL}/ideas/1" not in links(digest)
    assert f"{PUBLIC_URL}/ideas/2" not in links(digest)


def test_digest_lists_at_most_the_configured_number(app, make_user, smtp_server):
    app.config["DIGEST_MAX_ITEMS"] = 2
    daily = make_user(email_preference=EmailPreference.DAILY.value)
    for n in range(5):
        notify([daily], "merge.supporter", f"/ideas/{n}", **PARAMS)
    db.session.commit()
    send_digests()
    db.session.commit()
    jobs.run_pending()
    [digest] = smtp_server.messages
    assert "…and 3 more." in body(digest)
    assert sum("/ideas/" in link for link in links(digest)) == 2
    assert all(db.session.scalars(select(Notification.emailed_at)))


def test_digest_is_only_for_daily_readers(make_user, smtp_server):
    at_once = make_user()
    quiet = make_user(email_preference=EmailPreference.OFF.value)
    notify([at_once, quiet], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert send_digests() == 0
    assert [m["To"] for m in smtp_server.messages] == [at_once.email]


def test_digest_hour_is_in_the_sites_time_zone(app):
    app.config.update(BABEL_DEFAULT_TIMEZONE="America/Sao_Paulo", DIGEST_HOUR=7)
    # 06:00 in São Paulo (UTC-3): today at 07:00 local, 10:00 UTC.
    early = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    assert next_digest_at(early) == datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
    # 09:00 local: tomorrow.
    late = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    assert next_digest_at(late) == datetime(2025, 3, 11, 10, 0, tzinfo=UTC)


# Preference


def test_choosing_daily_schedules_the_digest_once(make_user):
    user, other = make_user(), make_user()
    set_email_preference(user, "daily")
    set_email_preference(other, "daily")
    db.session.commit()
    assert user.email_preference == "daily"
    assert digest_job() is not None  # one job, however many ask for it


def test_an_unknown_preference_is_refused(make_user):
    user = make_user()
    with pytest.raises(DomainError, match="Choose one of the offered options"):
        set_email_preference(user, "hourly")
    assert user.email_preference == "immediately"


# Command line


def test_flask_mail_digest_sends_now(runner, make_user, smtp_server):
    daily = make_user(email_preference=EmailPreference.DAILY.value)
    notify([daily], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()

    result = runner.invoke(args=["mail", "digest"])

    assert result.exit_code == 0, result.output
    assert "Queued 1 digest e-mail(s)" in result.output
    jobs.run_pending()
    assert [m["To"] for m in smtp_server.messages] == [daily.email]


def test_flask_mail_digest_schedule_makes_the_job_pending(runner):
    result = runner.invoke(args=["mail", "digest", "--schedule"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert digest_job() is not None
    assert runner.invoke(args=["mail", "digest", "--schedule"]).exit_code == 0
    db.session.expire_all()
    assert digest_job() is not None  # still one


# Stopping them from the e-mail


def unsubscribe_link(message) -> str:
    header = message["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1]


def test_notification_emails_carry_a_one_click_unsubscribe(
    client, make_user, smtp_server
):
    ana = make_user(name="Ana")
    notify([ana], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()

    [message] = smtp_server.messages
    link = unsubscribe_link(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith(f"{PUBLIC_URL}/notifications/unsubscribe/")
    assert link in links(message)  # in the text too, for people
    path = link.removeprefix(PUBLIC_URL)
    assert client.get(path).status_code == 200  # a page; changes nothing
    db.session.refresh(ana)
    assert ana.email_preference == EmailPreference.IMMEDIATELY.value

    # What a mail program's button sends: no session, no CSRF token.
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    db.session.refresh(ana)
    assert ana.email_preference == EmailPreference.OFF.value
    notify([ana], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    assert len(smtp_server.messages) == 1  # no new e-mail


def test_the_digest_carries_the_unsubscribe_link_too(make_user, smtp_server):
    reader = make_user()
    set_email_preference(reader, "daily")
    notify([reader], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    run_digest_now()
    [message] = smtp_server.messages
    assert unsubscribe_link(message) in links(message)


def test_a_tampered_unsubscribe_link_changes_nothing(client, make_user, smtp_server):
    ana = make_user()
    notify([ana], "merge.supporter", "/ideas/7", **PARAMS)
    db.session.commit()
    jobs.run_pending()
    path = unsubscribe_link(smtp_server.messages[0]).removeprefix(PUBLIC_URL)

    response = client.post(path[:-3] + "xyz")

    assert response.status_code == 302
    db.session.refresh(ana)
    assert ana.email_preference == EmailPreference.IMMEDIATELY.value


def test_account_emails_have_no_unsubscribe(app, make_user, smtp_server):
    send_email_confirmation(make_user(confirmed=False))
    db.session.commit()
    jobs.run_pending()
    assert smtp_server.messages[0]["List-Unsubscribe"] is None
