"""Every public event page carries schema.org Event JSON-LD that has what the schema requires."""
import json
import re
from datetime import time

from eventsite.accounts.models import Role
from eventsite.events.models import Format, Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_user
from tests.registrations.helpers import open_event

OFFSET_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
SCHEMA = "https://schema.org/"
# Required properties of each type, as schema.org's Event rich result and this site's promise define them.
REQUIRED = {
    "Event": {"name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode", "organizer", "url"},
    "Place": {"name", "address"},
    "VirtualLocation": {"url"},
    "Organization": {"name"},
    "Person": {"name"},
    "Offer": {"url", "price", "priceCurrency", "availability"},
    "EventSeries": {"name"},
}
ENUMS = {
    "eventStatus": {SCHEMA + s for s in ("EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled",
                                         "EventMovedOnline")},
    "eventAttendanceMode": {SCHEMA + m for m in ("OfflineEventAttendanceMode", "OnlineEventAttendanceMode",
                                                 "MixedEventAttendanceMode")},
    "availability": {SCHEMA + a for a in ("InStock", "SoldOut", "PreOrder", "Discontinued")},
}


def schema_errors(node, path="$") -> list[str]:
    """What breaks the required properties, types, enumerations and date formats, anywhere in node."""
    if isinstance(node, list):
        return [e for i, item in enumerate(node) for e in schema_errors(item, f"{path}[{i}]")]
    if not isinstance(node, dict):
        return []
    errors = []
    kind = node.get("@type")
    if kind not in REQUIRED:
        errors.append(f"{path}: unknown @type {kind!r}")
    else:
        errors += [f"{path}: {kind} lacks {name}" for name in sorted(REQUIRED[kind] - set(node))
                   if node.get(name) in (None, "", [])]
        errors += [f"{path}.{name}: empty" for name in REQUIRED[kind] if node.get(name) in ("", [])]
    for name, allowed in ENUMS.items():
        if name in node and node[name] not in allowed:
            errors.append(f"{path}.{name}: {node[name]!r}")
    for name in ("startDate", "endDate", "validFrom"):
        if name in node and not OFFSET_DATE_TIME.match(node[name]):
            errors.append(f"{path}.{name}: {node[name]!r} is not a date and time with an offset")
    for name, value in node.items():
        if name != "@context":
            errors += schema_errors(value, f"{path}.{name}")
    return errors


def json_ld(page: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


def test_every_public_event_page_carries_valid_event_json_ld(client, ctx):
    forum = make_forum()
    events = [make_event(forum, status=Status.PUBLISHED),
              make_event(forum, status=Status.PUBLISHED, format=Format.HYBRID, start=time(15), end=time(16)),
              make_event(forum, status=Status.HELD, format=Format.VIRTUAL, room=None, start=time(9), end=time(10)),
              make_event(forum, status=Status.CANCELLED, start=time(17), end=time(18))]
    db.session.commit()
    for event in events:
        [data] = json_ld(client.get(f"/events/{event.slug}").data.decode())
        assert data["@type"] == "Event"
        assert schema_errors(data) == [], event.slug


def test_json_ld_says_when_where_who_and_how_to_register(client, ctx):
    _, event = open_event(capacity=10)
    db.session.commit()
    [data] = json_ld(client.get(f"/events/{event.slug}").data.decode())
    assert data["name"] == event.title
    assert re.search(r"T11:45:00-0[45]:00$", data["startDate"])  # New York time, summer or winter
    assert data["location"] == {"@type": "Place", "name": "Conference Room 6", "address": "UN Headquarters, New York"}
    assert data["organizer"] == [{"@type": "Organization", "name": "Permanent Mission of Zambia to the UN"}]
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["offers"]["url"].endswith(f"/events/{event.slug}/register")
    assert data["offers"]["availability"] == SCHEMA + "InStock"
    assert data["offers"]["price"] == 0
    assert schema_errors(data) == []


def test_a_full_event_without_waiting_list_is_sold_out_and_one_not_yet_open_is_a_pre_order(ctx):
    from eventsite.events.structured_data import event_json_ld
    from eventsite.registrations.services import Availability
    _, event = open_event(capacity=1, waitlist=False, questions=False)
    full = event_json_ld(event, page_url="https://e.org/e", register_url="https://e.org/r",
                         registration=Availability(None, 0, False, None))
    assert full["offers"]["availability"] == SCHEMA + "SoldOut"
    event.registration_settings.opens_at = event.starts_at
    later = event_json_ld(event, page_url="https://e.org/e", register_url="https://e.org/r",
                          registration=Availability("Registration opens on …", 1, False, None))
    assert later["offers"]["availability"] == SCHEMA + "PreOrder"
    assert schema_errors(full) == [] and schema_errors(later) == []


def test_a_hybrid_event_is_in_a_place_and_online_without_its_private_link(client, ctx):
    event = make_event(make_forum(), status=Status.PUBLISHED, format=Format.HYBRID)
    event.webcast_url = "https://meet.example.org/secret-room"
    db.session.commit()
    page = client.get(f"/events/{event.slug}").data.decode()
    [data] = json_ld(page)
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["location"][1]["url"].endswith(f"/events/{event.slug}")
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    assert "secret-room" not in json.dumps(data)


def test_a_cancelled_event_says_so(client, ctx):
    event = make_event(make_forum(), status=Status.CANCELLED)
    db.session.commit()
    [data] = json_ld(client.get(f"/events/{event.slug}").data.decode())
    assert data["eventStatus"] == SCHEMA + "EventCancelled"


def test_a_draft_shown_to_its_team_has_no_json_ld(client, ctx):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)
    add_member(event, organiser, Role.ORGANISER)
    db.session.commit()
    login(client, organiser.email)
    page = client.get(f"/events/{event.slug}")
    assert page.status_code == 200
    assert json_ld(page.data.decode()) == []


def test_json_ld_cannot_close_its_script_and_the_csp_still_forbids_inline_scripts(client, ctx):
    event = make_event(make_forum(), status=Status.PUBLISHED, title="</script><script>alert(1)</script>")
    db.session.commit()
    response = client.get(f"/events/{event.slug}")
    page = response.data.decode()
    assert "<script>alert(1)" not in page
    [data] = json_ld(page)
    assert data["name"] == "</script><script>alert(1)</script>"
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts == [' type="application/ld+json"']  # data only: no inline code anywhere
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
