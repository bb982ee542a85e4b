from datetime import date, time

from eventsite.agenda.models import ItemKind
from eventsite.agenda.services import AgendaItemInput, move_agenda_item, save_agenda_item
from eventsite.events import services
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_user


def _item(event, organiser, title, start, end=None, *, kind=ItemKind.OTHER, minutes=None, parallel=False):
    return save_agenda_item(event, AgendaItemInput(title=title, kind=kind, start=start, end=end, minutes=minutes,
                                                   parallel=parallel), user=organiser)


def _planned(ctx):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)  # 11:45–13:00 EDT
    _item(event, organiser, "Opening remarks", time(11, 45), time(11, 55), kind=ItemKind.OPENING)
    _item(event, organiser, "Keynote", time(11, 55), minutes=15, kind=ItemKind.KEYNOTE)
    _item(event, organiser, "Panel", time(12, 10), time(12, 50), kind=ItemKind.PANEL)
    db.session.commit()
    return organiser, event


def test_items_are_shown_in_order_and_in_the_event_timezone(client, ctx):
    organiser, event = _planned(ctx)
    event.status = Status.PUBLISHED
    db.session.commit()
    page = client.get(f"/events/{event.slug}").data.decode()
    assert page.index("Opening remarks") < page.index("Keynote") < page.index("Panel")
    assert "11:55</time>–12:10" in page  # 15 minutes from its start, in New York time
    printable = client.get(f"/events/{event.slug}/programme").data.decode()
    assert "12:10</time>–12:50" in printable and event.title in printable


def test_an_item_outside_the_event_is_refused_naming_the_event_time_and_keeping_the_values(client, ctx):
    organiser, event = _planned(ctx)
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/agenda", data={
        "title": "Networking reception", "kind": "other", "start": "12:50", "end": "13:30",
        "description": "Drinks in the lobby"})
    page = response.data.decode()
    assert response.status_code == 422
    assert "The event runs 11:45–13:00; this item (12:50–13:30) falls outside it." in page
    assert 'value="Networking reception"' in page and "Drinks in the lobby" in page and 'value="13:30"' in page
    assert len(event.agenda_items) == 3


def test_an_overlapping_item_is_refused_naming_the_other_unless_parallel(client, ctx):
    organiser, event = _planned(ctx)
    login(client, organiser.email)
    data = {"title": "Side demo", "kind": "other", "start": "12:30", "minutes": "20"}
    page = client.post(f"/events/{event.slug}/agenda", data=data).data.decode()
    assert "Overlaps “Panel” (12:10–12:50)" in page and 'value="Side demo"' in page
    response = client.post(f"/events/{event.slug}/agenda", data={**data, "parallel": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [i.title for i in event.agenda_items] == ["Opening remarks", "Keynote", "Panel", "Side demo"]


def test_an_item_needs_an_end_or_a_duration(client, ctx):
    organiser, event = _planned(ctx)
    login(client, organiser.email)
    page = client.post(f"/events/{event.slug}/agenda", data={
        "title": "Closing", "kind": "closing", "start": "12:50"}).data.decode()
    assert "Give an end time or a duration." in page


def test_moving_an_item_swaps_slots_and_keeps_durations(client, ctx):
    organiser, event = _planned(ctx)
    keynote = event.agenda_items[1]
    login(client, organiser.email)
    client.post(f"/events/{event.slug}/agenda/{keynote.id}/move/up")
    db.session.expire_all()
    spans = [(i.title, f"{i.local_start:%H:%M}", f"{i.local_end:%H:%M}") for i in event.agenda_items]
    assert spans == [("Keynote", "11:45", "12:00"), ("Opening remarks", "12:00", "12:10"),
                     ("Panel", "12:10", "12:50")]
    move_agenda_item(event.agenda_items[0], -1, user=organiser)  # already first: nothing moves
    assert event.agenda_items[0].title == "Keynote"


def test_rescheduling_the_event_moves_its_agenda_with_it(ctx):
    organiser, event = _planned(ctx)
    data = services.EventInput(title=event.title, forum=event.forum, day=date(2025, 5, 7), start=time(13, 15),
                               end=time(14, 30), timezone=event.timezone, room=event.room,
                               contact_email=organiser.email, organisers=[])
    services.update_event(event, data, user=organiser)
    assert [f"{i.local_start:%d %H:%M}" for i in event.agenda_items] == ["07 13:15", "07 13:25", "07 13:40"]


def test_editing_an_item_keeps_it_out_of_its_own_way(client, ctx):
    organiser, event = _planned(ctx)
    panel = event.agenda_items[2]
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/agenda/{panel.id}/edit", data={
        "title": "Panel discussion", "kind": "panel", "start": "12:10", "end": "12:55"})
    assert response.status_code == 302
    db.session.expire_all()
    assert panel.title == "Panel discussion" and f"{panel.local_end:%H:%M}" == "12:55"
    assert panel.sequence == 0  # a draft's calendar entries are seen by nobody yet


def test_the_edit_form_starts_from_the_items_values_and_saving_them_unchanged_keeps_them(client, ctx):
    organiser, event = _planned(ctx)
    panel = event.agenda_items[2]
    login(client, organiser.email)
    page = client.get(f"/events/{event.slug}/agenda/{panel.id}/edit").data.decode()
    assert '<option selected value="panel">' in page and 'value="12:10"' in page
