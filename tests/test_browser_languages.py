"""The main pages of every role, in a real browser, in the six languages: in Arabic they run right to left
and fit a 390 px phone and a 1280 px desktop (screenshots saved under build/browser/arabic/), and in
every language axe finds no accessibility violation. One Chromium and one demo server serve the whole
session; each role signs in once and goes through its pages in all six languages."""
import re
from pathlib import Path

import pytest

from tests.conftest import BROWSER_OUTPUT

pytestmark = pytest.mark.browser

LANGUAGES = ("ar", "zh_Hans", "en", "fr", "ru", "es")
HTML_LANG = {"zh_Hans": "zh-Hans"}
PHONE, DESKTOP = (390, 844), (1280, 800)

EVENT = "/events/ai-capacity-building-one-year-on"  # the 2027 event, open for registration
HELD = "/events/from-divide-to-synergy"  # the 2025 event, with its published summary
DRAFT_SUMMARY = "/events/high-level-meeting-international-cooperation-ai"
FORUM = "/forums/sti-forum-2025"

MAIN_PAGES = {
    "anonymous": ["/", FORUM, HELD, f"{HELD}/summary", "/account/login", "/account/signup"],
    "participant": ["/dashboard", "/account/registrations", "/account/calendar", "/account/security", EVENT],
    "organiser": ["/dashboard", EVENT, f"{EVENT}/edit", f"{EVENT}/concept-note", f"{EVENT}/agenda",
                  f"{EVENT}/speakers", f"{EVENT}/registrations", f"{EVENT}/team",
                  f"{EVENT}/dashboard"],
    "rapporteur": ["/dashboard", f"{DRAFT_SUMMARY}/summary/edit", f"{HELD}/summary"],
    "staff": ["/review", FORUM, f"{FORUM}/dashboard", f"{FORUM}/rooms", f"{FORUM}/grid", f"{FORUM}/speakers", f"{FORUM}/activity",
              f"{EVENT}/check-in", "/staff/mail"],
}

AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def _signed_in(chromium, site, role):
    context = chromium.new_context()
    context.add_init_script(path=str(AXE_SCRIPT))  # in every page before its own scripts; CSP does not apply
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    if role != "anonymous":
        page.goto(site + "/account/login")
        page.locator("#email").fill(f"{role}@demo.eventsite.org")
        page.locator("#password").fill("eventsite-demo")
        page.locator("main button.primary[type=submit]").first.click()
        page.wait_for_load_state()
        assert "/account/login" not in page.url, f"{role} could not sign in"
    return context, page, blocked


def _open(page, site, path):
    response = page.goto(site + path)
    assert (path, response.status, page.url.replace(site, "")) == (path, 200, path)


def _violations(page) -> list[str]:
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]}"
            for v in results["violations"]]


@pytest.mark.parametrize("role", list(MAIN_PAGES))
def test_the_main_pages_of_each_role_are_accessible_in_six_languages_and_fit_right_to_left(chromium, demo_site,
                                                                                           role):
    context, page, blocked = _signed_in(chromium, demo_site, role)
    shots = BROWSER_OUTPUT / "arabic"
    shots.mkdir(parents=True, exist_ok=True)
    found, too_wide = {}, []
    try:
        for language in LANGUAGES:
            page.goto(f"{demo_site}/language?lang={language}&next=/")
            for path in MAIN_PAGES[role]:
                page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
                _open(page, demo_site, path)
                assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == \
                    [HTML_LANG.get(language, language), "rtl" if language == "ar" else "ltr"]
                violations = _violations(page)
                if violations:
                    found[(language, path)] = violations
                if language != "ar":
                    continue
                # Arabic at both widths: the same page laid out again, no second load
                for width, height in (DESKTOP, PHONE):
                    page.set_viewport_size({"width": width, "height": height})
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    if scroll_width > width:
                        too_wide.append((width, path, scroll_width))
                    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    page.screenshot(path=str(shots / f"{role}-{name}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert (found, too_wide, blocked) == ({}, [], [])
