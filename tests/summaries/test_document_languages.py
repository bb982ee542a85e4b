"""A concept note and a summary carry their language; their Word and PDF exports are in it: the
document's language set, Arabic right to left, and the fixed labels translated."""
import io

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from eventsite.events import services as events
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.summaries import services
from eventsite.summaries.models import SummaryStatus
from tests.factories import make_event, make_forum, make_user
from tests.pdf_reading import read_back

ARABIC_NOTE = {"background": "<p>تملك المنطقة العربية بعضاً من أعلى معدلات الإشعاع الشمسي في العالم.</p>",
               "objectives": ["تبادل الخبرات في مشاريع الطاقة الشمسية"], "target_audience": ["الوفود"],
               "guiding_questions": ["كيف يمكن خفض تكلفة التمويل؟"]}
FRENCH_NOTE = {"background": "<p>Les peuples autochtones gèrent une grande part des terres.</p>",
               "objectives": ["Faire connaître des partenariats"], "target_audience": ["Délégations"],
               "guiding_questions": ["Qui décide ?"]}


def _writer(locale):
    user = make_user()
    user.locale = locale
    return user


def _event_with_note(content, writer, title):
    event = make_event(make_forum(), organiser=writer, title=title, status=Status.PUBLISHED, concept_note=False)
    events.save_concept_note(event, content, user=writer)
    db.session.commit()
    return event


def _word(data):
    document = docx.Document(io.BytesIO(data))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return document, defaults


def test_a_concept_note_records_the_language_of_its_script_else_of_its_writer(ctx):
    arabic = _event_with_note(ARABIC_NOTE, _writer("fr"), "الطاقة المتجددة")
    french = _event_with_note(FRENCH_NOTE, _writer("fr"), "Savoirs autochtones")
    english_writer = _event_with_note(FRENCH_NOTE, _writer(None), "Savoirs autochtones 2")
    assert (arabic.concept_note.language, french.concept_note.language, english_writer.concept_note.language) == (
        "ar", "fr", "en")


def test_an_arabic_concept_note_in_word_is_arabic_and_right_to_left_throughout(client, ctx):
    event = _event_with_note(ARABIC_NOTE, _writer("ar"), "الطاقة المتجددة")
    document, defaults = _word(client.get(f"/events/{event.slug}/concept-note.docx").data)
    assert document.core_properties.language == "ar-SA"
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert run.find(qn("w:lang")).get(qn("w:val")) == "ar-SA" and run.find(qn("w:rtl")) is not None
    assert defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:bidi")) is not None
    texts = [p.text for p in document.paragraphs]
    assert "1. معلومات أساسية" in texts and "2. الأهداف" in texts  # the headings in the note's language
    assert any(t.startswith("الجهات المنظِّمة:") for t in texts)


def test_a_french_concept_note_exports_french_labels_and_a_french_pdf(client, ctx):
    event = _event_with_note(FRENCH_NOTE, _writer("fr"), "Savoirs autochtones")
    document, defaults = _word(client.get(f"/events/{event.slug}/concept-note.docx").data)
    assert document.core_properties.language == "fr-FR"
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rtl")) is None
    texts = [p.text for p in document.paragraphs]
    assert "1. Contexte" in texts and "2. Objectifs" in texts
    assert any(t.startswith("mardi 6 mai 2025, 11:45–13:00 EDT") for t in texts)
    assert any(t.startswith("Organisé par :") for t in texts)
    data = client.get(f"/events/{event.slug}/concept-note.pdf").data
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "fr"
    assert "Contexte" in read_back(data) and "Organisé par :" in read_back(data)


def test_a_summary_in_arabic_exports_an_arabic_right_to_left_word_file_and_pdf(client, ctx):
    writer = _writer("en")
    event = make_event(make_forum(), organiser=writer, title="المياه والطاقة", status=Status.HELD, concept_note=False)
    summary = services.save(event, {
        "header": {"title": "المياه والطاقة", "time": "11:45 - 13:00", "date": "6 May 2025",
                   "venue": "Conference Room 6", "organisers": ["الإسكوا"]},
        "sections": {"background": ["تواجه المنطقة العربية ندرة في المياه."],
                     "key_issues": ["تحلية المياه"], "recommendations": ["دعم مشاريع التحلية"]}},
        user=writer, base_revision=0)
    summary.status = SummaryStatus.PUBLISHED
    db.session.commit()
    assert summary.language == "ar"
    document, defaults = _word(client.get(f"/events/{event.slug}/summary.docx").data)
    assert document.core_properties.language == "ar-SA"
    assert defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:bidi")) is not None
    assert "الجهات المنظِّمة:" in [p.text for p in document.paragraphs]
    pdf = client.get(f"/events/{event.slug}/summary.pdf").data
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "ar"


def test_a_concept_note_exported_to_word_in_each_language_imports_back_the_same(client, ctx):
    from eventsite.events import concept_note_io
    for locale, content, title in (("ar", ARABIC_NOTE, "الطاقة المتجددة"), ("fr", FRENCH_NOTE, "Savoirs"),
                                   ("en", FRENCH_NOTE, "Savoirs en anglais")):
        event = _event_with_note(content, _writer(locale), title)
        data = client.get(f"/events/{event.slug}/concept-note.docx").data
        result = concept_note_io.parse_concept_note("note.docx", data)
        assert {k: v for k, v in result.content.items() if v} == content, locale
        assert (result.title, result.header["organisers"]) == (title, ["Permanent Mission of Zambia to the UN"])


def test_the_outcome_report_is_in_the_readers_language_with_each_summary_in_its_own(app, client):
    from tests.conftest import login
    from tests.factories import make_staff
    with app.test_request_context():
        staff, writer = make_staff(), _writer("ar")
        event = make_event(make_forum(), organiser=writer, title="المياه والطاقة", status=Status.HELD, sdgs=(6, 17),
                           concept_note=False)
        summary = services.save(event, {"header": {"title": "المياه والطاقة", "organisers": ["الإسكوا"]},
                                        "sections": {"background": ["تواجه المنطقة العربية ندرة في المياه."],
                                                     "key_issues": ["تحلية المياه"],
                                                     "recommendations": ["دعم مشاريع التحلية"]}},
                                user=writer, base_revision=0)
        summary.status = SummaryStatus.PUBLISHED
        db.session.commit()
        forum_slug, email = event.forum.slug, staff.email
    login(client, email)
    client.get("/language?lang=fr&next=/")
    markdown = client.get(f"/forums/{forum_slug}/outcome.md").data.decode()
    assert "### Objectif 6 : Eau propre et assainissement" in markdown and "- دعم مشاريع التحلية (المياه والطاقة)" in markdown
    assert "Organisé par : الإسكوا" in markdown
    pdf = client.get(f"/forums/{forum_slug}/outcome.pdf").data
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "fr"
    assert docx.Document(io.BytesIO(client.get(f"/forums/{forum_slug}/outcome.docx").data)).core_properties.language \
        == "fr-FR"


def _published_summary(title, date, organiser, sections):
    writer = _writer("en")
    event = make_event(make_forum(), organiser=writer, title=title, status=Status.HELD, concept_note=False)
    summary = services.save(event, {
        "header": {"title": title, "time": "15:00 - 16:15", "date": date, "venue": "", "organisers": [organiser]},
        "sections": sections}, user=writer, base_revision=0)
    summary.status = SummaryStatus.PUBLISHED
    db.session.commit()
    return event


def test_a_summary_dates_its_header_in_its_own_language_on_the_page_and_in_every_export(client, ctx):
    arabic = _published_summary("الطاقة المتجددة", "7 May 2025", "الإسكوا", {
        "background": ["عُقد هذا الحدث الجانبي على هامش المنتدى."], "key_issues": ["تحلية المياه"],
        "recommendations": ["دعم مشاريع التحلية"]})
    chinese = _published_summary("数字技术促进可持续农业", "6 May 2025", "中国常驻联合国代表团", {
        "background": ["本次边会在论坛期间举行。"], "key_issues": ["农村网络覆盖不足"], "recommendations": ["扩大网络覆盖"]})
    for event, line in ((arabic, "[15:00 - 16:15، 7 مايو 2025]"), (chinese, "[15:00 - 16:15，2025年5月6日]")):
        page = client.get(f"/events/{event.slug}/summary?lang=en").get_data(as_text=True)
        document, _defaults = _word(client.get(f"/events/{event.slug}/summary.docx").data)
        markdown = client.get(f"/events/{event.slug}/summary.md").get_data(as_text=True)
        pdf = read_back(client.get(f"/events/{event.slug}/summary.pdf").data)
        assert (f"<p>{line}</p>" in page, line in [p.text for p in document.paragraphs], line in markdown) == (
            True, True, True)
        assert "May" not in pdf


def test_an_english_summary_keeps_the_forums_date_and_a_typed_date_stays_as_typed(client, ctx):
    english = _published_summary("Water and energy", "6 May 2025", "ESCWA", {
        "background": ["The side event was held during the forum."], "key_issues": ["Desalination"],
        "recommendations": ["Support desalination projects"]})
    typed = _published_summary("المياه والطاقة", "السادس من مايو", "الإسكوا", {
        "background": ["تواجه المنطقة العربية ندرة في المياه."], "key_issues": ["تحلية المياه"],
        "recommendations": ["دعم مشاريع التحلية"]})
    assert "<p>[15:00 - 16:15, 6 May 2025]</p>" in client.get(f"/events/{english.slug}/summary?lang=fr").get_data(
        as_text=True)
    assert "[15:00 - 16:15، السادس من مايو]" in client.get(f"/events/{typed.slug}/summary.md").get_data(as_text=True)
