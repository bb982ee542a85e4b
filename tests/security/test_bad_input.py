"""Bad input never answers 500 (issue 11, finding 8): dates no clock can convert, ids beyond any
column, NUL and other control characters, a line break in next=. Each is refused with a message
beside its field (or a 4xx page for a URL), the same on SQLite and PostgreSQL.

The named cases of the issue are replayed one by one; then every form class, every URL rule and
every form a role is shown in the demo is tried, so that a new form or route cannot escape."""
import html
import importlib
import pkgutil
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

import eventsite
from eventsite.core.forms import Form
from eventsite.core.mail import OutboxMessage
from eventsite.events.models import Event, Forum, Status
from eventsite.extensions import db
from eventsite.registrations.models import Registration
from eventsite.speakers.models import SpeakerAssignment
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.registrations.helpers import form_data, open_event, register
from tests.security.test_hardening import field_error

TOO_BIG = str(2**63)  # one beyond the largest 64-bit integer
NUL = "Amina\x00Haddad"
CONTROL_MESSAGE = "Remove the control characters (such as NUL) from this field"
DATE_MESSAGE = "Enter a date between 1900-01-01 and 2999-12-31."


def _page(response) -> str:
    return response.get_data(as_text=True)


# --- The cases named in the issue --------------------------------------------------------------

@pytest.mark.parametrize("field", ["name", "accessibility_needs", "organisation", "sign_language_wanted"])
def test_nul_in_a_registration_field_is_refused_beside_it_and_the_form_keeps_what_was_typed(client, ctx, field):
    organiser, event = open_event(anonymous=True)
    response = client.post(f"/events/{event.slug}/register",
                           data=form_data(event, email="amina@example.org", **{field: NUL}))
    assert response.status_code == 422
    assert field_error(_page(response), field).startswith(CONTROL_MESSAGE)
    assert 'value="amina@example.org"' in _page(response)  # the other fields are re-shown as typed
    assert db.session.scalar(select(db.func.count(Registration.id))) == 0


def test_nul_in_the_sign_up_name_is_refused_beside_it(client, ctx):
    response = client.post("/account/signup", data={"name": NUL, "email": "amina@example.org",
                                                     "password": "a-long-password", "confirm": "a-long-password"})
    assert response.status_code == 422
    assert field_error(_page(response), "name").startswith(CONTROL_MESSAGE)
    assert 'value="amina@example.org"' in _page(response)


def _edit_form(client, event) -> dict:
    from tests.html_forms import form_values
    return form_values(_page(client.get(f"/events/{event.slug}/edit")), f"/events/{event.slug}/edit")


def _organised_event(client):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)
    db.session.commit()
    login(client, organiser.email)
    return event


def test_nul_in_an_event_title_is_refused_beside_it(client, ctx):
    event = _organised_event(client)
    data = _edit_form(client, event) | {"title": "Side\x00event"}
    response = client.post(f"/events/{event.slug}/edit", data=data)
    assert response.status_code == 422
    assert field_error(_page(response), "title").startswith(CONTROL_MESSAGE)


def test_nul_in_an_agenda_title_is_refused_beside_it(client, ctx):
    event = _organised_event(client)
    response = client.post(f"/events/{event.slug}/agenda", data={"title": "Opening\x00", "kind": "opening",
                                                                "start": "11:45", "minutes": "10"})
    assert response.status_code == 422
    assert field_error(_page(response), "title").startswith(CONTROL_MESSAGE)


@pytest.mark.parametrize("day, start, end, timezone", [("9999-12-31", "23:00", "23:30", "America/New_York"),
                                                      ("0001-01-01", "00:00", "01:00", "Asia/Tokyo")])
def test_an_event_day_no_clock_can_convert_is_refused_beside_it(client, ctx, day, start, end, timezone):
    event = _organised_event(client)
    data = _edit_form(client, event) | {"day": day, "start": start, "end": end, "timezone": timezone}
    response = client.post(f"/events/{event.slug}/edit", data=data)
    assert response.status_code == 422
    assert field_error(_page(response), "day") == DATE_MESSAGE
    assert f'value="{day}"' in _page(response)


@pytest.mark.parametrize("first, last", [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")])
def test_forum_days_out_of_range_are_refused_beside_them(client, ctx, first, last):
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    response = client.post("/staff/forums/new", data={"name": "Far forum", "starts_on": first, "ends_on": last,
                                                      "timezone": "Asia/Tokyo", "summary_template": "sti-side-event"})
    assert response.status_code == 422
    assert field_error(_page(response), "starts_on") == DATE_MESSAGE
    assert field_error(_page(response), "ends_on") == DATE_MESSAGE
    assert db.session.scalar(select(db.func.count(Forum.id))) == 0


def test_a_registration_deadline_out_of_range_is_refused_beside_it(client, ctx):
    organiser, event = open_event()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/registrations/settings",
                           data={"opens_on": "0001-01-01", "opens_time": "00:00", "closes_on": "9999-12-31",
                                 "closes_time": "23:00", "mode": "open", "waitlist": "y"})
    assert response.status_code == 422
    assert field_error(_page(response), "opens_on") == DATE_MESSAGE
    assert field_error(_page(response), "closes_on") == DATE_MESSAGE


def test_an_activity_log_filter_out_of_range_is_shown_beside_it_and_ignored(client, ctx):
    event = _organised_event(client)
    response = client.get(f"/events/{event.slug}/activity?date_from=0001-01-01&date_to=9999-12-31")
    assert response.status_code == 200
    assert field_error(_page(response), "date_from") == DATE_MESSAGE


@pytest.mark.parametrize("path", [f"/registrations/{TOO_BIG}", f"/registrations/{2**31}", f"/people/{TOO_BIG}",
                                  f"/staff/mail/{TOO_BIG}/retry", f"/organisations/{TOO_BIG}.ics"])
def test_an_id_beyond_64_bits_in_a_url_answers_404(client, ctx, path):
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    response = client.get(path) if not path.endswith("/retry") else client.post(path)
    assert response.status_code == 404
    assert "There is nothing at this address" in _page(response)


def test_ids_beyond_64_bits_in_form_fields_are_refused(client, ctx):
    organiser, event = open_event()
    registration = register(event, make_user())
    staff = make_staff()
    db.session.commit()
    login(client, organiser.email)
    check_in = client.post(f"/events/{event.slug}/check-in", data={"registration_id": TOO_BIG})
    decided = client.post(f"/events/{event.slug}/registrations/decide", data={"decision": "approve",
                                                                            "ids": [TOO_BIG, registration.id]})
    assigned = client.post(f"/events/{event.slug}/speakers/assign", data={"person_id": TOO_BIG, "role": "speaker",
                                                                         "agenda_item": "0"})
    login(client, staff.email)
    rooms = client.get(f"/forums/{event.forum.slug}/rooms?room={TOO_BIG}")
    reviewed = client.post("/review", data={"event_ids": [TOO_BIG], "decision": "approved"})
    assert check_in.status_code == 422 and "This number is too large." in _page(check_in)
    assert reviewed.status_code == 422
    # the list's buttons and the search result's "add" go back to their page with the reason on top
    assert (decided.status_code, assigned.status_code) == (302, 302)
    assert db.session.scalar(select(db.func.count(SpeakerAssignment.id))) == 0
    assert rooms.status_code == 200  # the rooms page, with no room chosen


def test_a_line_break_in_next_splits_no_header(client, ctx):
    make_user("amina@example.org")
    db.session.commit()
    refused = client.get("/account/login?next=/%0d%0aSet-Cookie:%20stolen=1")
    assert refused.status_code == 400 and "control characters" in _page(refused)
    posted = client.post("/account/login", data={"email": "amina@example.org", "password": "correct-horse-battery",
                                                 "next": "/\r\nSet-Cookie: stolen=1"})
    assert posted.status_code == 302 and "\n" not in posted.location and "stolen" not in posted.location
    assert client.get("/language?lang=fr&next=/%0aX").status_code == 400


def test_nul_in_send_me_my_link_is_refused_and_nothing_is_mailed(client, ctx):
    organiser, event = open_event(anonymous=True)
    before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    response = client.post(f"/events/{event.slug}/register/send-link", data={"email": "amina\x00@example.org"})
    assert response.status_code == 422 and CONTROL_MESSAGE in html.unescape(_page(response))
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == before


@pytest.mark.parametrize("path", ["/events/a%00b", "/forums/a%00b", "/r/a%00b", "/events/a%0ab/register",
                                  "/?q=a%00b", "/forums/x?q=%00"])
def test_control_characters_in_an_address_answer_4xx(client, ctx, path):
    assert client.get(path).status_code in (400, 404)


@pytest.mark.parametrize("path, status, field", [
    (f"/api/v1/events?room={TOO_BIG}", 422, "room"), ("/api/v1/events?day=9999-12-31", 422, "day"),
    ("/api/v1/events?day=0001-01-01", 422, "day"), ("/api/v1/events?q=a%00b", 400, None),
    ("/api/v1/events/a%00b", 404, None), ("/api/v1/forums/a%00b", 404, None)])
def test_the_api_answers_bad_input_with_a_json_error(client, ctx, path, status, field):
    response = client.get(path)
    assert (response.status_code, response.mimetype) == (status, "application/json")
    assert response.json["errors"][0]["field"] == field


# --- Every form, every URL rule -----------------------------------------------------------------

def _every_module():
    for module in pkgutil.walk_packages(eventsite.__path__, "eventsite."):
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_is_built_on_the_shared_base_that_refuses_unstorable_input():
    _every_module()
    forms = {f"{cls.__module__}.{cls.__qualname__}" for cls in _subclasses(FlaskForm)
             if cls.__module__.startswith("eventsite.")}
    escaped = {f"{cls.__module__}.{cls.__qualname__}" for cls in _subclasses(FlaskForm)
               if cls.__module__.startswith("eventsite.") and not issubclass(cls, Form)}
    assert len(forms) > 40 and escaped == set()


def _url(rule, value_for_int, value_for_text) -> str:
    """The rule's path with each variable filled: ints with value_for_int, text with value_for_text."""
    def fill(match):
        converter = match.group(1) or "default"
        if converter == "int":
            return value_for_int
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip()
        return value_for_text
    return re.sub(r"<(?:([^:>]+):)?[^>]+>", fill, rule.rule)


def _staff_client(app):
    client = app.test_client()
    with app.app_context():
        email = make_staff().email
        db.session.commit()
    login(client, email)
    return client


def _rules(app, having):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            and any(having(converter) for converter in rule._converters.values())]


def test_every_url_with_an_id_beyond_any_column_answers_404(app):
    client = _staff_client(app)
    rules = _rules(app, lambda c: c.__class__.__name__ == "IdConverter")
    assert len(rules) >= 14
    answers = {}
    for rule in rules:
        for number in (TOO_BIG, str(2**31), "1" * 40):
            path = _url(rule, number, "x")
            answers[path] = (client.get(path) if "GET" in rule.methods else client.post(path)).status_code
    assert {path: status for path, status in answers.items() if status != 404} == {}


def test_every_url_with_a_control_character_in_its_text_answers_404(app):
    client = _staff_client(app)
    rules = _rules(app, lambda c: c.__class__.__name__ == "TextConverter")
    assert len(rules) >= 60
    answers = {}
    for rule in rules:
        for text in ("a%00b", "a%0Ab", "a%1Bb"):  # as the browser sends them
            path = _url(rule, "1", text)
            answers[repr(path)] = (client.get(path) if "GET" in rule.methods else client.post(path)).status_code
    assert {path: status for path, status in answers.items() if status != 404} == {}


# --- Every form a role is shown, sent back with bad input ----------------------------------------

class PageReader(HTMLParser):
    """The links of a page and its forms: action, method and each field's name, kind and value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self.form, self.select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                         "fields": []}
            self.forms.append(self.form)
        elif self.form is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else tag
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.form["fields"].append([attrs["name"], kind, attrs.get("value") or ("y" if kind == "checkbox" else "")])
            if tag == "select":
                self.select = self.form["fields"][-1]
        elif tag == "option" and self.select is not None:
            if self.select[2] == "" or "selected" in attrs:
                self.select[2] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


DOWNLOADS = re.compile(r"\.(ics|csv|xlsx|docx|pdf|md|txt|svg|jpg)(\?|$)")


def _local(href: str, base: str) -> str | None:
    from urllib.parse import urldefrag, urljoin
    href = urljoin("http://localhost" + base, urldefrag(href)[0])
    if not href.startswith("http://localhost/"):
        return None
    path = href[len("http://localhost"):]
    if path.startswith(("/static/", "/lang", "/account/logout")) or DOWNLOADS.search(path):
        return None
    return path


def collect_forms(app, client, start, *, per_endpoint=8, limit=800):
    """Following links from start (a few pages per endpoint): every form shown, by (action endpoint, fields)."""
    adapter = app.url_map.bind("localhost")
    seen, visits, forms, queue = set(), {}, {}, deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint = adapter.match(urlsplit(url).path)[0]
        except Exception:
            continue
        shape = (endpoint, tuple(sorted(parse_qs(urlsplit(url).query))))
        visits[shape] = visits.get(shape, 0) + 1
        if visits[shape] > per_endpoint:
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        reader = PageReader()
        reader.feed(_page(response))
        queue.extend(link for link in (_local(href, url) for href in reader.links) if link and link not in seen)
        for form in reader.forms:
            action = _local(form["action"], url) if form["action"] else url
            if action is None:
                continue
            try:
                method = "POST" if form["method"] == "post" else "GET"
                target = adapter.match(urlsplit(action).path, method=method)[0]
            except Exception:
                continue
            if method == "GET":  # a search or filter, sent as it comes (with a word to find, if it asks one)
                query = {name: value or ("a" if kind == "search" or name == "q" else "") for name, kind, value
                         in form["fields"]}
                queue.append(urlsplit(action).path + "?" + urlencode(query))
            key = (target, method, tuple(sorted(name for name, _, _ in form["fields"])))
            forms.setdefault(key, (action, method, form["fields"], url))
    return forms


TYPED = {"text", "textarea", "email", "url", "search", "password", "tel"}  # what a person types in
CHOSEN = {"hidden", "select", "radio", "checkbox"}  # what the page sets; a forged value is refused all the same
NOT_FUZZED = {"csrf_token", "next"}  # the token is off in tests; next= has its own test


def _variants(fields):
    """The form sent back with NUL in every text, dates no clock converts, numbers beyond 64 bits."""
    nul = {name: value + "\x00" for name, kind, value in fields if kind in TYPED and name not in NOT_FUZZED}
    forged = {name: value + "\x00" for name, kind, value in fields if kind in CHOSEN and name not in NOT_FUZZED}
    dates = {name: {"date": "9999-12-31", "time": "23:00", "datetime-local": "9999-12-31T23:00"}[kind]
             for name, kind, _ in fields if kind in ("date", "time", "datetime-local")}
    early = {name: {"date": "0001-01-01", "time": "00:00", "datetime-local": "0001-01-01T00:00"}[kind]
             for name, kind, _ in fields if kind in ("date", "time", "datetime-local")}
    for name, kind, _ in fields:
        if "timezone" in name and early:
            early[name] = "Asia/Tokyo"
    numbers = {name: TOO_BIG for name, kind, value in fields
               if name not in NOT_FUZZED and (kind == "number" or value.isdigit())}
    return {"nul": nul, "forged nul": forged, "late date": dates, "early date": early, "big number": numbers}


# Forms reached only from an e-mailed link or a step before them; each has its own test.
REACHED_OTHERWISE = {
    "accounts.reset_password": "tests/security/test_accounts.py (password reset)",
    "accounts.two_factor_login": "tests/accounts two-factor sign-in",
    "accounts.two_factor_disable": "shown once two factors are on",
    "accounts.two_factor_renew_codes": "shown once two factors are on",
    "registrations.verify": "tests/security/test_registrations.py",
    "speakers.invitation": "tests/security/test_speakers.py",
    "speakers.refuse_invitations": "tests/security/test_speakers.py",
    "registrations.send_link": "test_nul_in_send_me_my_link_is_refused_and_nothing_is_mailed",
    "accounts.resend_verification": "only shown to an unverified account; no field",
    "mail.retry": "only shown for a failed message; no field",
    "accounts.logout": "no field",
    "accounts.revoke_api_token": "shown only once the account has a token; no field",
    "webhooks.remove": "shown only once a webhook exists; no field",
    "events.allow_late": "shown to staff only on a proposal outside its call; no field (tests/events/test_calls.py)",
    "notifications.unsubscribe_now": "an e-mail's unsubscribe link, a button without fields (tests/notifications)",
    "coorganisers.answer": "the focal point's e-mailed link: tests/security/test_co_organisers.py",
    "api.dispatch": "the JSON API, no form: test_the_api_answers_bad_input_with_a_json_error and tests/api",
}


@pytest.fixture
def demo_site(app):
    """The demo, with the participant registered for the open event (so its pages and forms exist)."""
    from eventsite.accounts.models import User
    from eventsite.events.queries import event_for_registration
    from eventsite.registrations import services as registrations
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.test_request_context():
        participant = db.session.scalar(select(User).where(User.email == "participant@demo.eventsite.org"))
        participant.calendar_token = "p" * 40  # so that renewing and turning off the feed are offered
        event = event_for_registration("ai-capacity-building-one-year-on")
        registrations.register(event, registrations.RegistrationInput(
            name=participant.name, email=participant.email, answers={}), user=participant,
            questions=[q for q in registrations.questions_of(event) if not q.required])
        draft = db.session.scalar(select(Event).where(Event.slug == "open-science-for-the-sdgs-draft"))
        draft.status = Status.SUBMITTED  # so that the review page offers its bulk decision
        db.session.commit()


def _fuzz(app, email, start):
    client = app.test_client()
    if email:
        login(client, email, "eventsite-demo")
    forms = collect_forms(app, client, start)
    answers, fuzzed = {}, {endpoint for endpoint, _, _ in forms}
    for (endpoint, method, _), (action, _, fields, page) in forms.items():
        for variant, bad in _variants(fields).items():
            if not bad:
                continue
            data = {name: value for name, kind, value in fields} | bad
            try:  # tests propagate exceptions: each counts as the 500 it would be
                if method == "GET":
                    status = client.get(urlsplit(action).path + "?" + urlencode(data)).status_code
                else:
                    status = client.post(action, data=data).status_code
            except Exception as error:
                status = 500
                bad = f"{sorted(bad)} {type(error).__name__}: {str(error)[:120]}"
                with app.app_context():
                    db.session.rollback()
            sent = bad if isinstance(bad, str) else sorted(bad)
            answers[f"{variant}: {method} {action} (from {page}) {sent}"] = status
    return forms, fuzzed, answers


@pytest.mark.parametrize("role", ["anonymous", "participant", "organiser", "staff"])
def test_every_form_a_role_is_shown_refuses_bad_input_without_a_500(app, demo_site, role):
    email = None if role == "anonymous" else f"{role}@demo.eventsite.org"
    forms, fuzzed, answers = _fuzz(app, email, "/" if role == "anonymous" else "/dashboard")
    assert len(forms) > 3
    assert {what: status for what, status in answers.items() if status >= 500} == {}
    # NUL typed into a field is answered 4xx (the form again, the message beside the field).
    assert {what: status for what, status in answers.items() if what.startswith("nul: POST") and status < 400} == {}


def test_every_form_endpoint_is_tried_by_the_crawl_or_has_its_own_test(app, demo_site):
    tried = set()
    for role, start in [(None, "/"), ("participant", "/dashboard"), ("staff", "/dashboard")]:
        tried |= _fuzz(app, role and f"{role}@demo.eventsite.org", start)[1]
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posting - tried - set(REACHED_OTHERWISE))
    assert missing == [], "; ".join(missing)
    assert set(REACHED_OTHERWISE) & tried == set()  # the list names only what the crawl cannot reach
