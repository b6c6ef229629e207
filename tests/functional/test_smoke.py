from tests.conftest import page_text


def test_home_and_about_render(client, make_question):
    make_question(title="Where should the new clinic go?")
    home = client.get("/")
    assert home.status_code == 200
    assert "Where should the new clinic go?" in page_text(home)
    about = client.get("/about")
    assert "CC BY 4.0" in page_text(about)


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/language", data={"language": "es"})
    assert response.status_code == 400


def test_language_switcher_changes_language(client):
    response = client.submit("/language", data={"language": "es", "next": "/about"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/about"
    page = client.get("/about")
    assert 'lang="es"' in page.get_data(as_text=True)


def test_language_switcher_never_redirects_off_site(client):
    response = client.submit(
        "/language", data={"language": "es", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_trusted_proxy_gives_the_client_address_to_the_app(database_url, _schema):
    from flask import request

    from config import TestingConfig
    from ideation import create_app

    class BehindProxy(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        TRUSTED_PROXIES = 1

    app = create_app(BehindProxy)
    app.add_url_rule("/_ip", "_ip", lambda: request.remote_addr)
    response = app.test_client().get(
        "/_ip",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.get_data(as_text=True) == "203.0.113.7"


def test_anonymous_post_returns_to_the_page_of_the_form(client, make_idea):
    idea = make_idea()
    response = client.submit(
        f"/ideas/{idea.id}/support",
        headers={"Referer": f"http://localhost/questions/{idea.question_id}?sort=new"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    assert "support" not in location  # never back to a POST-only address
    assert f"questions/{idea.question_id}" in location


def test_anonymous_script_gets_401_json(client, make_idea):
    idea = make_idea()
    response = client.submit(
        f"/ideas/{idea.id}/support", headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
    assert "log in" in response.get_json()["error"]


def test_anonymous_get_keeps_the_page_as_next(client):
    response = client.get("/account")
    assert response.headers["Location"] == "/login?next=/account"
