"""Fixtures: one schema per test session, emptied between tests; SQLite by default,
PostgreSQL when TEST_DATABASE_URL names one."""
import os
import re
import socket
import time
from pathlib import Path
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import event as sa_event

from eventsite import create_app
from eventsite.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Commands answer in the shell's language: the suite runs in the same one on every machine.
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def make_test_config(database_url, tmp_path, **overrides):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_BACKEND": "smtp",
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: sends fail and stay in the outbox unless a test starts a server
        "SERVER_NAME": None,
        "JOBS_URL": "immediate",  # jobs run inside the caller, so mail is sent as soon as it is committed
        **overrides,
    }


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(make_test_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def ctx(app):
    """An application context, as a CLI command or service call has."""
    with app.test_request_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    """A loopback port nothing listens on, for servers a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __len__(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counting():
        counter = QueryCounter()

        def record(conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|PRAGMA)", statement):
                counter.statements.append(statement)
        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            sa_event.remove(engine, "before_cursor_execute", record)
    return counting


def login(client, email, password="correct-horse-battery"):
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.data.decode()[:500]
    return response


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield inbox
    app.config["MAIL_PORT"] = old
    controller.stop()


def wait_for_mail(inbox, count=1, timeout=5.0):
    """The messages the local SMTP server received, once there are at least count of them."""
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def mail_text(message) -> str:
    """The plain-text body of a received message."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _shared_dir():
    """The workplace's shared tools (icscheck) and bench data: SHARED_DIR, or ../shared beside the checkout."""
    for candidate in (os.environ.get("SHARED_DIR"), Path(__file__).resolve().parents[2] / "shared"):
        if candidate and (Path(candidate) / "tools" / "icscheck" / "icscheck").exists():
            return Path(candidate)
    return None


SHARED = _shared_dir()


def shared_tool(*parts) -> Path:
    """A file under ../shared; a test that needs one is skipped without it, unless CI requires it."""
    if SHARED is None:
        if os.environ.get("EVENTSITE_REQUIRE_SHARED") == "1":
            pytest.fail("EVENTSITE_REQUIRE_SHARED=1 but ../shared (icscheck, bench data) is missing")
        pytest.skip("../shared (icscheck, bench data) is not beside this checkout; set SHARED_DIR")
    return SHARED.joinpath(*parts)


def icscheck_command() -> str:
    return os.environ.get("ICSCHECK") or str(shared_tool("tools", "icscheck", "icscheck"))


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate limits stay on in tests, counted afresh for each test."""
    yield
    if "app" in request.fixturenames:
        from eventsite.extensions import limiter
        with request.getfixturevalue("app").app_context():
            limiter.reset()


# ---------------------------------------------------------------- real browser, shared by the session

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Screenshots and other files the browser tests leave for a person to look at.
BROWSER_OUTPUT = Path(os.environ.get("EVENTSITE_BROWSER_OUTPUT") or Path(__file__).resolve().parents[1]
                      / "build" / "browser")


def chromium_path():
    """Debian's Chromium; a browser test fails without it under EVENTSITE_REQUIRE_BROWSER=1, else skips."""
    import shutil
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("EVENTSITE_REQUIRE_BROWSER") == "1":
            pytest.fail("EVENTSITE_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def _chromium_process():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class CspWatchedBrowser:
    """The session's Chromium as a test sees it: every context it opens reports each Content
    Security Policy violation its pages log in the console, and the test fails on any."""

    def __init__(self, browser):
        self._browser, self.violations = browser, []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.on("console", lambda message: self.violations.append(f"{message.page and message.page.url}: "
                                                                      f"{message.text}")
                   if "Content Security Policy" in message.text else None)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def chromium(_chromium_process):
    """One Chromium for the whole session; each test opens its own context (cookies, viewport) in it,
    and every page of every test runs under the app's strict CSP without a violation."""
    watched = CspWatchedBrowser(_chromium_process)
    yield watched
    assert watched.violations == []


@contextmanager
def serving_demo(path, **config):
    """The demo data in a fresh SQLite database under path, served on loopback; yields its base URL."""
    import threading
    from werkzeug.serving import make_server
    app = create_app(make_test_config(f"sqlite:///{path / 'demo.sqlite'}", path, WTF_CSRF_ENABLED=True, **config))
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo served once for the whole session, for the tests that only read it."""
    with serving_demo(tmp_path_factory.mktemp("demo-site")) as url:
        yield url
