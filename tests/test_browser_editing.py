"""Two tabs editing the same concept note or summary in a real browser (Playwright driving Debian's
Chromium), under the app's strict Content-Security-Policy: nothing typed is lost and the merge is saved."""
import re

import pytest

from tests.conftest import serving_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(tmp_path):
    """A demo of its own: these tests save into it."""
    with serving_demo(tmp_path) as url:
        yield url


@pytest.fixture
def browser(chromium):
    return chromium  # the session's one Chromium


def _signed_in_tabs(browser, server, email):
    context = browser.new_context()
    blocked = []
    first = context.new_page()
    first.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    first.goto(server + "/account/login")
    first.get_by_label("E-mail address").fill(email)
    first.get_by_label("Password").fill("eventsite-demo")
    first.get_by_role("button", name="Sign in").click()
    second = context.new_page()
    second.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return context, first, second, blocked


def _append(box, line):
    box.fill(box.input_value().rstrip("\n") + "\n" + line)


def test_two_tabs_saving_the_concept_note_merge_and_the_public_page_shows_both(demo_server, browser):
    slug = "high-level-meeting-international-cooperation-ai"
    context, tab1, tab2, blocked = _signed_in_tabs(browser, demo_server, "coorganiser@demo.eventsite.org")
    for tab in (tab1, tab2):
        tab.goto(f"{demo_server}/events/{slug}/concept-note")
    _append(tab1.get_by_label("Objectives"), "To agree on a shared capacity-building roadmap.")
    tab1.get_by_role("button", name="Save concept note").click()
    assert "Concept note saved." in tab1.locator(".flashes").inner_text()

    _append(tab2.get_by_label("Guiding questions"), "Which partnerships could follow from the meeting?")
    _append(tab2.get_by_label("Objectives"), "To launch a network of AI training centres.")
    tab2.get_by_role("button", name="Save concept note").click()
    banner = tab2.locator(".merge-banner").inner_text()
    assert "You saved a newer version in another tab or window" in banner
    assert "1 section needs your choice before saving." in banner
    conflict = tab2.get_by_role("group", name="You both changed “Objectives”")
    assert "To agree on a shared capacity-building roadmap." in conflict.inner_text()
    assert tab2.get_by_label("Guiding questions").input_value().endswith("Which partnerships could follow from the meeting?")
    tab2.set_viewport_size({"width": 390, "height": 844})
    assert tab2.evaluate("document.documentElement.scrollWidth") <= 390  # the comparison fits a phone
    # combining both: typing in the box chooses "use the text in the box" (static/js/merge.js, allowed by the CSP)
    _append(tab2.get_by_label("Objectives"), "To agree on a shared capacity-building roadmap.")
    assert conflict.get_by_label("Use the text in the box as I edited it").is_checked()
    tab2.get_by_role("button", name="Save concept note").click()
    assert "Concept note saved." in tab2.locator(".flashes").inner_text()
    assert blocked == []  # merge.js ran under the policy; no inline script or style was refused

    public = browser.new_context().new_page()
    public.goto(f"{demo_server}/events/{slug}")
    text = public.locator("main").inner_text()
    for line in ("To agree on a shared capacity-building roadmap.", "To launch a network of AI training centres.",
                 "Which partnerships could follow from the meeting?"):
        assert text.count(line) == 1, line
    context.close()


def test_without_javascript_two_tabs_saving_the_summary_resolve_by_choosing(demo_server, browser):
    slug = "high-level-meeting-international-cooperation-ai"
    context = browser.new_context(java_script_enabled=False)
    tab1 = context.new_page()
    tab1.goto(demo_server + "/account/login")
    tab1.get_by_label("E-mail address").fill("rapporteur@demo.eventsite.org")
    tab1.get_by_label("Password").fill("eventsite-demo")
    tab1.get_by_role("button", name="Sign in").click()
    tab2 = context.new_page()
    for tab in (tab1, tab2):
        tab.goto(f"{demo_server}/events/{slug}/summary/edit")
    tab1.get_by_label("Venue").fill("Conference Room 12, UN Headquarters")
    tab1.get_by_label(re.compile("^Key issues discussed")).fill("An issue from the first tab")
    tab1.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in tab1.locator(".flashes").inner_text()

    tab2.get_by_label("Time").fill("1:15 pm - 2:30 pm")
    tab2.get_by_label(re.compile("^Key issues discussed")).fill("An issue from the second tab")
    tab2.get_by_role("button", name="Save draft").click()
    conflict = tab2.get_by_role("group", name=re.compile("^You both changed “Key issues discussed"))
    assert "An issue from the first tab" in conflict.inner_text()
    assert "An issue from the second tab" in tab2.locator("main").inner_text() + \
        tab2.get_by_label(re.compile("^Key issues discussed")).input_value()  # what this tab typed is still there
    assert tab2.get_by_label("Time").input_value() == "1:15 pm - 2:30 pm"
    assert tab2.get_by_label("Venue").input_value() == "Conference Room 12, UN Headquarters"
    conflict.get_by_label("Take their version").check()
    tab2.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in tab2.locator(".flashes").inner_text()
    assert tab2.get_by_label("Time").input_value() == "1:15 pm - 2:30 pm"
    assert tab2.get_by_label("Venue").input_value() == "Conference Room 12, UN Headquarters"
    assert tab2.get_by_label(re.compile("^Key issues discussed")).input_value() == "An issue from the first tab"
    context.close()


def test_an_imported_summary_header_is_chosen_field_by_field_on_a_phone(demo_server, browser):
    from pathlib import Path
    fixture = Path(__file__).resolve().parent / "fixtures" / "imports" / "summary-header-table-12h.docx"
    slug = "high-level-meeting-international-cooperation-ai"
    context, tab, spare, blocked = _signed_in_tabs(browser, demo_server, "rapporteur@demo.eventsite.org")
    spare.close()  # a tab in the background slows the one in front to a frame a second
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(f"{demo_server}/events/{slug}/summary/edit")
    tab.get_by_label("Summary file").set_input_files(str(fixture))
    tab.get_by_role("button", name="Import into the form").click()
    choices = tab.locator(".header-choices")
    assert "The file's header differs from the event's record." in choices.inner_text()
    for side_by_side in ("6 May 2025", "25 September 2024", "Conference Room 4, UN Headquarters",
                         "Conference Room 1, UN Headquarters, New York"):
        assert side_by_side in choices.inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.get_by_role("button", name="Save draft").click()
    assert "choose which is right" in tab.locator("#date-error").inner_text()
    for label, source in (("Time", "As in the file"), ("Date", "As in the file"), ("Title", "As in the file"),
                          ("Venue", "As in the event's record"), ("Organized by", "As in the file")):
        group = tab.get_by_role("group", name=f"{label}: which is right?")
        if group.count():  # only the fields where the file and the record differ are asked
            group.get_by_label(source).check()
    tab.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in tab.locator(".flashes").inner_text()
    assert tab.get_by_label("Date").input_value() == "6 May 2025"  # the file's, as chosen
    assert tab.get_by_label("Venue").input_value() == "Conference Room 1, UN Headquarters, New York"  # the record's
    assert blocked == []
    context.close()


def test_an_imported_concept_note_header_is_chosen_field_by_field_on_a_phone(demo_server, browser):
    from pathlib import Path
    fixture = Path(__file__).resolve().parent / "fixtures" / "imports" / "concept-note-header-table.docx"
    slug = "open-science-for-the-sdgs-draft"
    context, tab, spare, blocked = _signed_in_tabs(browser, demo_server, "organiser@demo.eventsite.org")
    spare.close()
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(f"{demo_server}/events/{slug}/concept-note")
    tab.get_by_label("Concept note file").set_input_files(str(fixture))
    tab.get_by_role("button", name="Import").click()
    choices = tab.locator(".header-choices").inner_text()
    for side_by_side in ("11:45 - 13:00", "13:15 - 14:30", "Conference Room 12",
                         "Conference Room 11, UN Headquarters, New York", "Type of UN DESA"):
        assert side_by_side in choices
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.get_by_role("button", name="Save concept note").click()
    assert "choose which is right" in tab.locator("#source_date-error").inner_text()
    for label, source in (("Title", "As in the event's record"), ("Date", "As in the file"),
                          ("Time", "As in the file"), ("Venue", "As in the file"),
                          ("Organized by", "As in the event's record")):
        tab.get_by_role("group", name=f"{label}: which is right?").get_by_label(source).check()
    tab.get_by_role("button", name="Save concept note").click()
    assert "now follow the file for: Date, Time, Venue." in tab.locator(".flashes").inner_text()
    main = tab.locator("main").inner_text()
    assert "Conference Room 12" in main and "11:45" in main
    assert blocked == []
    context.close()


def test_staff_remove_an_event_without_javascript_on_a_phone_and_its_page_answers_410(demo_server, browser):
    slug = "ai-capacity-building-one-year-on"
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(demo_server + "/account/login")
    tab.get_by_label("E-mail address").fill("staff@demo.eventsite.org")
    tab.get_by_label("Password").fill("eventsite-demo")
    tab.get_by_role("button", name="Sign in").click()
    tab.goto(f"{demo_server}/events/{slug}")
    title = tab.locator("h1").inner_text()
    tab.get_by_role("link", name="Remove event").click()
    assert tab.url == f"{demo_server}/events/{slug}/delete"
    assert "will be told by e-mail" in tab.locator("main").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.get_by_role("button", name="Remove the event").click()  # no reason: asked again, nothing removed
    assert tab.locator(".error-summary").count() == 1 and tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.get_by_label("Why is the event removed?").fill("A duplicate of another listing.")
    tab.get_by_role("button", name="Remove the event").click()
    assert "is removed; everyone who counted on it has been told." in tab.locator(".flashes").inner_text()
    assert tab.locator(f'main a[href$="/events/{slug}"]').count() == 0  # back on the programme, without it

    public = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    response = public.goto(f"{demo_server}/events/{slug}")
    assert response.status == 410 and f"“{title}” has been removed" in public.locator("h1").inner_text()
    for width in (390, 1280):
        public.set_viewport_size({"width": width, "height": 800})
        assert public.evaluate("document.documentElement.scrollWidth") <= width
    assert public.request.get(f"{demo_server}/events/{slug}.ics").status == 410
    context.close()
