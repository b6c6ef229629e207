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
