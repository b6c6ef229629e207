"""Status columns typed as enums: members read back, values stored, others refused."""

import pytest
from flask import render_template_string
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaStatus


def test_a_status_reads_back_as_its_member_and_prints_its_value(make_idea):
    idea = make_idea(status=IdeaStatus.SHORTLISTED.value)
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert idea.status is IdeaStatus.SHORTLISTED
    assert f"{idea.status}" == "shortlisted"
    assert render_template_string("{{ idea.status }}", idea=idea) == "shortlisted"


def test_the_database_holds_the_plain_value(make_idea):
    idea = make_idea(status=IdeaStatus.UNDER_REVIEW)
    stored = db.session.scalar(
        text("SELECT status FROM ideas WHERE id = :id"), {"id": idea.id}
    )
    assert stored == "under_review"
    found = db.session.scalar(select(Idea.id).where(Idea.status == "under_review"))
    assert found == idea.id


def test_an_unknown_status_is_refused_before_the_database(make_idea):
    idea = make_idea()
    idea.status = "pending"
    with pytest.raises(StatementError, match="pending"):
        db.session.flush()
    db.session.rollback()
