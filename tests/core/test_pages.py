from eventsite import create_app
from tests.conftest import make_test_config
from tests.factories import make_forum, make_event
from eventsite.events.models import Status
from eventsite.extensions import db


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.data.decode()
    assert "Page not found" in page and 'href="#main"' in page


def test_base_layout_has_landmarks_skip_link_and_language(client):
    page = client.get("/").data.decode()
    for marker in ('<html lang="en" dir="ltr">', 'class="skip-link" href="#main"', '<main id="main"',
                   'role="banner"', 'role="contentinfo"', '<label for="lang-select">'):
        assert marker in page


def test_language_switcher_shows_french(client):
    client.get("/language?lang=fr&next=/")
    page = client.get("/account/login").data.decode()
    assert '<html lang="fr"' in page
    assert "Se connecter" in page


def test_spanish_from_browser_preference(client):
    page = client.get("/account/login", headers={"Accept-Language": "es-ES,es;q=0.9"}).data.decode()
    assert "Iniciar sesión" in page


def test_forms_refuse_posts_without_csrf_token(database_url, tmp_path):
    app = create_app(make_test_config(database_url, tmp_path, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    response = client.post("/account/login", data={"email": "a@example.org", "password": "whatever-123"})
    assert response.status_code == 400
    assert "Form expired" in response.data.decode()
    page = client.get("/account/login").data.decode()
    assert 'name="csrf_token"' in page


def test_server_error_page_is_styled(database_url, tmp_path):
    app = create_app(make_test_config(database_url, tmp_path, TESTING=False))

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")
    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.data.decode()


def test_event_title_is_escaped(client, ctx):
    forum = make_forum()
    make_event(forum, title="<script>alert(1)</script> panel", status=Status.PUBLISHED)
    db.session.commit()
    page = client.get(f"/forums/{forum.slug}").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; panel" in page
