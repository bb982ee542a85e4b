"""The summary's PDF is made by a job once per revision; the page waits for it and then gives the file."""
import os
import shutil

import pytest
from sqlalchemy import func, select

from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.summaries.models import SummaryPdf


@pytest.fixture
def demo_event(app, ctx):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    return db.session.scalar(select(Event).where(Event.slug == "from-divide-to-synergy"))


def _pdfs():
    db.session.expire_all()
    return db.session.scalars(select(SummaryPdf)).all()


def test_the_pdf_is_made_by_a_job_once_per_revision_and_then_served(client, demo_event):
    if shutil.which("soffice") is None:
        if os.environ.get("EVENTSITE_REQUIRE_OFFICE") == "1":
            pytest.fail("EVENTSITE_REQUIRE_OFFICE=1 but LibreOffice is not installed")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    url = f"/events/{demo_event.slug}/summary.pdf"
    first = client.get(url)
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/events/{demo_event.slug}/summary/pdf")
    status = client.get(first.headers["Location"]).data.decode()
    assert "The PDF is ready" in status and f'content="0; url={url}"' in status
    made = _pdfs()
    assert [(p.revision, p.state) for p in made] == [(demo_event.summary.revision, "ready")]
    started = made[0].started_at
    download = client.get(url)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    assert client.get(url).data == download.data
    assert [(p.id, p.started_at) for p in _pdfs()] == [(made[0].id, started)]  # converted once


def test_without_libreoffice_the_page_says_why_and_offers_word(client, demo_event, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this server
    response = client.get(f"/events/{demo_event.slug}/summary.pdf", follow_redirects=True)
    page = response.data.decode()
    assert response.status_code == 200
    assert "The PDF could not be made" in page and "LibreOffice" in page and "summary.docx" in page
    assert [p.state for p in _pdfs()] == ["failed"]


def test_while_the_job_works_the_page_refreshes_itself_without_script(client, demo_event):
    db.session.add(SummaryPdf(event_id=demo_event.id, revision=demo_event.summary.revision))
    db.session.commit()
    page = client.get(f"/events/{demo_event.slug}/summary/pdf").data.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "being prepared" in page
    assert "<script>" not in page
    assert client.get(f"/events/{demo_event.slug}/summary.pdf").status_code == 302  # no second job
    assert db.session.scalar(select(func.count(SummaryPdf.id))) == 1
