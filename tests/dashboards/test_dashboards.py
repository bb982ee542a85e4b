"""The forum's dashboard for its secretariat and an event's for its team: every chart with its table,
downloads whose numbers are the chart's, a constant number of queries, and a 304 when nothing changed."""
import csv
import io
import re
from datetime import datetime, time, timedelta, timezone
from itertools import count

from eventsite.accounts.models import Role
from eventsite.accounts.services import grant
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user

_numbers = count(1)


def _register(event, status, n=1):
    for _ in range(n):
        number = next(_numbers)
        db.session.add(Registration(event_id=event.id, token=f"t{number}", checkin_code=f"c{number}", status=status,
                                    name=f"Person {number}", email=f"p{number}@example.org", arrival=number))
    db.session.flush()


def _forum_with_events(n_events, *, staff=None):
    day = (datetime.now(timezone.utc) + timedelta(days=20)).date()
    forum = make_forum(starts_on=day, ends_on=day + timedelta(days=1), staff=staff)
    organiser = make_user()
    events = []
    for i in range(n_events):
        event = make_event(forum, organiser=organiser, status=Status.PUBLISHED, day=day, sdgs=(9, 17),
                           start=time(9 + 2 * i, 0), end=time(10 + 2 * i, 30))
        registrations.save_settings(event, user=organiser, opens_at=datetime.now(timezone.utc) - timedelta(days=1),
                                    closes_at=None, capacity=4, waitlist=True)
        _register(event, RegistrationStatus.CONFIRMED, 2 + i)
        _register(event, RegistrationStatus.WAITLISTED, i)
        events.append(event)
    return forum, organiser, events


def _svg_values(page: str, key: str) -> list[list[float]]:
    """The numbers drawn in one chart: each series' values, from the bars' data-value attributes."""
    svg = re.search(rf'<svg[^>]*aria-labelledby="chart-{key}-title[^>]*>.*?</svg>', page, re.S).group(0)
    values: dict[int, dict[int, float]] = {}
    for series, category, value in ((int(s), int(c), float(v)) for v, s, c in re.findall(
            r'data-value="([\d.]+)" data-series="(\d+)" data-category="(\d+)"', svg)):
        values.setdefault(series, {})[category] = value
    return [[row[c] for c in sorted(row)] for _s, row in sorted(values.items())]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_staff_see_every_chart_of_the_forum_with_its_table(client, ctx):
    staff = make_staff()
    forum, _organiser, events = _forum_with_events(3, staff=staff)
    db.session.commit()
    login(client, staff.email)
    page = client.get(f"/forums/{forum.slug}/dashboard").data.decode()
    for key in ("pipeline", "events-sdg", "events-kind", "events-region", "speakers-gender", "speakers-region",
                "speakers-south", "speakers-stakeholder", "rooms", "registrations", "fullness", "summaries"):
        assert f'id="chart-{key}-title"' in page, key
        assert f'href="/forums/{forum.slug}/dashboard/{key}.csv"' in page
        assert f'href="/forums/{forum.slug}/dashboard/{key}.png"' in page
    assert "Panels whose speakers are all of one gender" in page and "Overdue summaries" in page
    assert "style=" not in page.split("<main", 1)[1]  # the strict CSP refuses inline style attributes
    assert events[2].title in page  # named in the table of registrations per event


def test_each_csv_has_the_numbers_the_chart_draws(client, ctx):
    staff = make_staff()
    forum, _organiser, _events = _forum_with_events(3, staff=staff)
    db.session.commit()
    login(client, staff.email)
    page = client.get(f"/forums/{forum.slug}/dashboard").data.decode()
    for key in ("pipeline", "events-sdg", "rooms", "fullness", "registrations"):
        rows = _csv(client.get(f"/forums/{forum.slug}/dashboard/{key}.csv"))
        drawn = _svg_values(page, key)
        assert [[float(v) for v in column] for column in zip(*(row[1:] for row in rows[1:]))] == drawn, key
    sdgs = {row[0]: row[1] for row in _csv(client.get(f"/forums/{forum.slug}/dashboard/events-sdg.csv"))[1:]}
    assert [n for name, n in sdgs.items() if name.startswith(("SDG 9 ", "SDG 17 "))] == ["3", "3"]
    fullness = dict(_csv(client.get(f"/forums/{forum.slug}/dashboard/fullness.csv"))[1:])
    assert fullness["Full, with a waiting list"] == "2" and fullness["Under half full"] == "0"
    assert fullness["Half to three-quarters full"] == "1"  # 2 confirmed of 4, nobody waiting


def test_the_svg_and_png_downloads_are_pictures_of_the_chart(client, ctx):
    staff = make_staff()
    forum, _organiser, _events = _forum_with_events(1, staff=staff)
    db.session.commit()
    login(client, staff.email)
    svg = client.get(f"/forums/{forum.slug}/dashboard/events-sdg.svg")
    assert svg.mimetype == "image/svg+xml" and 'xmlns="http://www.w3.org/2000/svg"' in svg.data.decode()
    assert "<title" in svg.data.decode() and "style=" not in svg.data.decode()
    png = client.get(f"/forums/{forum.slug}/dashboard/events-sdg.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert client.get(f"/forums/{forum.slug}/dashboard/overdue.png").status_code == 404  # a table has no picture
    assert client.get(f"/forums/{forum.slug}/dashboard/nothing.csv").status_code == 404


def test_arabic_dashboard_is_right_to_left_with_mirrored_charts(client, app):
    with app.app_context():  # the requests below get their own context, and so their own language
        staff = make_staff()
        forum, _organiser, _events = _forum_with_events(1, staff=staff)
        db.session.commit()
        email, slug = staff.email, forum.slug
    login(client, email)
    page = client.get(f"/forums/{slug}/dashboard?lang=ar").data.decode()
    assert '<html lang="ar" dir="rtl">' in page
    bars = re.search(r'aria-labelledby="chart-events-sdg-title.*?</svg>', page, re.S).group(0)
    label = re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" font-size="12"', bars)
    assert float(label.group(1)) > 320 and label.group(2) == "end"  # category labels on the right, ending at the bars


def test_the_dashboard_costs_the_same_queries_for_one_or_three_events(client, ctx, count_queries):
    staff = make_staff()
    small, _o, _e = _forum_with_events(1, staff=staff)
    large, _o, _e = _forum_with_events(3, staff=staff)
    db.session.commit()
    login(client, staff.email)
    counts = []
    for forum in (small, large):
        with count_queries() as queries:
            assert client.get(f"/forums/{forum.slug}/dashboard").status_code == 200
        counts.append(len(queries))
        reading = [q for q in queries.statements if re.search(r"(FROM|JOIN) registrations\b", q)]
        assert reading and all(re.search(r"\b(count|max|sum)\(", q) for q in reading), "only counted, never loaded"
    assert counts[0] == counts[1]


def test_an_unchanged_dashboard_answers_304_and_a_new_registration_changes_it(client, ctx):
    staff = make_staff()
    forum, _organiser, events = _forum_with_events(2, staff=staff)
    db.session.commit()
    login(client, staff.email)
    first = client.get(f"/forums/{forum.slug}/dashboard")
    etag = first.headers["ETag"]
    again = client.get(f"/forums/{forum.slug}/dashboard", headers={"If-None-Match": etag})
    assert again.status_code == 304
    cancelled = db.session.scalars(db.select(Registration).where(Registration.event_id == events[0].id)).first()
    cancelled.status = RegistrationStatus.CANCELLED  # a change of no event row
    db.session.commit()
    changed = client.get(f"/forums/{forum.slug}/dashboard", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_an_event_dashboard_shows_its_registrations_against_capacity(client, ctx):
    forum, organiser, events = _forum_with_events(2)
    db.session.commit()
    login(client, organiser.email)
    page = client.get(f"/events/{events[1].slug}/dashboard").data.decode()
    assert _svg_values(page, "seats") == [[3.0, 1.0, 4.0]]
    rows = _csv(client.get(f"/events/{events[1].slug}/dashboard/seats.csv"))
    assert [row[1] for row in rows[1:]] == ["3", "1", "4"]
    assert f"/events/{events[1].slug}/dashboard" in client.get(f"/events/{events[1].slug}").data.decode()


def test_only_the_forum_secretariat_sees_the_forum_dashboard(client, ctx):
    forum, organiser, events = _forum_with_events(1)
    forum_organiser = make_user()
    grant(forum_organiser, Role.ORGANISER, forum=forum)
    db.session.commit()
    login(client, organiser.email)
    assert client.get(f"/forums/{forum.slug}/dashboard").status_code == 403
    assert client.get(f"/forums/{forum.slug}/dashboard/rooms.csv").status_code == 403
    client.post("/account/logout")
    login(client, forum_organiser.email)
    assert client.get(f"/forums/{forum.slug}/dashboard").status_code == 200
    assert f"/forums/{forum.slug}/dashboard" in client.get(f"/forums/{forum.slug}").data.decode()


def test_summaries_overdue_are_named_and_counted_among_those_due(client, ctx):
    staff = make_staff()
    day = (datetime.now(timezone.utc) - timedelta(days=10)).date()
    forum = make_forum(starts_on=day, ends_on=day + timedelta(days=1), staff=staff)
    late = make_event(forum, title="Held and never summarised", status=Status.HELD, day=day)
    make_event(forum, title="Not held yet", status=Status.APPROVED, day=day, start=time(15, 0), end=time(16, 0))
    db.session.commit()
    login(client, staff.email)
    page = client.get(f"/forums/{forum.slug}/dashboard").data.decode()
    overdue = page.split('id="overdue"', 1)[1].split("</table>", 1)[0]
    assert f'href="/events/{late.slug}"' in overdue and "Not held yet" not in overdue
    rows = _csv(client.get(f"/forums/{forum.slug}/dashboard/overdue.csv"))
    assert [row[0] for row in rows[1:]] == ["Held and never summarised"]
    summaries = dict(_csv(client.get(f"/forums/{forum.slug}/dashboard/summaries.csv"))[1:])
    assert summaries["Not started"] == "1" and summaries["Published"] == "0"
