import html
import io
import json
import re
from pathlib import Path

import docx
import pytest
from flask_babel import gettext as _
from flask_babel import refresh

from eventsite.events import concept_note_io, services
from eventsite.events.models import ConceptNote, Status
from eventsite.extensions import db
from tests.conftest import login
from tests.html_forms import form_values
from tests.factories import make_event, make_forum, make_user
from tests.pdf_reading import SIX_LANGUAGES, read_back, squeezed

SEED = Path(__file__).resolve().parents[2] / "eventsite" / "demo" / "seeds" / \
    "concept-note-high-level-meeting-ai-cooperation.txt"


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _seed_as_docx(numbered_headings=True, bold_headings=False) -> bytes:
    """The seed concept note typed into Word: heading styles, list styles, or bold typed numbers."""
    result = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes())
    document = docx.Document()
    document.add_heading(result.title, level=0)
    for number, (name, title) in enumerate([("background", "Background"), ("objectives", "Objectives"),
                                                   ("target_audience", "Target audience"),
                                                   ("guiding_questions", "Guiding questions")], start=1):
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
    ("note.docx", b"not a zip", "not a Word document we can read (.docx)"),
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
    from eventsite.core.sanitise import rich_text_input
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


def test_the_pdf_carries_every_section_numbered_as_in_word(client, app, ctx):
    app.test_cli_runner().invoke(args=["demo"])
    slug = "high-level-meeting-international-cooperation-ai"
    response = client.get(f"/events/{slug}/concept-note.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="concept-note-{slug}.pdf"'
    text = " ".join(read_back(response.data).split())
    original = concept_note_io.parse_concept_note("seed.txt", SEED.read_bytes()).content
    headings = [text.index(f"{n}. {title}") for n, title in
                enumerate(["Background", "Objectives", "Target audience", "Guiding questions"], start=1)]
    assert headings == sorted(headings) and "Expected outcomes" not in text  # the seed has none
    for paragraph in concept_note_io.html_to_paragraphs(original["background"]):
        assert " ".join(paragraph.split()) in text
    for number, objective in enumerate(original["objectives"], start=1):
        assert f"{number}. {objective}" in text
    for question in original["guiding_questions"]:
        assert f"• {question}" in text


@pytest.mark.parametrize("lang", list(SIX_LANGUAGES))
def test_a_concept_note_in_each_un_language_reads_back_from_its_pdf(client, ctx, lang):
    title, organiser, background, issues, recommendations = SIX_LANGUAGES[lang]
    author = make_user()
    event = make_event(make_forum(), organiser=author, title=title, status=Status.PUBLISHED, concept_note=False)
    services.save_concept_note(event, {"background": f"<p>{background}</p>", "objectives": issues,
                                       "target_audience": [organiser], "guiding_questions": recommendations},
                               user=author)
    db.session.commit()
    text = squeezed(read_back(client.get(f"/events/{event.slug}/concept-note.pdf").data), lang)
    for source in (title, organiser, background, *issues, *recommendations):
        assert squeezed(source, lang) in text, source


def test_blank_template_carries_forum_guidance_and_imports_back_empty(client, ctx):
    forum = make_forum()
    forum.concept_note_questions = "How does the event serve the SDGs under review?"
    db.session.commit()
    data = client.get(f"/forums/{forum.slug}/concept-note-template.docx").data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "How does the event serve the SDGs under review?" in text and "4. Guiding questions" in text
    result = concept_note_io.parse_concept_note("t.docx", data)
    assert _counts(result.content) == (0, 0, 0, 0, 0) and result.title is None and not result.unplaced


@pytest.mark.parametrize("lang, heading, guidance", [
    ("fr", "1. Contexte", "Conseil :"), ("es", "4. Preguntas orientativas", "Orientación:"),
    ("ar", "2. الأهداف", "إرشاد:"), ("ru", "3. Целевая аудитория", "Указание:"), ("zh_Hans", "1. 背景", "说明：")])
def test_the_blank_template_comes_in_the_readers_language_and_imports_back_empty_in_any(client, ctx, lang, heading,
                                                                                      guidance):
    forum = make_forum()
    forum.concept_note_questions = "How does the event serve the SDGs under review?"
    db.session.commit()
    refresh()  # the test's app context is shared with the request: let the request choose the language
    data = client.get(f"/forums/{forum.slug}/concept-note-template.docx?lang={lang}").data
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert heading in texts and any(t.startswith(guidance) for t in texts)
    assert not any(t.startswith("Guidance:") for t in texts)
    assert document.core_properties.language.split("-")[0] == lang.split("_")[0]
    result = concept_note_io.parse_concept_note("t.docx", data)
    assert _counts(result.content) == (0, 0, 0, 0, 0)  # in English
    assert result.title is None and not result.unplaced  # the title placeholder is not taken for a title


def test_the_importers_know_the_guidance_marker_of_every_language(app):
    from eventsite.core.languages import LANGUAGES, speaking
    from eventsite.core.reading import is_guidance
    with app.test_request_context():
        for code in LANGUAGES:
            with speaking(code):
                assert is_guidance(_("Guidance:") + " write here"), code


def test_draft_concept_note_exports_are_private(client, ctx):
    forum = make_forum()
    event = make_event(forum, status=Status.DRAFT)
    db.session.commit()
    assert client.get(f"/events/{event.slug}/concept-note.docx").status_code == 404


# ---------------------------------------------------------------- two people editing at once

def _note(app, event_id) -> ConceptNote:
    with app.app_context():
        note = db.session.get(ConceptNote, event_id)
        db.session.expunge(note)
        return note


def _two_editors(app, client):
    """An organiser and a co-organiser, each signed in in a browser of their own, both on revision 1.
    No application context stays pushed: each request then knows only its own signed-in user."""
    with app.test_request_context():
        forum = make_forum()
        organiser, colleague = make_user(name="Amina Diallo"), make_user(name="Jonas Berg")
        event = make_event(forum, organiser=organiser)
        services.add_team_member(event, colleague, services.Role.CO_ORGANISER, user=organiser)
        db.session.commit()
        event, emails = (event.id, event.slug), (organiser.email, colleague.email)
    other = app.test_client()
    login(client, emails[0])
    login(other, emails[1])
    url = f"/events/{event[1]}/concept-note"
    first, second = (form_values(c.get(url).data.decode(), url) for c in (client, other))
    assert first["base_revision"] == second["base_revision"] == "1"
    return event, url, other, first, second


def test_a_stale_save_that_touches_other_sections_merges_and_the_next_save_succeeds(app, client):
    event, url, other, first, second = _two_editors(app, client)
    assert client.post(url, data={**first, "objectives": "To share practice\nTo build a network"}).status_code == 302
    response = other.post(url, data={**second, "background": "Why this event matters, now more than ever."})
    page = _text(response)
    assert response.status_code == 409
    assert "Amina Diallo saved a newer version while you were editing." in page
    assert "only <bdi>Amina Diallo</bdi> changed it; their version is in the box." in page
    assert "only you changed it; your text is kept." in page
    again = form_values(response.data.decode(), url)
    assert again["base_revision"] == "2" and again["conflicts"] == ""
    assert again["objectives"] == "To share practice\nTo build a network"
    assert again["background"] == "Why this event matters, now more than ever."
    assert other.post(url, data=again).status_code == 302
    note = _note(app, event[0])
    assert (note.revision, note.objectives) == (3, ["To share practice", "To build a network"])
    assert note.background == "<p>Why this event matters, now more than ever.</p>"


def test_the_old_trap_is_gone_a_second_save_of_a_stale_form_succeeds(app, client):
    event, url, other, first, second = _two_editors(app, client)
    client.post(url, data={**first, "target_audience": "Delegates\nAcademia"})
    stale = {**second, "guiding_questions": "How?\nWho pays?"}
    assert other.post(url, data=stale).status_code == 409
    page = other.post(url, data=stale)  # the old page sent again, as a reload with resubmit does
    assert page.status_code == 409  # still based on revision 1: shown again, never silently saved
    assert other.post(url, data=form_values(page.data.decode(), url)).status_code == 302
    note = _note(app, event[0])
    assert (note.target_audience, note.guiding_questions) == (["Delegates", "Academia"], ["How?", "Who pays?"])


@pytest.mark.parametrize("choice,expected", [
    ("mine", ["To share practice", "Jonas's objective"]),
    ("theirs", ["To share practice", "Amina's objective"]),
    ("edit", ["To share practice", "Amina's objective", "Jonas's objective"]),
])
def test_a_section_both_changed_is_resolved_by_the_persons_choice(app, client, choice, expected):
    event, url, other, first, second = _two_editors(app, client)
    client.post(url, data={**first, "objectives": "To share practice\nAmina's objective"})
    response = other.post(url, data={**second, "objectives": "To share practice\nJonas's objective",
                                     "background": "Jonas also rewrote the background."})
    page = _text(response)
    assert response.status_code == 409
    assert "You both changed “Objectives”" in page and "1 section needs your choice before saving." in page
    words = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    assert "Added: Amina's objective" in words and "Added: Jonas's objective" in words
    values = form_values(response.data.decode(), url)
    assert values["conflicts"] == "objectives" and values["objectives"] == "To share practice\nJonas's objective"
    values["resolve_objectives"] = choice
    if choice == "edit":
        values["objectives"] = "To share practice\nAmina's objective\nJonas's objective"
    assert other.post(url, data=values).status_code == 302
    note = _note(app, event[0])
    assert note.objectives == expected
    assert note.background == "<p>Jonas also rewrote the background.</p>"  # merged by itself


def test_a_conflict_without_a_choice_or_with_an_edit_and_another_choice_keeps_everything(app, client):
    event, url, other, first, second = _two_editors(app, client)
    client.post(url, data={**first, "guiding_questions": "How, according to Amina?"})
    values = form_values(other.post(url, data={**second, "guiding_questions": "How, according to Jonas?"})
                         .data.decode(), url)
    missing = other.post(url, data=values)
    assert missing.status_code == 422
    assert "You both changed this section: keep your version, take theirs, or edit the box." in _text(missing)
    assert "You both changed “Guiding questions”" in _text(missing)  # the comparison is still shown
    values.update(resolve_guiding_questions="theirs", guiding_questions="How, according to both of us?")
    contradicted = other.post(url, data=values)
    assert contradicted.status_code == 422
    assert "You edited the text in the box but chose another option." in _text(contradicted)
    assert form_values(contradicted.data.decode(), url)["guiding_questions"] == "How, according to both of us?"
    assert _note(app, event[0]).guiding_questions == ["How, according to Amina?"]


def test_a_third_save_during_the_resolution_is_merged_again(app, client):
    event, url, other, first, second = _two_editors(app, client)
    client.post(url, data={**first, "objectives": "Amina's first change"})
    values = form_values(other.post(url, data={**second, "target_audience": "Jonas's audience"}).data.decode(), url)
    latest = form_values(client.get(url).data.decode(), url)
    client.post(url, data={**latest, "guiding_questions": "Amina's question"})
    response = other.post(url, data=values)
    assert response.status_code == 409
    assert other.post(url, data=form_values(response.data.decode(), url)).status_code == 302
    note = _note(app, event[0])
    assert (note.objectives, note.target_audience, note.guiding_questions) == (
        ["Amina's first change"], ["Jonas's audience"], ["Amina's question"])


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.glob("concept-note-*")
                                        if p.suffix in (".docx", ".txt", ".md")), ids=lambda p: p.name)
def test_each_fixture_concept_note_imports_exactly_as_expected(path):
    """Concept notes written elsewhere ("Concept note" above the title, header tables, Roman and
    lettered numbering, hard-wrapped text, French and Spanish headings) import as recorded."""
    expected = json.loads((path.parent / (path.name + ".expected.json")).read_text())
    result = concept_note_io.parse_concept_note(path.name, path.read_bytes())
    assert {"header": result.header, "content": result.content, "unplaced": result.unplaced,
            "notes": result.notes} == expected


def _import(client, event, name):
    fixture = FIXTURES / name
    return client.post(f"/events/{event.slug}/concept-note/import",
                       data={"file": (io.BytesIO(fixture.read_bytes()), fixture.name)},
                       content_type="multipart/form-data")


def _choice_rows(response):
    return re.findall(r'<th scope="row">(.*?)</th> <td[^>]*>(.*?)</td> <td[^>]*>(.*?)</td>', _text(response))


@pytest.fixture
def imported(client, ctx):
    """An organiser has imported a concept note whose header differs from the event's details."""
    forum = make_forum(rooms=("Conference Room 6", "Conference Room 12"))
    organiser = make_user()
    event = make_event(forum, organiser=organiser, concept_note=False, title="Frontier Technologies for SIDS")
    db.session.commit()
    login(client, organiser.email)
    return event


def test_an_imported_header_that_differs_asks_field_by_field_and_saves_nothing(client, imported):
    response = _import(client, imported, "concept-note-kicker-title.docx")
    assert response.status_code == 200
    assert "Choose, field by field, which is right" in _text(response)
    assert _choice_rows(response) == [
        ("Title", "Harnessing Frontier Technologies for Climate Adaptation in Small Island Developing States",
         "Frontier Technologies for SIDS"),
        ("Date", "7 May 2025", "6 May 2025"), ("Time", "10:00 - 11:15", "11:45 - 13:00"),
        ("Organized by", "Permanent Mission of Fiji; UNDP; Alliance of Small Island States",
         "Permanent Mission of Zambia to the UN")]  # the venue names the event's own room: not asked
    assert "Type of Permanent Mission of Fiji" in _text(response)
    assert "Not placed in any section" not in _text(response)
    assert db.session.get(ConceptNote, imported.id) is None


def test_saving_without_choosing_marks_each_choice_and_keeps_the_imported_text(client, imported):
    url = f"/events/{imported.slug}/concept-note"
    values = form_values(_import(client, imported, "concept-note-kicker-title.docx").data.decode(), url)
    response = client.post(url, data={**values, "source_title": "record"})
    page = _text(response)
    assert response.status_code == 422
    for name in ("date", "time", "organisers"):
        assert f'<p class="error" id="source_{name}-error">The file and the event&#39;s record differ here' in page
    assert 'id="source_title-error"' not in page
    assert form_values(response.data.decode(), url) == {**values, "source_title": "record"}  # nothing lost
    assert db.session.get(ConceptNote, imported.id) is None


def test_the_chosen_fields_replace_the_events_details_in_the_same_save(client, imported):
    url = f"/events/{imported.slug}/concept-note"
    values = form_values(_import(client, imported, "concept-note-kicker-title.docx").data.decode(), url)
    kinds = {"new_organisations-1-kind": "un_entity", "new_organisations-2-kind": "intergovernmental",
             "new_organisations-0-country": "FJ"}
    response = client.post(url, data={**values, **kinds, "source_title": "file", "source_date": "file",
                                      "source_time": "record", "source_organisers": "file"})
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.get(type(imported), imported.id)
    assert event.title == "Harnessing Frontier Technologies for Climate Adaptation in Small Island Developing States"
    assert (event.local_start.date().isoformat(), event.local_start.strftime("%H:%M")) == ("2025-05-07", "11:45")
    assert [(o.organisation.name, o.organisation.kind.value, o.organisation.country) for o in event.organisers] == [
        ("Permanent Mission of Fiji", "member_state", "FJ"), ("UNDP", "un_entity", None),
        ("Alliance of Small Island States", "intergovernmental", None)]
    assert event.concept_note.revision == 1 and event.concept_note.objectives
    page = html.unescape(client.get(f"/events/{event.slug}").data.decode())
    assert "The event's details now follow the file for: Title, Date, Organized by." in page
    log = client.get(f"/events/{event.slug}/activity").data.decode()
    assert "Date: 6 May 2025 → 7 May 2025" in html.unescape(log)


def test_a_booked_room_is_refused_beside_the_venue_and_everything_is_shown_again(client, imported):
    make_event(imported.forum, title="Roadmaps already there", room="Conference Room 12")  # same day and time
    db.session.commit()
    url = f"/events/{imported.slug}/concept-note"
    values = form_values(_import(client, imported, "concept-note-header-table.docx").data.decode(), url)
    assert "new_organisations-0-kind" in values  # the file's organisers are new to the site
    chosen = {**values, "source_title": "record", "source_venue": "file", "source_organisers": "record"}
    response = client.post(url, data=chosen)
    page = _text(response)
    assert response.status_code == 422
    assert re.search(r'id="source_venue-error">Conference Room 12 is already booked for “Roadmaps already there”',
                     page)
    assert "Taken from the file, the event is held in the forum's room Conference Room 12." in html.unescape(page)
    assert form_values(response.data.decode(), url) == chosen
    db.session.expire_all()
    assert db.session.get(ConceptNote, imported.id) is None
    assert db.session.get(type(imported), imported.id).room.name == "Conference Room 6"


def test_a_note_saved_meanwhile_shows_the_merge_and_keeps_the_header_choices(client, imported):
    url = f"/events/{imported.slug}/concept-note"
    values = form_values(_import(client, imported, "concept-note-kicker-title.docx").data.decode(), url)
    services.save_concept_note(imported, {"background": "<p>Written meanwhile.</p>"}, user=make_user(staff=True))
    db.session.commit()
    chosen = {**values, "source_title": "record", "source_date": "file", "source_time": "record",
              "source_organisers": "record"}
    response = client.post(url, data=chosen)
    assert response.status_code == 409
    again = form_values(response.data.decode(), url)
    assert {name: again[name] for name in chosen if name.startswith(("source_", "file_"))} == {
        name: value for name, value in chosen.items() if name.startswith(("source_", "file_"))}
    assert client.post(url, data={**again, "resolve_background": "mine"}).status_code == 302
    db.session.expire_all()
    event = db.session.get(type(imported), imported.id)
    assert event.local_start.date().isoformat() == "2025-05-07"
    assert event.concept_note.revision == 2


def test_a_published_events_organiser_may_take_the_files_time_without_notifying(client, imported):
    from eventsite.events.changes import ChangeNotice
    imported.status = Status.PUBLISHED
    db.session.commit()
    url = f"/events/{imported.slug}/concept-note"
    page = _import(client, imported, "concept-note-kicker-title.docx").data.decode()
    assert "Don't notify participants" in html.unescape(page)
    chosen = {**form_values(page, url), "source_title": "record", "source_date": "record", "source_time": "file",
              "source_organisers": "record"}
    assert client.post(url, data={**chosen, "quiet": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(imported), imported.id).local_start.strftime("%H:%M") == "10:00"
    assert db.session.get(ChangeNotice, imported.id) is None


@pytest.mark.parametrize("choice", ["record", "file"])
@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.glob("concept-note-*")
                                        if p.suffix in (".docx", ".txt", ".md")), ids=lambda p: p.name)
def test_no_fixture_concept_note_changes_or_keeps_a_differing_detail_unless_the_organiser_chooses(client, ctx, path,
                                                                                                choice):
    """Each fixture through the page, into an event whose details differ from every file: saving as
    imported is refused on each differing field and saves nothing; the details end as chosen."""
    from datetime import date, time
    from eventsite.events import imported_header
    from eventsite.events.models import Event, OrganisationKind
    forum = make_forum(starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 9),
                       rooms=("Conference Room 1", "Conference Room 6", "Conference Room 11", "Conference Room 12"))
    organiser = make_user()
    event = make_event(forum, organiser=organiser, concept_note=False, title="A title no file has",
                       day=date(2025, 5, 5), start=time(7, 0), end=time(7, 30), room="Conference Room 1",
                       organisers=(("Republic of Nowhere", OrganisationKind.MEMBER_STATE, "ZM"),))
    db.session.commit()
    record = imported_header.record_header(event)
    from_file = json.loads((path.parent / (path.name + ".expected.json")).read_text())["header"]
    login(client, organiser.email)
    url = f"/events/{event.slug}/concept-note"
    values = form_values(_import(client, event, path.name).data.decode(), url)
    differing = imported_header.differences(event, from_file)
    assert {"title", "date", "time", "organisers"} <= set(differing)
    assert values["header_pending"] == ",".join(differing)

    as_imported = client.post(url, data=values)
    assert as_imported.status_code == 422
    for name in differing:
        assert f'id="source_{name}-error">The file and the event&#39;s record differ here' in _text(as_imported), name
    db.session.expire_all()
    assert db.session.get(ConceptNote, event.id) is None
    assert imported_header.record_header(db.session.get(Event, event.id)) == record

    kinds = {name: "civil_society" for name in values if name.startswith("new_organisations-") and
             name.endswith("-kind")}
    response = client.post(url, data={**values, **kinds, **{f"source_{name}": choice for name in differing}})
    assert response.status_code == 302, _text(response)[:3000]
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.concept_note.revision == 1
    if choice == "record":
        assert imported_header.record_header(event) == record
    else:
        assert imported_header.differences(event, from_file) == []
