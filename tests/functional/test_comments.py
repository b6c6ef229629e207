"""Comments on ideas: who may comment and reply (one level), officials marked and
audited, the idea's author told, reports and hiding like ideas, the limit per
account, and what was typed kept when a comment is refused."""

import pytest
from sqlalchemy import func, select

from ideation.audit.models import AuditLog
from ideation.comments.models import Comment
from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.notifications.models import Notification
from ideation.questions.models import QuestionStatus
from ideation.shared.db import utcnow
from ideation.shared.roles import Role
from tests.conftest import page_text


@pytest.fixture
def author(make_user):
    return make_user(name="Ana Autora")


@pytest.fixture
def idea(make_idea, author):
    return make_idea(author=author, title="Postos abertos à noite")


def comment(client, idea, body, parent=None):
    data = {"body": body, "parent_id": parent.id if parent else ""}
    return client.submit(f"/ideas/{idea.id}/comments", data=data)


def comments() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def notifications_of(user) -> list[Notification]:
    return list(
        db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    )


def test_a_citizen_comments_and_the_author_is_told(client, make_user, idea, author):
    client.login(make_user(name="Carla Cidadã"))
    response = comment(client, idea, "Ótima ideia: o posto da Vila fecha às 17h.")
    assert response.status_code == 302
    [made] = comments()
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}#comment-{made.id}")
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "o posto da Vila fecha às 17h" in page and "Carla Cidadã" in page
    assert "Government official" not in page
    [note] = notifications_of(author)
    assert note.kind == "comments.on_idea" and note.params["name"] == "Carla Cidadã"
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_commenting_on_ones_own_idea_tells_nobody(client, idea, author):
    client.login(author)
    assert comment(client, idea, "Complemento: também aos sábados.").status_code == 302
    assert notifications_of(author) == []


def test_a_reply_to_a_comment_tells_both_authors(client, make_user, idea, author):
    first = make_user()
    client.login(first)
    comment(client, idea, "Primeiro comentário.")
    [top] = comments()
    other = client.application.test_client()
    other.login(make_user(name="Rui"))
    response = comment(other, idea, "Concordo com você.", parent=top)
    assert response.status_code == 302
    reply = comments()[-1]
    assert reply.parent_id == top.id
    assert [n.kind for n in notifications_of(first)] == ["comments.reply"]
    assert sorted(n.kind for n in notifications_of(author)) == [
        "comments.on_idea",
        "comments.on_idea",
    ]
    html = other.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'class="comment-replies"' in html


def test_no_reply_to_a_reply(client, make_user, idea):
    client.login(make_user())
    comment(client, idea, "Primeiro.")
    [top] = comments()
    comment(client, idea, "Resposta.", parent=top)
    reply = comments()[-1]
    response = comment(client, idea, "Resposta da resposta.", parent=reply)
    assert response.status_code == 200
    assert "replies are not threaded" in page_text(response)
    assert "Resposta da resposta." in response.get_data(as_text=True)  # kept
    assert len(comments()) == 2


def test_no_reply_across_ideas(client, make_user, make_idea, idea):
    other_idea = make_idea()
    client.login(make_user())
    comment(client, other_idea, "Em outra ideia.")
    [elsewhere] = comments()
    response = comment(client, idea, "Cruzado.", parent=elsewhere)
    assert response.status_code == 200
    assert "not on this idea" in page_text(response)
    assert len(comments()) == 1


def test_an_officials_comment_is_marked_and_audited(client, make_user, idea):
    official = make_user(Role.OFFICIAL, name="Secretaria")
    client.login(official)
    comment(client, idea, "Vamos estudar a proposta com a Secretaria da Saúde.")
    [made] = comments()
    assert made.official
    assert "Government official" in page_text(client.get(f"/ideas/{idea.id}"))
    [entry] = db.session.scalars(select(AuditLog))
    assert (entry.action, entry.target_type, entry.target_id) == (
        "comment.official",
        "comments",
        made.id,
    )
    assert entry.actor_id == official.id


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_comments(client, make_user, idea, role):
    client.login(make_user(role))
    assert comment(client, idea, "Comentário da equipe.").status_code == 302
    [made] = comments()
    assert made.official == (role == Role.ADMIN)


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Write your comment."),
        ("   ", "Write your comment."),
        ("x" * 2001, "at most 2000 characters"),
        ("bad \x00 byte", ""),
    ],
)
def test_bad_comments_are_refused_and_kept(client, make_user, idea, body, message):
    client.login(make_user())
    response = comment(client, idea, body)
    assert response.status_code == 200
    assert message in page_text(response)
    assert comments() == []


def test_anonymous_visitors_log_in_first(client, idea):
    response = comment(client, idea, "Sem conta.")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Log in to comment." in page_text(client.get(f"/ideas/{idea.id}"))
    assert comments() == []


def test_an_unconfirmed_account_cannot_comment(client, make_user, idea):
    client.login(make_user(confirmed=False))
    response = comment(client, idea, "Ainda não confirmei.")
    assert response.status_code == 200
    assert "Confirm your e-mail address" in page_text(response)
    assert comments() == []


@pytest.mark.parametrize(
    "fields",
    [
        {"hidden_at": utcnow(), "hidden_reason": "spam"},
        {"status": IdeaStatus.WITHDRAWN.value},
    ],
)
def test_no_comments_on_hidden_or_withdrawn_ideas(client, make_user, idea, fields):
    for name, value in fields.items():
        setattr(idea, name, value)
    db.session.commit()
    client.login(make_user())
    response = comment(client, idea, "Ainda dá?")
    assert response.status_code == 302
    assert "no longer takes comments" in page_text(client.get(f"/ideas/{idea.id}"))
    assert comments() == []


def test_ideas_of_a_draft_question_are_not_found(
    client, make_user, make_idea, make_question
):
    idea = make_idea(question=make_question(status=QuestionStatus.DRAFT))
    client.login(make_user())
    assert comment(client, idea, "Rascunho.").status_code == 404


def test_the_limit_per_account(app, client, make_user, idea):
    app.config["COMMENT_LIMIT_PER_ACCOUNT"] = "2 per hour"
    client.login(make_user())
    assert comment(client, idea, "Um.").status_code == 302
    assert comment(client, idea, "Dois.").status_code == 302
    assert comment(client, idea, "Três.").status_code == 429
    assert len(comments()) == 2


def test_a_comment_link_leads_to_its_place(client, make_user, idea):
    client.login(make_user())
    comment(client, idea, "Aqui.")
    [made] = comments()
    response = client.get(f"/comments/{made.id}")
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}#comment-{made.id}")
    assert client.get("/comments/999999").status_code == 404


# -- reports and moderation -----------------------------------------------------


def _reported_comment(app, make_user, idea, times):
    writer = app.test_client()
    writer.login(make_user(name="Spammer"))
    comment(writer, idea, "Compre seguidores baratos!!!")
    [made] = comments()
    for n in range(times):
        reporter = app.test_client()
        reporter.environ_base["REMOTE_ADDR"] = f"10.0.1.{n}"
        reporter.login(make_user())
        response = reporter.submit(f"/flag/comment/{made.id}", data={"reason": "spam"})
        assert response.status_code == 302
    db.session.refresh(made)
    return made


def test_enough_reports_hide_a_comment_pending_review(app, client, make_user, idea):
    made = _reported_comment(app, make_user, idea, app.config["FLAGS_TO_HIDE"])
    assert made.hidden_at is not None and not made.hidden_reason
    text = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Compre seguidores" not in text
    assert "This comment was hidden by the moderators." in text
    # Its author still reads it, and is told.
    writer = made.author
    assert "moderation.hidden_pending" in [n.kind for n in notifications_of(writer)]


def test_a_moderator_hides_a_reported_comment_and_is_audited(
    app, client, make_user, idea
):
    made = _reported_comment(app, make_user, idea, 1)
    moderator = make_user(Role.MODERATOR)
    client.login(moderator)
    queue = page_text(client.get("/moderation"))
    assert "Comment on the idea “Postos abertos à noite”" in queue
    assert "Compre seguidores baratos" in queue
    client.submit(
        f"/moderation/comment/{made.id}/hide",
        data={f"hide-comment-{made.id}-reason": "Spam."},
    )
    db.session.refresh(made)
    assert made.hidden_at is not None and made.hidden_reason == "Spam."
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "comment.hidden")
    ).one()
    assert entry.actor_id == moderator.id and entry.target_type == "comments"
    public = app.test_client()
    text = page_text(public.get(f"/ideas/{idea.id}"))
    assert "Compre seguidores" not in text and "Spam." in text


def test_one_cannot_report_ones_own_comment(client, make_user, idea):
    writer = make_user()
    client.login(writer)
    comment(client, idea, "Meu comentário.")
    [made] = comments()
    response = client.submit(f"/flag/comment/{made.id}", data={"reason": "spam"})
    assert "You cannot report your own comment." in page_text(response)


def test_the_audit_log_links_an_officials_comment(client, make_user, idea):
    client.login(make_user(Role.ADMIN))
    comment(client, idea, "Resposta oficial.")
    [made] = comments()
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/comments/{made.id}"' in html
