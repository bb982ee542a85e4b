"""The summary's PDF is typeset in the request, in any of the six languages, with no office suite on the server."""
import io

import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from eventsite.events.models import Event, Status
from eventsite.extensions import db
from eventsite.summaries import services
from eventsite.summaries.models import SummaryStatus
from tests.factories import make_event, make_forum, make_user
from tests.pdf_reading import SIX_LANGUAGES, read_back, squeezed

MARGIN = 2.2 / 2.54 * 72  # the layout's side margins, in points


@pytest.fixture
def demo_event(app, ctx):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    return db.session.scalar(select(Event).where(Event.slug == "from-divide-to-synergy"))


def test_the_summary_pdf_is_the_answer_to_the_request_with_every_section_and_no_office_suite(
        client, demo_event, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no other program: a fresh machine
    response = client.get(f"/events/{demo_event.slug}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="summary-{demo_event.slug}.pdf"'
    text = " ".join(read_back(response.data).split())
    for expected in ("From Divide to Synergy", "Organized by:", "Permanent Mission of Zambia to the UN", "SUMMARY",
                     "Background of the event, including connection with the theme of the 2025 STI Forum",
                     "Key issues discussed (5-8 bullet points)", "Key recommendations for action (5 - 6 bullet points)",
                     "Digital transformation and intelligent development of traditional industry",
                     "Conduct more practical exchanges and cooperation"):
        assert expected in text, expected
    assert text.count("•") == 12  # 7 key issues and 5 recommendations, as bullets
    assert PdfReader(io.BytesIO(response.data)).metadata.title.startswith("Summary: From Divide")


def _summary_in(lang):
    title, organiser, background, issues, recommendations = SIX_LANGUAGES[lang]
    forum = make_forum()
    author = make_user()
    author.locale = {"zh": "zh_Hans"}.get(lang, lang)  # the writer's language, which a Latin-script summary takes
    event = make_event(forum, organiser=author, title=title, status=Status.HELD, concept_note=False)
    summary = services.save(event, {
        "header": {"title": title, "time": "11:45 - 13:00", "date": "6 May 2025", "venue": "Conference Room 6",
                   "organisers": [organiser]},
        "sections": {"background": [background], "key_issues": issues, "recommendations": recommendations}},
        user=author, base_revision=0)
    summary.status = SummaryStatus.PUBLISHED
    db.session.commit()
    return event


def _title_line(data: bytes) -> tuple[float, float, float]:
    """Left and right ends of the first line of page 1, and the page's width, in points."""
    page = pypdfium2.PdfDocument(data)[0]
    text = page.get_textpage()
    boxes = [text.get_charbox(i) for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()]
    top = max(box[3] for box in boxes)
    line = [box for box in boxes if box[3] > top - 12]  # the title is 16 pt, the next line starts lower
    return min(box[0] for box in line), max(box[2] for box in line), page.get_width()


@pytest.mark.parametrize("lang", list(SIX_LANGUAGES))
def test_a_summary_in_each_un_language_reads_back_from_its_pdf_word_for_word(client, ctx, lang):
    title, organiser, background, issues, recommendations = SIX_LANGUAGES[lang]
    event = _summary_in(lang)
    data = client.get(f"/events/{event.slug}/summary.pdf").data
    text = squeezed(read_back(data), lang)
    for source in (title, organiser, background, *issues, *recommendations):
        assert squeezed(source, lang) in text, source
    # The script tells Arabic, Chinese and Russian; a French or Spanish summary records its writer's language.
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == lang
    left, right, width = _title_line(data)
    if lang == "ar":  # right to left: the title starts at the right margin
        assert abs(right - (width - MARGIN)) < 3 and left > MARGIN + 10
    else:
        assert abs(left - MARGIN) < 3

