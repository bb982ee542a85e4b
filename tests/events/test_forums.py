import re

from sqlalchemy import select

from eventsite.events.models import Forum, Room
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_forum, make_staff


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


FORUM = {"name": "2026 STI Forum", "theme": "STI for the SDGs", "starts_on": "2026-05-05", "ends_on": "2026-05-06",
         "timezone": "America/New_York", "venue": "UN Headquarters, New York"}


def test_staff_create_a_forum_then_its_rooms(client, ctx):
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    response = client.post("/staff/forums/new", data=FORUM)
    assert response.status_code == 302 and response.location == "/forums/2026-sti-forum/rooms"
    client.post("/forums/2026-sti-forum/rooms", data={"name": "Conference Room 4", "capacity": "120"})
    forum = db.session.scalar(select(Forum).where(Forum.slug == "2026-sti-forum"))
    assert [(r.name, r.capacity) for r in forum.rooms] == [("Conference Room 4", 120)]
    page = _text(client.get("/forums/2026-sti-forum"))
    assert "2026 STI Forum" in page and "No side event has been published yet." in page


def test_forum_ending_before_it_starts_is_refused_with_input_kept(client, ctx):
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    page = _text(client.post("/staff/forums/new", data={**FORUM, "ends_on": "2026-05-01"}))
    assert "The forum ends before it starts." in page and 'value="2026 STI Forum"' in page
    assert db.session.scalar(select(Forum)) is None


def test_a_room_name_is_used_once_per_forum(client, ctx):
    forum = make_forum(rooms=("Conference Room 6",))
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    page = _text(client.post(f"/forums/{forum.slug}/rooms", data={"name": "conference room 6", "capacity": "10"}))
    assert "This forum already has a room called Conference Room 6." in page
    assert db.session.scalar(select(db.func.count(Room.id))) == 1
