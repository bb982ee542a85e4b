"""Switching language leaves no English behind: every page each role reaches by clicking (one page per kind
of page) is opened in each translated language, and no text or label on it is a string of the English
catalogue whose translation differs. What authors wrote is theirs and is left alone: text marked with
another language, and the agenda titles and registration questions of the demo, which are written in
English ("Opening remarks", "In person") and happen to match strings of the catalogue."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from eventsite.agenda.models import AgendaItem
from eventsite.extensions import db
from eventsite.registrations.models import Question

from tests.conftest import login
from tests.test_navigation import EXPECTED, crawl, demo  # noqa: F401  (demo is a fixture)

CATALOGUES = Path(__file__).resolve().parents[1] / "eventsite" / "translations"
LANGUAGES = ("ar", "zh_Hans", "fr", "ru", "es")
LABELS = ("placeholder", "title", "aria-label", "alt")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _normal(text: str) -> str:
    return " ".join(text.split())


def _english_strings(code: str) -> list[re.Pattern]:
    """The catalogue's English strings that read differently in the language, as whole-text patterns."""
    with open(CATALOGUES / code / "LC_MESSAGES" / "messages.po", encoding="utf-8") as po:
        catalogue = read_po(po, locale=code)
    patterns = []
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            english = _normal(english)
            literal = PLACEHOLDER.sub("", english)
            if not english or "<" in english or len(re.sub(r"\W", "", literal)) < 3 or english in strings:
                continue
            parts = [re.escape(part) for part in PLACEHOLDER.split(english)]
            patterns.append(re.compile("^" + ".+?".join(parts) + "$"))
    return patterns


class Texts(HTMLParser):
    """The page's text nodes and labels, except scripts and whatever is marked with another language."""

    def __init__(self, language: str):
        super().__init__()
        self.stack, self.texts = [(None, language)], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang", self.stack[-1][1]).replace("-", "_")
        if language == self.stack[0][1]:
            self.texts.extend(_normal(attrs[name]) for name in LABELS if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(_normal(attrs["value"]))
        if tag not in VOID:
            self.stack.append((tag, language))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        tag, language = self.stack[-1]
        if tag not in ("script", "style") and language == self.stack[0][1] and data.strip():
            self.texts.append(_normal(data))


def english_left(html: str, language: str, patterns, authored=frozenset()) -> set[str]:
    parser = Texts(language)
    parser.feed(html)
    return {text for text in parser.texts
            if text not in authored and any(pattern.match(text) for pattern in patterns)}


def _authored() -> frozenset[str]:
    """The texts organisers typed that a page shows word for word."""
    texts = set(db.session.scalars(select(AgendaItem.title)))
    for label, options in db.session.execute(select(Question.label, Question.options)):
        texts.update([label, *(options or [])])
    return frozenset(_normal(text) for text in texts)


def test_the_check_sees_an_untranslated_label_and_leaves_marked_english_alone():
    patterns = [re.compile(r"^Save the language$"), re.compile(r"^Passcode: .+?$")]
    page = ('<main><button>Save the language</button><p lang="en">Save the language</p>'
            '<input placeholder="Passcode: 123"><script>"Save the language"</script></main>')
    assert english_left(page, "fr", patterns) == {"Save the language", "Passcode: 123"}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_no_page_a_role_reaches_shows_english_in_another_language(app, client, demo, role):  # noqa: F811
    if role != "anonymous":
        login(client, f"{role}@demo.eventsite.org", "eventsite-demo")
    pages = {}  # one page of each kind: same template, same strings
    for url, (status, endpoint, _) in crawl(app, client, "/dashboard" if role != "anonymous" else "/").items():
        if status == 200 and endpoint and not endpoint.startswith(("feeds.", "core.")):
            pages.setdefault(endpoint, url)
    with app.app_context():
        authored = _authored()
    left = {}
    for language in LANGUAGES:
        patterns = _english_strings(language)
        client.get(f"/language?lang={language}")
        for endpoint, url in sorted(pages.items()):
            response = client.get(url)
            if response.mimetype == "text/html":
                found = english_left(response.get_data(as_text=True), language, patterns, authored)
                if found:
                    left[(language, url)] = sorted(found)
    assert left == {}
