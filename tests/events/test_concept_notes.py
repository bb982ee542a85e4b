import io
import re
from pathlib import Path

import docx
import pytest

from eventsite.events import concept_note_io, services
from eventsite.events.models import ConceptNote, Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_user

SEED = Path(__file__).resolve().parents[2] / "eventsite" / "demo" / "seeds" / \
    "concept-note-high-level-meeting-ai-cooperation.txt"


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _seed_as_docx(numbered_headings=True, bold_headings=False) -> bytes:
    """The seed concept note typed into Word: heading styles, list styles, or bold typed numbers."""
    result = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes())
    document = docx.Document()
    document.add_heading(result.title, level=0)
    for number, (name, title) in enumerate(list(concept_note_io.SECTION_TITLES.items())[:4], start=1):
        heading = f"{number}. {title}" if numbered_headings else title
        if bold_headings:
            document.add_paragraph().add_run(heading).bold = True
        else:
            document.add_heading(heading, level=1)
        if name == "background":
            for paragraph in concept_note_io.html_to_paragraphs(result.content["background"]):
                document.add_paragraph(paragraph)
        else:
            for item in result.content[name]:
                document.add_paragraph(item, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _counts(content):
    return (len(concept_note_io.html_to_paragraphs(content["background"])), len(content["objectives"]),
            len(content["target_audience"]), len(content["guiding_questions"]), len(content["expected_outcomes"]))


def test_seed_text_imports_into_exactly_its_sections():
    result = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes())
    assert _counts(result.content) == (3, 4, 1, 4, 0)
    assert result.content["objectives"][0] == ("To enhance the understanding of AI technologies and their "
                                               "implications among policymakers and regulators.")
    assert result.title.startswith("Concept Note of the High-level Meeting")
    assert result.unplaced == []


@pytest.mark.parametrize("numbered,bold", [(True, False), (False, False), (True, True)])
def test_seed_as_word_document_imports_into_the_same_sections(numbered, bold):
    from_text = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes()).content
    from_word = concept_note_io.parse_concept_note("seed.docx", _seed_as_docx(numbered, bold)).content
    assert from_word == from_text


def test_import_reports_what_it_could_not_place():
    text = "Concept note\n\n## Agenda\n\n- 13:15 Opening\n\n## Objectives\n\n- To meet\n"
    result = concept_note_io.parse_concept_note("note.md", text.encode())
    assert result.content["objectives"] == ["To meet"]
    assert result.unplaced == ["Heading “Agenda” names no concept-note section", "13:15 Opening"]


@pytest.mark.parametrize("name,data,message", [
    ("note.pdf", b"%PDF", "Upload a .docx, .md or .txt file."),
    ("note.docx", b"not a zip", "This is not a readable Word (.docx) file"),
    ("note.txt", b"\xff\xfe\xfa", "The file is not UTF-8 text."),
    ("note.txt", b"x" * (concept_note_io.MAX_IMPORT_BYTES + 1), "concept notes up to 2048 KB are accepted"),
])
def test_bad_uploads_are_refused_with_a_reason(name, data, message):
    with pytest.raises(concept_note_io.ImportFailed, match=re.escape(message)):
        concept_note_io.parse_concept_note(name, data)


def test_upload_through_the_page_fills_the_editor_without_saving(client, ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, concept_note=False)
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/concept-note/import",
                           data={"file": (io.BytesIO(_seed_as_docx()), "note.docx")},
                           content_type="multipart/form-data")
    page = _text(response)
    assert response.status_code == 200
    assert "How to enhance capacity of policymakers to develop and implement AI strategies and regulations?" in page
    assert db.session.get(ConceptNote, event.id) is None
    bad = client.post(f"/events/{event.slug}/concept-note/import", data={"file": (io.BytesIO(b"x"), "note.exe")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "Upload a .docx, .md or .txt file." in _text(bad)


def test_every_save_is_a_revision_and_two_can_be_compared(client, ctx):
    forum = make_forum()
    organiser = make_user(name="Li Wei")
    event = make_event(forum, organiser=organiser)  # revision 1
    db.session.commit()
    login(client, organiser.email)
    client.post(f"/events/{event.slug}/concept-note", data={
        "background": "Why this event matters.", "objectives": "To share practice\nTo build networks",
        "target_audience": "Delegates", "guiding_questions": "How?", "base_revision": "1"})
    page = _text(client.get(f"/events/{event.slug}/concept-note/revisions?a=1&b=2"))
    assert '<span class="ins">+ - To build networks</span>' in page
    assert page.count("Li Wei") == 2


def test_a_stale_save_is_refused_and_shows_both_versions(client, ctx):
    forum = make_forum()
    organiser, colleague = make_user(name="First Editor"), make_user()
    event = make_event(forum, organiser=organiser)
    services.add_team_member(event, colleague, services.Role.CO_ORGANISER, user=organiser)
    services.save_concept_note(event, {"background": "<p>Saved meanwhile by the first editor.</p>"},
                               user=organiser, base_revision=1)
    db.session.commit()
    login(client, colleague.email)
    response = client.post(f"/events/{event.slug}/concept-note", data={
        "background": "My own careful text.", "objectives": "Mine", "base_revision": "1"})
    page = _text(response)
    assert response.status_code == 409
    assert "First Editor saved a newer version while you were editing." in page
    assert "Saved meanwhile by the first editor." in page and "My own careful text." in page


def test_background_html_is_sanitised(ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser)
    from eventsite.events.sanitise import rich_text_input
    services.save_concept_note(event, {"background": rich_text_input(
        '<p onclick="x()">Hi <strong>all</strong><script>alert(1)</script> <a href="javascript:x">l</a></p>')},
        user=organiser)
    assert event.concept_note.background == '<p>Hi <strong>all</strong> <a rel="noopener noreferrer nofollow">l</a></p>'


def test_exports_carry_every_section(client, app, ctx):
    app.test_cli_runner().invoke(args=["demo"])
    slug = "high-level-meeting-international-cooperation-ai"
    markdown = client.get(f"/events/{slug}/concept-note.md").data.decode()
    assert "## 2. Objectives" in markdown and markdown.count("\n1. To ") == 4
    response = client.get(f"/events/{slug}/concept-note.docx")
    assert response.headers["Content-Disposition"] == f'attachment; filename="concept-note-{slug}.docx"'
    reimported = concept_note_io.parse_concept_note("x.docx", response.data).content
    original = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes()).content
    assert reimported == original
    assert concept_note_io.parse_concept_note("x.md", markdown.encode()).content == original


def test_blank_template_carries_forum_guidance_and_imports_back_empty(client, ctx):
    forum = make_forum()
    forum.concept_note_questions = "How does the event serve the SDGs under review?"
    db.session.commit()
    data = client.get(f"/forums/{forum.slug}/concept-note-template.docx").data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "How does the event serve the SDGs under review?" in text and "4. Guiding questions" in text
    assert _counts(concept_note_io.parse_concept_note("t.docx", data).content) == (0, 0, 0, 0, 0)


def test_draft_concept_note_exports_are_private(client, ctx):
    forum = make_forum()
    event = make_event(forum, status=Status.DRAFT)
    db.session.commit()
    assert client.get(f"/events/{event.slug}/concept-note.docx").status_code == 404
