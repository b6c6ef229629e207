from datetime import timedelta

import pytest

from ideation.audit.models import AuditLog
from ideation.extensions import db
from ideation.questions.models import QuestionStatus
from ideation.questions.operations import (
    close_question,
    create_question,
    publish_question,
    update_question,
)
from ideation.shared.db import utcnow
from ideation.shared.errors import DomainError
from ideation.shared.roles import Role
from ideation.shared.text import render_markdown


def _fields(**overrides):
    fields = {
        "title": "How can we improve public transport?",
        "context": "Buses *and* trains.",
        "region": None,
        "opens_at": None,
        "closes_at": None,
    }
    fields.update(overrides)
    return fields


def _actions(question):
    entries = db.session.scalars(
        db.select(AuditLog)
        .filter_by(target_type="questions", target_id=question.id)
        .order_by(AuditLog.id)
    )
    return [entry.action for entry in entries]


def test_create_makes_an_audited_draft(make_user):
    official = make_user(Role.OFFICIAL)
    question = create_question(official, **_fields())
    db.session.commit()
    assert question.status == QuestionStatus.DRAFT.value
    assert not question.is_public()
    assert _actions(question) == ["question.created"]


def test_closing_date_in_the_past_is_refused(make_user):
    official = make_user(Role.OFFICIAL)
    with pytest.raises(DomainError):
        create_question(official, **_fields(closes_at=utcnow() - timedelta(days=1)))


def test_publish_then_close(make_user):
    official = make_user(Role.OFFICIAL)
    question = create_question(official, **_fields())
    publish_question(question, official)
    assert question.is_open()
    assert question.published_at is not None
    close_question(question, official)
    db.session.commit()
    assert question.status == QuestionStatus.CLOSED.value
    assert not question.is_open()
    assert question.is_public()
    assert _actions(question) == [
        "question.created",
        "question.published",
        "question.closed",
    ]


def test_only_drafts_publish_and_only_published_close(make_question, make_user):
    official = make_user(Role.OFFICIAL)
    draft = make_question(status=QuestionStatus.DRAFT)
    with pytest.raises(DomainError):
        close_question(draft, official)
    published = make_question()
    with pytest.raises(DomainError):
        publish_question(published, official)


def test_closed_question_cannot_be_edited(make_question, make_user):
    official = make_user(Role.OFFICIAL)
    question = make_question(status=QuestionStatus.CLOSED)
    with pytest.raises(DomainError):
        update_question(question, official, **_fields(title="New title"))


def test_update_records_changed_fields(make_question, make_user):
    official = make_user(Role.OFFICIAL)
    question = make_question(region=None, context="Old")
    update_question(
        question, official, **_fields(title=question.title, context="New context")
    )
    db.session.commit()
    entry = db.session.scalars(
        db.select(AuditLog).filter_by(action="question.updated")
    ).one()
    assert entry.details == {"changed": ["context"]}
    assert question.context == "New context"


def test_open_depends_on_dates(make_question):
    now = utcnow()
    not_yet = make_question(opens_at=now + timedelta(hours=1))
    over = make_question(
        opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    running = make_question(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    assert not not_yet.is_open()
    assert not over.is_open()
    assert running.is_open()


def test_the_context_is_stored_rendered_and_rendered_again_on_edit(make_user):
    official = make_user(Role.OFFICIAL)
    question = create_question(official, **_fields(context="Buses *and* trains."))
    db.session.commit()
    db.session.expire_all()
    assert question.context_html == "<p>Buses <em>and</em> trains.</p>"
    update_question(
        question, official, **_fields(context="**Only** <script>x</script>")
    )
    db.session.commit()
    db.session.expire_all()
    assert question.context_html == "<p><strong>Only</strong> </p>"
    assert str(question.context_markup) == question.context_html


def test_markdown_rerender_replaces_html_made_under_other_rules(app, make_user):
    official = make_user(Role.OFFICIAL)
    question = create_question(official, **_fields(context="Visit gov.br"))
    question.context_html = "<p>rendered by older rules</p>"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["markdown", "rerender"])
    assert result.exit_code == 0, result.output
    assert "questions.context_html: 1 re-rendered" in result.output
    db.session.expire_all()
    assert question.context_html == str(render_markdown("Visit gov.br"))
    assert 'href="http://gov.br"' in question.context_html
