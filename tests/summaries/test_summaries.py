import io
import json
import re
from datetime import date, time, timedelta
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from eventsite.accounts.models import Role
from eventsite.core.mail import OutboxMessage
from eventsite.core.time import utcnow
from eventsite.demo.loader import seed_text
from eventsite.events.models import Event, OrganisationKind, Status
from eventsite.extensions import db
from eventsite.summaries import documents, services
from eventsite.summaries.models import Summary, SummaryStatus
from eventsite.summaries.templates import STI_SIDE_EVENT, parse_sections
from tests.conftest import login
from tests.html_forms import form_values
from tests.factories import add_member, make_event, make_forum, make_user
from tests.pdf_reading import read_back

SEED = "summary-sti-forum-2025-side-event.txt"


def _seed_content():
    return documents.parse_summary(SEED, seed_text(SEED).encode(), STI_SIDE_EVENT).content


def _form(content, base_revision):
    data = {name: content["header"].get(name, "") for name in ("title", "time", "date", "venue")}
    data["organisers"] = "\n".join(content["header"]["organisers"])
    data["section_background"] = "\n\n".join(content["sections"]["background"])
    data["section_key_issues"] = "\n".join(content["sections"]["key_issues"])
    data["section_recommendations"] = "\n".join(content["sections"]["recommendations"])
    data["base_revision"] = str(base_revision)
    return data


@pytest.fixture
def demo_event(app, ctx):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    return db.session.scalar(select(Event).where(Event.slug == "from-divide-to-synergy"))


def test_the_seed_imports_into_the_right_sections_with_its_header():
    result = documents.parse_summary(SEED, seed_text(SEED).encode(), STI_SIDE_EVENT)
    header, sections = result.content["header"], result.content["sections"]
    assert header["title"] == "From Divide to Synergy: Global Cooperation Frameworks for AI Capacity-Building"
    assert (header["time"], header["date"], header["venue"]) == ("11:45 - 13:00", "6 May 2025", "Conference Room 6, UNHQ")
    assert header["organisers"] == ["Permanent Mission of China to the UN", "Permanent Mission of Zambia to the UN",
                                    "China Association for Science and Technology"]
    assert (len(sections["key_issues"]), len(sections["recommendations"])) == (7, 5)
    assert sections["key_issues"][0] == "International cooperation on AI empowering engineering capacity-building for Africa"
    assert result.unplaced == []


def test_the_generated_draft_header_reads_as_the_seeds(demo_event):
    draft = services.new_draft_content(demo_event)["header"]
    seed = _seed_content()["header"]
    assert [draft[k] for k in ("title", "time", "date", "organisers")] == [seed[k] for k in ("title", "time", "date",
                                                                                         "organisers")]
    assert draft["venue"].startswith("Conference Room 6")
    assert services.new_draft_content(demo_event)["sections"]["background"][0].startswith("Artificial Intelligence")


def test_the_seed_text_validates_and_exports_to_word_markdown_and_text(client, demo_event):
    login(client, "rapporteur@demo.eventsite.org", "eventsite-demo")
    summary = demo_event.summary
    assert services.check(services.content_of(summary, demo_event), STI_SIDE_EVENT, "2025 STI Forum") == []
    document = docx.Document(io.BytesIO(client.get(f"/events/{demo_event.slug}/summary.docx").data))
    text = " ".join(p.text for p in document.paragraphs)
    for expected in ("From Divide to Synergy", "Organized by:", "SUMMARY",
                     "Key issues discussed (5-8 bullet points)", "Key recommendations for action (5 - 6 bullet points)",
                     "Digital transformation and intelligent development of traditional industry",
                     "Conduct more practical exchanges and cooperation"):
        assert expected in text, expected
    # Word's bullet style: 7 issues and 5 recommendations
    assert [p.style.name for p in document.paragraphs].count("List Bullet") == 12
    for kind, marker in (("md", b"# Key issues discussed (5-8 bullet points)"), ("txt", b"KEY ISSUES DISCUSSED")):
        assert marker in client.get(f"/events/{demo_event.slug}/summary.{kind}").data


def test_the_word_template_filled_in_word_becomes_a_valid_summary_with_its_header(client, ctx):
    forum = make_forum(name="2025 STI Forum")
    organiser, rapporteur = make_user(), make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD, organisers=(
        ("Permanent Mission of China to the UN", OrganisationKind.MEMBER_STATE, "CN"),
        ("Permanent Mission of Zambia to the UN", OrganisationKind.MEMBER_STATE, "ZM")))
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    login(client, rapporteur.email)
    template = docx.Document(io.BytesIO(client.get(f"/events/{event.slug}/summary-template.docx").data))
    headings = [p for p in template.paragraphs if p.style.name.startswith("Heading")]
    assert any("Guidance:" in p.text for p in template.paragraphs)
    # the rapporteur writes under each heading, in Word's bullet style, as Word users do
    filled = docx.Document()
    for paragraph in template.paragraphs:
        if not paragraph.text.strip():
            continue
        filled.add_paragraph(paragraph.text, style=paragraph.style.name)
        if paragraph.text.startswith("Key issues"):
            for n in range(6):
                filled.add_paragraph(f"Issue {n + 1} discussed by the panel", style="List Bullet")
        if paragraph.text.startswith("Key recommendations"):
            for n in range(5):
                filled.add_paragraph(f"Recommendation {n + 1} for Member States", style="List Bullet")
    upload = io.BytesIO()
    filled.save(upload)
    page = client.post(f"/events/{event.slug}/summary/import",
                       data={"file": (io.BytesIO(upload.getvalue()), "summary.docx")}).data.decode()
    assert "Issue 6 discussed by the panel" in page and "Guidance:" not in page
    assert len(headings) >= 4
    imported = {name: value for name, value in _fields(page).items()}
    response = client.post(f"/events/{event.slug}/summary/edit", data={**imported, "base_revision": "0"})
    assert response.status_code == 302
    db.session.refresh(event)
    summary = event.summary
    assert summary.header["title"] == event.title and summary.header["time"] == "11:45 - 13:00"
    assert summary.header["organisers"] == ["Permanent Mission of China to the UN", "Permanent Mission of Zambia to the UN"]
    assert services.check(services.content_of(summary, event), STI_SIDE_EVENT, forum.name) == []


def _fields(page: str) -> dict:
    """The values an HTML form would send: inputs and textareas of the summary form."""
    import html
    import re
    values = {}
    for name, value in re.findall(r'<input[^>]*name="(title|time|date|venue)"[^>]*value="([^"]*)"', page):
        values[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        values[name] = html.unescape(value)
    return values


@pytest.mark.parametrize("fault", ["nine key issues", "four paragraphs"])
def test_a_summary_off_template_is_refused_for_submission_and_keeps_every_word(client, demo_event, fault):
    login(client, "rapporteur@demo.eventsite.org", "eventsite-demo")
    summary = demo_event.summary
    summary.status = SummaryStatus.DRAFT
    db.session.commit()
    content = _seed_content()
    if fault == "nine key issues":
        content["sections"]["key_issues"] += ["An eighth issue", "A ninth issue"]
        expected = "Key issues discussed: 9 bullet points, the template asks for 5 to 8."
    else:
        content["sections"]["background"].append("A fourth paragraph that the template has no room for.")
        expected = "4 paragraphs, the template asks for 1 to 3."
    saved = client.post(f"/events/{demo_event.slug}/summary/edit", data=_form(content, summary.revision),
                        follow_redirects=True).data.decode()
    assert expected in saved and ("A ninth issue" in saved or "no room for" in saved)
    refused = client.post(f"/events/{demo_event.slug}/summary/status", data={"to": "submitted"},
                          follow_redirects=True).data.decode()
    assert "does not follow its template yet" in refused and expected in refused
    db.session.refresh(summary)
    assert summary.status == SummaryStatus.DRAFT
    assert "A ninth issue" in summary.sections["key_issues"] or "no room for" in summary.sections["background"][-1]


def test_two_people_editing_at_once_never_overwrite_each_other(client, demo_event):
    login(client, "rapporteur@demo.eventsite.org", "eventsite-demo")
    summary = demo_event.summary
    summary.status = SummaryStatus.DRAFT
    db.session.commit()
    base = summary.revision
    first = _seed_content()
    first["sections"]["key_issues"][0] = "Edited by the first rapporteur"
    assert client.post(f"/events/{demo_event.slug}/summary/edit", data=_form(first, base)).status_code == 302
    second = _seed_content()
    second["sections"]["key_issues"][1] = "Edited by the second rapporteur"
    response = client.post(f"/events/{demo_event.slug}/summary/edit", data=_form(second, base))
    page = response.data.decode()
    assert response.status_code == 409
    assert "Edited by the first rapporteur" in page and "Edited by the second rapporteur" in page
    db.session.refresh(summary)
    assert summary.sections["key_issues"][0] == "Edited by the first rapporteur"


def test_workflow_draft_submitted_approved_published_by_the_right_people(client, ctx):
    forum = make_forum()
    organiser, rapporteur = make_user(), make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD)
    add_member(event, rapporteur, Role.RAPPORTEUR)
    content = _seed_content()
    summary = services.save(event, content, user=rapporteur, base_revision=0)
    db.session.commit()
    assert client.get(f"/events/{event.slug}/summary").status_code == 404  # a draft is private
    services.change_status(summary, SummaryStatus.SUBMITTED, user=rapporteur)
    with pytest.raises(Exception, match="organisers approve"):
        services.change_status(summary, SummaryStatus.APPROVED, user=rapporteur)
    services.change_status(summary, SummaryStatus.APPROVED, user=organiser)
    services.change_status(summary, SummaryStatus.PUBLISHED, user=organiser)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/summary").data.decode()
    assert "Uphold fairness and inclusiveness" in page
    assert [r.number for r in summary.revisions] == [1]


def test_rapporteurs_are_reminded_when_a_summary_is_due(app, ctx):
    forum = make_forum()
    organiser, rapporteur = make_user(), make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD)
    add_member(event, rapporteur, Role.RAPPORTEUR)
    event.starts_at, event.ends_at = utcnow() - timedelta(days=5, hours=2), utcnow() - timedelta(days=5)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 reminder queued" in runner.invoke(args=["remind-rapporteurs", "--days-after", "2"]).output
    assert "0 reminders queued" in runner.invoke(args=["remind-rapporteurs", "--days-after", "2"]).output
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == rapporteur.email))
    assert message.subject == f"Summary due: {event.title}" and f"/events/{event.slug}/summary/edit" in message.body


def test_staff_define_a_template_that_a_forum_then_uses(client, ctx):
    staff = make_user(staff=True)
    db.session.commit()
    login(client, staff.email)
    bad = client.post("/staff/summary-templates", data={"key": "hlpf", "name": "HLPF", "sections": "Only a title"})
    assert bad.status_code == 422 and "Line 1" in bad.data.decode()
    client.post("/staff/summary-templates", data={"key": "hlpf", "name": "HLPF side event", "sections":
                "Main messages | bullets | 3-4 | 120 words | Three or four messages.\nContext | paragraphs | 1"})
    forum = make_forum(name="HLPF 2026", staff=staff)
    forum.summary_template = "hlpf"
    event = make_event(forum, status=Status.HELD)
    db.session.commit()
    problems = services.check(services.new_draft_content(event), services.template_of(event), forum.name)
    assert "Main messages: 0 bullet points, the template asks for 3 to 4." in [p.message for p in problems]
    assert parse_sections("A | bullets | 2-3 | 50 words")[0].word_limit == 50


def test_the_outcome_report_of_200_summaries_uses_a_bounded_number_of_queries(client, ctx, count_queries):
    forum = make_forum(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7),
                       rooms=[f"Conference Room {n}" for n in range(1, 9)])
    organiser, staff = make_user(), make_user(staff=True)
    content = _seed_content()
    slots = [(time(8, 15), time(9, 30)), (time(10, 0), time(11, 15)), (time(11, 45), time(13, 0)),
             (time(13, 15), time(14, 30)), (time(15, 0), time(16, 15))]
    plan = [(date(2027, 5, d), slot, room) for d in range(3, 8) for slot in slots for room in range(1, 9)]

    def add(day, slot, room):
        event = make_event(forum, organiser=organiser, status=Status.HELD, room=f"Conference Room {room}", day=day,
                           start=slot[0], end=slot[1], concept_note=False, sdgs=(room, 17),
                           organisers=((f"Organisation {room}", OrganisationKind.ACADEMIA, "KE"),))
        summary = services.save(event, content, user=organiser, base_revision=0)
        summary.status = SummaryStatus.PUBLISHED

    add(*plan[0])
    db.session.commit()
    login(client, staff.email)
    db.session.commit()
    with count_queries() as one:
        client.get(f"/forums/{forum.slug}/outcome")
    with count_queries() as one_pdf:
        client.get(f"/forums/{forum.slug}/outcome.pdf")
    for entry in plan[1:]:
        add(*entry)
    db.session.commit()
    with count_queries() as many:
        page = client.get(f"/forums/{forum.slug}/outcome").data.decode()
    assert "200 published summaries · 1400 key issues · 1000 recommendations" in page
    assert len(many) == len(one)
    with count_queries() as many_pdf:
        pdf = client.get(f"/forums/{forum.slug}/outcome.pdf")
    assert len(many_pdf) == len(one_pdf)
    assert "200 side events · 1400 key issues · 1000 recommendations" in read_back(pdf.data)
    markdown = client.get(f"/forums/{forum.slug}/outcome.md").data.decode()
    assert markdown.count("## From Divide") == 0 and "### Goal 17: Partnerships for the Goals" in markdown
    filtered = client.get(f"/forums/{forum.slug}/outcome?sdg=3").data.decode()
    assert "25 published summaries" in filtered


@pytest.mark.parametrize("filename,data,message", [
    ("summary.docx", b"PK\x03\x04 not really a word file", "not a Word document we can read"),
    ("summary.pdf", b"%PDF-1.4", "Upload a .docx, .md or .txt file."),
    ("summary.txt", "Résumé".encode("latin-1"), "not UTF-8 text"),
    ("summary.md", b"Nothing here looks like a summary at all", "Nothing in this file looks like a summary"),
])
def test_a_bad_upload_is_refused_with_a_reason_and_the_saved_draft_is_untouched(client, demo_event, filename, data,
                                                                                  message):
    login(client, "rapporteur@demo.eventsite.org", "eventsite-demo")
    before = dict(demo_event.summary.sections)
    response = client.post(f"/events/{demo_event.slug}/summary/import", data={"file": (io.BytesIO(data), filename)})
    assert response.status_code == 422 and message in response.data.decode()
    db.session.refresh(demo_event.summary)
    assert demo_event.summary.sections == before


def test_a_forged_revision_number_is_refused_without_losing_the_text(client, demo_event):
    login(client, "rapporteur@demo.eventsite.org", "eventsite-demo")
    data = _form(_seed_content(), 0)
    data["base_revision"] = "not-a-number"
    data["section_key_issues"] += "\nA new issue typed before sending"
    response = client.post(f"/events/{demo_event.slug}/summary/edit", data=data)
    assert response.status_code == 422 and "A new issue typed before sending" in response.data.decode()


def _two_rapporteurs(app, client):
    """Two rapporteurs, each signed in in a browser of their own, both on revision 1 of the summary.
    No application context stays pushed: each request then knows only its own signed-in user."""
    with app.test_request_context():
        forum = make_forum()
        organiser, first, second = make_user(), make_user(name="Ana Souza"), make_user(name="Kwame Mensah")
        event = make_event(forum, organiser=organiser, status=Status.HELD)
        add_member(event, first, Role.RAPPORTEUR)
        add_member(event, second, Role.RAPPORTEUR)
        services.save(event, _seed_content(), user=first, base_revision=0)
        db.session.commit()
        event, emails = (event.id, event.slug), (first.email, second.email)
    other = app.test_client()
    login(client, emails[0])
    login(other, emails[1])
    url = f"/events/{event[1]}/summary/edit"
    tabs = [form_values(c.get(url).data.decode(), url) for c in (client, other)]
    assert tabs[0]["base_revision"] == tabs[1]["base_revision"] == "1"
    return event[0], url, other, tabs


def _summary(app, event_id):
    with app.app_context():
        summary = db.session.get(Summary, event_id)
        return summary.revision, summary.header, summary.sections


def test_a_stale_summary_save_merges_parts_only_one_side_changed_and_the_next_save_succeeds(app, client):
    event_id, url, other, (first, second) = _two_rapporteurs(app, client)
    assert client.post(url, data={**first, "venue": "Conference Room 11, UNHQ",
                                  "section_key_issues": first["section_key_issues"] + "\nAn issue Ana added"}
                       ).status_code == 302
    response = other.post(url, data={**second, "time": "1:15 pm - 2:30 pm",
                                     "section_recommendations": "Kwame's only recommendation"})
    page = " ".join(response.data.decode().split())
    assert response.status_code == 409
    assert "Ana Souza saved this summary while you were editing." in page
    assert "Nothing needs your choice: check the merged text and save." in page
    again = form_values(response.data.decode(), url)
    assert (again["base_revision"], again["venue"], again["time"]) == ("2", "Conference Room 11, UNHQ",
                                                                       "1:15 pm - 2:30 pm")
    assert again["section_key_issues"].endswith("An issue Ana added")
    assert other.post(url, data=again).status_code == 302
    revision, header, sections = _summary(app, event_id)
    assert revision == 3 and (header["venue"], header["time"]) == ("Conference Room 11, UNHQ", "1:15 pm - 2:30 pm")
    assert sections["key_issues"][-1] == "An issue Ana added"
    assert sections["recommendations"] == ["Kwame's only recommendation"]


@pytest.mark.parametrize("choice", ["mine", "theirs", "edit"])
def test_a_summary_part_both_changed_is_resolved_by_the_persons_choice(app, client, choice):
    event_id, url, other, (first, second) = _two_rapporteurs(app, client)
    client.post(url, data={**first, "organisers": "Ana's organiser"})
    response = other.post(url, data={**second, "organisers": "Kwame's organiser"})
    assert response.status_code == 409
    assert "You both changed “Organized by”" in response.data.decode()
    values = form_values(response.data.decode(), url)
    assert values["conflicts"] == "organisers"
    refused = other.post(url, data=values)
    assert refused.status_code == 422 and "You both changed this part" in refused.data.decode()
    values["resolve_organisers"] = choice
    if choice == "edit":
        values["organisers"] = "Ana's organiser\nKwame's organiser"
    assert other.post(url, data=values).status_code == 302
    expected = {"mine": ["Kwame's organiser"], "theirs": ["Ana's organiser"],
                "edit": ["Ana's organiser", "Kwame's organiser"]}[choice]
    assert _summary(app, event_id)[1]["organisers"] == expected


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.glob("summary-*") if p.suffix in (".docx", ".txt", ".md")),
                         ids=lambda p: p.name)
def test_each_fixture_summary_imports_exactly_as_expected(path):
    """Summaries written elsewhere (Word tables, 12-hour times, hard-wrapped text, French and
    Spanish headings...) import as the result recorded beside each of them."""
    expected = json.loads((path.parent / (path.name + ".expected.json")).read_text())
    result = documents.parse_summary(path.name, path.read_bytes(), STI_SIDE_EVENT)
    assert {"header": result.content["header"], "sections": result.content["sections"],
            "unplaced": result.unplaced, "notes": result.notes} == expected


def test_an_imported_header_that_differs_from_the_record_is_saved_only_as_the_rapporteur_chooses(client, ctx):
    forum = make_forum()
    organiser, rapporteur = make_user(), make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD, title="Open Data for Resilient Food Systems")
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    login(client, rapporteur.email)
    fixture = FIXTURES / "summary-header-table-12h.docx"
    response = client.post(f"/events/{event.slug}/summary/import",
                           data={"file": (io.BytesIO(fixture.read_bytes()), fixture.name)})
    page = " ".join(response.data.decode().split())
    assert response.status_code == 200
    assert "The file's header differs from the event's record." in page
    for shown in ("13:15 - 14:30", "11:45 - 13:00", "Conference Room 4, UN Headquarters",
                  "Conference Room 6, UN Headquarters, New York",
                  "Permanent Mission of Kenya to the United Nations; Food and Agriculture Organization",
                  "Permanent Mission of Zambia to the UN"):
        assert shown in page, shown
    url = f"/events/{event.slug}/summary/edit"
    values = form_values(response.data.decode(), url)
    assert values["header_pending"] == "time,venue,organisers"  # the title and date agree with the record
    assert (values["time"], values["venue"]) == ("13:15 - 14:30", "Conference Room 4, UN Headquarters")

    unchosen = client.post(url, data=values)
    assert unchosen.status_code == 422
    errors = dict(re.findall(r'<p class="error" id="(\w+)-error">(.*?)</p>', unchosen.data.decode()))
    assert errors == {name: "The file and the event&#39;s record differ here: choose which is right."
                      for name in ("time", "venue", "organisers")}
    assert "The file's header differs from the event's record." in unchosen.data.decode()  # still shown
    assert db.session.get(Summary, event.id) is None

    edited = {**values, "source_time": "file", "source_venue": "record", "source_organisers": "file",
              "venue": "Conference Room 4, UNHQ"}
    contradicted = client.post(url, data=edited)
    assert contradicted.status_code == 422 and "You edited this field but chose the event" in contradicted.data.decode()

    chosen = {**values, "source_time": "file", "source_venue": "record", "source_organisers": "file"}
    assert client.post(url, data=chosen).status_code == 302
    summary = db.session.get(Summary, event.id)
    assert summary.header == {"title": "Open Data for Resilient Food Systems", "time": "13:15 - 14:30",
                              "date": "6 May 2025", "venue": "Conference Room 6, UN Headquarters, New York",
                              "organisers": ["Permanent Mission of Kenya to the United Nations",
                                             "Food and Agriculture Organization"]}


def test_what_an_import_could_not_place_or_read_surely_is_listed_on_the_page(client, ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD)
    db.session.commit()
    login(client, organiser.email)
    fixture = FIXTURES / "summary-ambiguous-date.md"
    page = client.post(f"/events/{event.slug}/summary/import",
                       data={"file": (io.BytesIO(fixture.read_bytes()), fixture.name)}).data.decode()
    report = " ".join(page[page.index('id="import-report-heading"'):page.index("</section>")].split())
    assert "“06/05/2025” could be read two ways; it was read as 6 May 2025 (day first). Check the date." in report
    assert "Heading “Speakers” is not one of the template&#39;s" in report and "Ms. Ana Ribeiro, WIPO" in report


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.glob("summary-*") if p.suffix in (".docx", ".txt", ".md")),
                         ids=lambda p: p.name)
def test_no_fixture_summary_is_saved_with_a_header_other_than_the_files_unless_the_rapporteur_chooses(client, ctx,
                                                                                                    path):
    """Each fixture through the page, into an event whose record differs from every file: saving as
    imported is refused on each differing field, and what is saved is what the rapporteur chose."""
    forum = make_forum(rooms=("Conference Room 1",))
    organiser, rapporteur = make_user(), make_user()
    event = make_event(forum, organiser=organiser, status=Status.HELD, title="A title no file has",
                       start=time(8, 0), end=time(8, 30), room="Conference Room 1",
                       organisers=(("Republic of Nowhere", OrganisationKind.MEMBER_STATE, "ZM"),))
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    record = services.event_header(event)
    from_file = json.loads((path.parent / (path.name + ".expected.json")).read_text())["header"]
    login(client, rapporteur.email)
    imported = client.post(f"/events/{event.slug}/summary/import",
                           data={"file": (io.BytesIO(path.read_bytes()), path.name)})
    assert imported.status_code == 200
    url = f"/events/{event.slug}/summary/edit"
    values = form_values(imported.data.decode(), url)
    differing = [name for name in services.HEADER_FIELDS if from_file.get(name) and from_file[name] != record[name]]
    assert differing and values["header_pending"] == ",".join(differing)

    as_imported = client.post(url, data=values)
    assert as_imported.status_code == 422
    errors = dict(re.findall(r'<p class="error" id="(\w+)-error">(.*?)</p>', as_imported.data.decode()))
    assert {name: errors.get(name) for name in differing} == {
        name: "The file and the event&#39;s record differ here: choose which is right." for name in differing}
    assert db.session.get(Summary, event.id) is None  # nothing saved, so nothing to submit

    chosen = {**values, **{f"source_{name}": "file" for name in differing}}
    assert client.post(url, data=chosen).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Summary, event.id).header
    assert {name: saved[name] for name in differing} == {name: from_file[name] for name in differing}
    assert {name: saved[name] for name in services.HEADER_FIELDS if name not in differing} == {
        name: record[name] for name in services.HEADER_FIELDS if name not in differing}


def test_the_built_in_templates_name_goes_to_the_translators_and_is_read_in_the_readers_language(ctx):
    from babel.messages.extract import extract_from_file
    from flask_babel import force_locale, gettext

    source = Path(__file__).parents[2] / "eventsite" / "summaries" / "templates.py"
    marked = {message for _line, message, _comments, _context in
              extract_from_file("python", source, keywords={"_": None, "_l": None, "ngettext": (1, 2)})}
    assert "STI Forum side-event summary" in marked
    with force_locale("fr"):
        assert str(STI_SIDE_EVENT.name) == gettext("STI Forum side-event summary")
