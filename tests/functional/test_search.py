"""Searching ideas: every word found whatever its accents and case, in
Portuguese, Spanish and English, on SQLite (FTS5) and PostgreSQL (tsvector);
filtered by status and theme; hidden, withdrawn, merged and draft ideas never
found; the query stays in the form."""

import pytest

from ideation.extensions import db
from ideation.ideas.models import IdeaStatus
from ideation.questions.models import QuestionStatus
from ideation.shared.db import utcnow
from ideation.themes.models import IdeaTheme, Theme
from tests.conftest import page_text


@pytest.fixture
def question(make_question):
    return make_question(title="Como melhorar a saúde?")


def found(client, url: str) -> set[str]:
    """The titles of the ideas a search page lists."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return {
        title
        for title in (
            "Mais médicos à noite",
            "Vacinação nas escolas",
            "Clínica móvel para o interior",
            "Más médicos en los barrios",
            "Evening clinics for workers",
            "Hidden médicos",
            "Withdrawn médicos",
            "Merged médicos",
            "Draft médicos",
            "Pending médicos",
        )
        if f">{title}<" in html.replace("&#39;", "'")
    }


@pytest.fixture
def ideas(question, make_idea, make_question):
    made = {
        title: make_idea(question=question, title=title, description=description)
        for title, description in (
            ("Mais médicos à noite", "Postos de saúde abertos até as 22h."),
            ("Vacinação nas escolas", "Campanhas de vacinação com as famílias."),
            ("Clínica móvel para o interior", "Um ônibus com MÉDICOS e enfermeiros."),
            ("Más médicos en los barrios", "Atención primaria cerca de casa."),
            ("Evening clinics for workers", "Doctors after working hours."),
        )
    }
    for title, fields in (
        ("Hidden médicos", {"hidden_at": utcnow(), "hidden_reason": "abuse"}),
        ("Pending médicos", {"hidden_at": utcnow(), "hidden_reason": ""}),
        ("Withdrawn médicos", {"status": IdeaStatus.WITHDRAWN.value}),
    ):
        made[title] = make_idea(question=question, title=title, **fields)
    made["Merged médicos"] = make_idea(
        question=question,
        title="Merged médicos",
        status=IdeaStatus.MERGED.value,
        merged_into_id=made["Mais médicos à noite"].id,
    )
    draft = make_question(status=QuestionStatus.DRAFT)
    made["Draft médicos"] = make_idea(question=draft, title="Draft médicos")
    return made


def search(question, q: str, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"q": q, **args}.items())
    return f"/questions/{question.id}/search?{query}"


@pytest.mark.parametrize(
    "typed",
    ["médicos", "medicos", "MEDICOS", "Médicos", "médico", "MÉDICOS"],
)
def test_accents_and_case_do_not_matter(client, question, ideas, typed):
    assert found(client, search(question, typed)) == {
        "Mais médicos à noite",
        "Clínica móvel para o interior",
        "Más médicos en los barrios",
    }


def test_portuguese_words_and_prefixes(client, question, ideas):
    # "vacinacao" without its cedilla and tilde; "escola" finds "escolas".
    assert found(client, search(question, "vacinacao escola")) == {
        "Vacinação nas escolas"
    }
    assert found(client, search(question, "saude")) == {"Mais médicos à noite"}
    assert found(client, search(question, "ônibus enfermeiros")) == {
        "Clínica móvel para o interior"
    }


def test_spanish_and_english(client, question, ideas):
    assert found(client, search(question, "atencion")) == {"Más médicos en los barrios"}
    assert found(client, search(question, "clinic")) == {
        "Clínica móvel para o interior",
        "Evening clinics for workers",
    }
    assert found(client, search(question, "Doctors hours")) == {
        "Evening clinics for workers"
    }


def test_every_word_must_match(client, question, ideas):
    assert found(client, search(question, "médicos noite")) == {"Mais médicos à noite"}
    assert found(client, search(question, "médicos zebra")) == set()


def test_hidden_withdrawn_merged_and_draft_ideas_are_never_found(
    client, make_user, question, ideas
):
    hidden_titles = {
        "Hidden médicos",
        "Pending médicos",
        "Withdrawn médicos",
        "Merged médicos",
        "Draft médicos",
    }
    assert not found(client, search(question, "médicos")) & hidden_titles
    assert not found(client, "/search?q=médicos") & hidden_titles
    # Not even for a moderator, who sees hidden ideas on their pages.
    from ideation.shared.roles import Role

    client.login(make_user(Role.ADMIN))
    assert not found(client, "/search?q=médicos") & hidden_titles


def test_an_edit_is_searched_at_once_and_hiding_removes_it(client, question, ideas):
    idea = ideas["Evening clinics for workers"]
    idea.title = "Ambulâncias rápidas"
    db.session.commit()
    response = client.get(search(question, "ambulancias"))
    assert "Ambulâncias rápidas" in page_text(response)
    assert found(client, search(question, "Doctors")) == set()
    idea.hidden_at = utcnow()
    idea.hidden_reason = "spam"
    db.session.commit()
    assert "Ambulâncias rápidas" not in page_text(
        client.get(search(question, "ambulancias"))
    )
    idea.hidden_at = None
    db.session.commit()
    assert "Ambulâncias rápidas" in page_text(
        client.get(search(question, "ambulancias"))
    )


def test_a_deleted_idea_leaves_the_index(client, question, ideas):
    db.session.delete(ideas["Vacinação nas escolas"])
    db.session.commit()
    assert found(client, search(question, "vacinacao")) == set()


def test_filter_by_status_keeps_the_query_in_the_form(client, question, ideas):
    idea = ideas["Mais médicos à noite"]
    idea.status = IdeaStatus.UNDER_REVIEW.value
    db.session.commit()
    response = client.get(search(question, "médicos", status="under_review"))
    assert found(client, search(question, "médicos", status="under_review")) == {
        "Mais médicos à noite"
    }
    html = response.get_data(as_text=True)
    assert 'value="médicos"' in html
    assert '<option value="under_review" selected>' in html
    assert "Under review" in page_text(response)  # the status badge


def test_filter_by_theme(client, question, ideas):
    theme = Theme(question_id=question.id, number=0, keywords=["doctors"], size=1)
    theme.model = "fake"
    db.session.add(theme)
    db.session.flush()
    db.session.add(
        IdeaTheme(idea_id=ideas["Más médicos en los barrios"].id, theme_id=theme.id)
    )
    db.session.commit()
    url = search(question, "médicos", theme=theme.id)
    assert found(client, url) == {"Más médicos en los barrios"}
    assert f'<option value="{theme.id}" selected>' in client.get(url).get_data(
        as_text=True
    )


def test_unknown_filters_are_ignored(client, question, ideas):
    url = search(question, "médicos", status="hidden", theme="99999", page="x")
    assert len(found(client, url)) == 3


def test_site_wide_search_names_the_question(client, question, ideas, make_question):
    other = make_question(title="Transporte público")
    from ideation.ideas.models import Idea

    db.session.add(
        Idea(
            question_id=other.id,
            author_id=ideas["Hidden médicos"].author_id,
            title="Ônibus com médicos",
            description="",
        )
    )
    db.session.commit()
    text = page_text(client.get("/search?q=onibus"))
    assert "Ônibus com médicos" in text and "Transporte público" in text
    assert "Clínica móvel para o interior" in text


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        "*",
        "médicos OR",
        "NEAR(a b)",
        "a & b | !c",
        "'; DROP TABLE ideas; --",
        "x" * 5000,
        "\x00médicos",
        "((",
        ":*",
        "e a o",
    ],
)
def test_any_typing_is_answered_without_error(client, question, ideas, typed):
    from urllib.parse import quote

    response = client.get(f"/questions/{question.id}/search?q={quote(typed)}")
    assert response.status_code == 200
    response = client.get(f"/search?q={quote(typed)}")
    assert response.status_code == 200


def test_an_empty_search_explains_itself(client, question):
    response = client.get(f"/questions/{question.id}/search")
    assert "Type one or more words" in page_text(response)


def test_a_draft_question_has_no_search(client, make_question):
    draft = make_question(status=QuestionStatus.DRAFT)
    assert client.get(f"/questions/{draft.id}/search?q=a").status_code == 404


def test_the_question_page_has_a_search_form_and_status_badges(client, question, ideas):
    html = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert f'action="/questions/{question.id}/search"' in html
    assert 'class="badge badge-idea badge-idea-submitted"' in html
