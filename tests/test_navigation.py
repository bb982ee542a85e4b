"""No dead ends: for each role, following links (and GET forms as they come) from its dashboard (or, signed out, the home page) reaches
every page the role may use, and no link it is shown answers "Not allowed", "Not found" or an error."""
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from eventsite.accounts.models import User
from eventsite.events.queries import event_for_registration
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from tests.conftest import login

LIMIT = 1500  # pages per role; the demo needs about a third of that

EVERYONE = {"events.home", "forums.programme", "events.show", "feeds.event_feed", "feeds.forum_feed",
            "feeds.room_feed", "feeds.organisation_feed", "events.print_concept_note", "events.export_concept_note",
            "agenda.printable", "speakers.speaker_list", "speakers.export", "speakers.person", "summaries.show",
            "summaries.export", "forums.concept_note_template",
            # search every forum, and the archive of forums that are over with their outcome reports
            "search.results", "search.archive", "summaries.forum_outcome", "summaries.forum_outcome_export"}
SIGNED_IN = EVERYONE | {"dashboards.mine", "registrations.mine", "feeds.personal_settings", "events.create"}
ORGANISER = SIGNED_IN | {
    "events.edit", "events.edit_concept_note", "events.concept_note_revisions", "agenda.manage", "agenda.edit",
    "agenda.delete", "speakers.manage", "speakers.add", "speakers.confirm_remove", "speakers.edit_person",
    "registrations.index", "registrations.settings", "registrations.questions", "registrations.check_in",
    "registrations.export", "summaries.edit", "summaries.word_template", "summaries.revisions", "events.team",
    "events.remove_team_member", "activity.event_log", "activity.event_log_csv"}
FORUM_ORGANISER = ORGANISER | {"dashboards.review", "exports.programme", "exports.grid", "speakers.forum_speakers",
                               "summaries.forum_outcome", "summaries.forum_outcome_export"}
STAFF = FORUM_ORGANISER | {"forums.edit_forum", "forums.rooms", "exports.forum_registrations", "activity.forum_log",
                           "activity.forum_log_csv", "forums.create_forum", "summaries.summary_templates",
                           "events.delete"}
EXPECTED = {
    "anonymous": EVERYONE | {"accounts.login", "accounts.signup"},
    "participant": SIGNED_IN | {"feeds.personal_feed", "feeds.confirm_calendar_change", "registrations.manage",
                                "registrations.confirm_withdraw",
                                "registrations.edit", "registrations.calendar_file"},
    "organiser": ORGANISER,
    # edits the events like their organiser (and leads the team of the one it organises), but a
    # speaker's record stays with whoever entered it
    "coorganiser": ORGANISER - {"speakers.edit_person"},
    "rapporteur": SIGNED_IN | {"events.concept_note_revisions", "summaries.edit", "summaries.word_template",
                               "summaries.revisions"},
    # reviews and edits every event of the forum, and sees its programme exports and outcome, not the staff's pages
    "forumorganiser": FORUM_ORGANISER - {"speakers.edit_person"},
    "staff": STAFF,
}
# Signed in as each role: pages beyond the role's are not even offered.
NOT_OFFERED = {"rapporteur": ORGANISER - SIGNED_IN - {"events.concept_note_revisions", "summaries.edit",
                                                        "summaries.word_template", "summaries.revisions"},
               "participant": ORGANISER - SIGNED_IN,
               "coorganiser": FORUM_ORGANISER - ORGANISER,
               "forumorganiser": STAFF - FORUM_ORGANISER}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.hrefs.append(attrs["action"])  # a GET form (filters, exports) sent as it comes


def _local(href: str) -> str | None:
    href = urldefrag(href)[0]
    if href.startswith("http://localhost/"):
        href = href[len("http://localhost"):]
    if not href.startswith("/") or href.startswith("//") or href.startswith(("/static/", "/lang")):
        return None
    return href


def crawl(app, client, start):
    """Every page reachable by following links from start: {url: (status, endpoint, found_on)}."""
    adapter = app.url_map.bind("localhost")
    found, queue = {}, deque([(start, None)])
    while queue and len(found) < LIMIT:
        url, parent = queue.popleft()
        if url in found:
            continue
        response = client.get(url)
        try:
            endpoint = adapter.match(urlsplit(url).path)[0]
        except NotFound:
            endpoint = None
        found[url] = (response.status_code, endpoint, parent)
        if response.status_code in (301, 302, 303) and "/account/login" not in response.location:
            queue.append((_local(response.location) or response.location, url))
        elif response.status_code == 200 and response.mimetype == "text/html":
            parser = Links()
            parser.feed(response.get_data(as_text=True))
            queue.extend((link, url) for link in map(_local, parser.hrefs) if link and link not in found)
    return found


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.test_request_context():  # the service builds the links of the mail it queues
        participant = db.session.scalar(select(User).where(User.email == "participant@demo.eventsite.org"))
        participant.calendar_token = "p" * 40  # the personal feed exists once asked for
        # registered for the one event open for registration, so their registration's pages exist
        event = event_for_registration("ai-capacity-building-one-year-on")
        registrations.register(event, registrations.RegistrationInput(
            name=participant.name, email=participant.email, answers={}), user=participant,
            questions=[q for q in registrations.questions_of(event) if not q.required])
        db.session.commit()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_page_a_role_may_use_is_reachable_by_clicking_and_no_link_is_refused(app, client, demo, role):
    if role != "anonymous":
        login(client, f"{role}@demo.eventsite.org", "eventsite-demo")
    found = crawl(app, client, "/dashboard" if role != "anonymous" else "/")
    assert len(found) < LIMIT
    broken = {url: (status, parent) for url, (status, _, parent) in found.items() if status >= 400}
    assert broken == {}
    reached = {endpoint for status, endpoint, _ in found.values() if status == 200}
    assert EXPECTED[role] - reached == set()
    assert NOT_OFFERED.get(role, set()) & reached == set()
