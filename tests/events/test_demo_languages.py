"""The demo's Arabic and Chinese events: imported from their seeds, shown, exported, found and in the feeds."""
import io

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from eventsite.events.models import Event
from eventsite.extensions import db
from tests.pdf_reading import read_back, squeezed

EVENTS = {"ar": ("renewable-energy-arab-region", "الطاقة المتجددة من أجل التنمية المستدامة في المنطقة العربية"),
          "zh": ("digital-agriculture", "数字技术促进可持续农业")}


@pytest.fixture
def demo(app):
    with app.test_request_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_the_demo_event_in_arabic_and_in_chinese_has_its_note_and_published_summary(app, client, demo, lang):
    slug, title = EVENTS[lang]
    with app.test_request_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.title == title and event.concept_note.language == {"zh": "zh_Hans"}.get(lang, lang)
        assert event.summary.language == event.concept_note.language and event.summary.status.value == "published"
        assert len(event.concept_note.objectives) == 3 and len(event.summary.sections["recommendations"]) == 5
    page = client.get(f"/events/{slug}?lang={lang if lang == 'ar' else 'zh-Hans'}").data.decode()
    assert title in page
    summary = client.get(f"/events/{slug}/summary").data.decode()
    assert title in summary
    word = docx.Document(io.BytesIO(client.get(f"/events/{slug}/concept-note.docx").data))
    assert word.core_properties.language == {"ar": "ar-SA", "zh": "zh-CN"}[lang]
    pdf = client.get(f"/events/{slug}/summary.pdf").data
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == lang
    assert squeezed(title, lang) in squeezed(read_back(pdf), lang)
    feed = client.get("/forums/sti-forum-2025.ics").data.decode().replace("\r\n ", "")
    assert f"/events/{slug}" in feed


def test_the_programme_search_finds_the_arabic_and_chinese_events(client, demo):
    arabic = client.get("/forums/sti-forum-2025?q=الطـاقة+المُتجددة").data.decode()  # tatweel and a vowel mark typed

    assert "/events/renewable-energy-arab-region" in arabic and "/events/digital-agriculture" not in arabic
    chinese = client.get("/forums/sti-forum-2025?q=农业").data.decode()
    assert "/events/digital-agriculture" in chinese and "/events/renewable-energy-arab-region" not in chinese
