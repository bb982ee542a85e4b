"""A real browser signs in and opens the demo event (Playwright driving Debian's Chromium)."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from eventsite import create_app
from eventsite.extensions import db
from tests.conftest import free_port, make_test_config

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("EVENTSITE_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'browser.sqlite'}", tmp_path,
                                      WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page():
    if not CHROMIUM:
        if REQUIRED:
            pytest.fail("EVENTSITE_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser.new_page()
        browser.close()


def test_sign_in_and_open_the_demo_event(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("participant@demo.eventsite.org")
    page.get_by_label("Password").fill("eventsite-demo")
    page.get_by_role("button", name="Sign in").click()
    assert "Signed in as participant@demo.eventsite.org." in page.locator(".flashes").inner_text()
    page.get_by_role("link", name="2025 STI Forum").click()
    page.get_by_role("link", name="From Divide to Synergy: Global Cooperation Frameworks for AI Capacity-Building").click()
    assert page.locator("h1").inner_text() == "From Divide to Synergy: Global Cooperation Frameworks for AI Capacity-Building"
    facts = page.locator(".facts").inner_text()
    assert "Tuesday 6 May 2025, 11:45–13:00 EDT" in facts and "Conference Room 6" in facts


def test_wrong_password_in_the_browser_keeps_the_email(live_server, page):
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mail address").fill("organiser@demo.eventsite.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "Wrong e-mail address or password." in page.content()
    assert page.get_by_label("E-mail address").input_value() == "organiser@demo.eventsite.org"
