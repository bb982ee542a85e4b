"""For each role, which pages and actions are allowed, and which give 403 (or 404, or a sign-in)."""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from eventsite.accounts.models import Role
from eventsite.accounts.services import grant
from eventsite.agenda.models import AgendaItem
from eventsite.core.time import local_to_utc, utcnow
from eventsite.events.models import ConceptNote, Event, EventOrganiser, Organisation, OrganisationKind, Status
from eventsite.programme.models import OfficialMeeting
from eventsite.extensions import db
from eventsite.registrations.models import Registration, RegistrationStatus
from eventsite.summaries.models import Summary
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user

ROLES = ["anonymous", "participant", "rapporteur", "co_organiser", "organiser", "forum_organiser", "staff"]
SIGN_IN = "sign-in"

# (method, path, data, {role: expected status}); roles not named expect the "others" entry.
MATRIX = [
    ("GET", "/events/{draft}", None, {"others": 200, "anonymous": 404, "participant": 404}),
    ("GET", "/events/{published}", None, {"others": 200}),
    ("GET", "/events/{draft}/edit", None,
     {"others": 403, "anonymous": SIGN_IN, "participant": 403, "rapporteur": 403, "co_organiser": 200,
      "organiser": 200, "forum_organiser": 200, "staff": 200}),
    ("POST", "/events/{draft}/concept-note", {"background": "Edited", "base_revision": "1"},
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 302, "organiser": 302, "forum_organiser": 302,
      "staff": 302}),
    ("GET", "/events/{draft}/concept-note/revisions", None,
     {"others": 200, "anonymous": SIGN_IN, "participant": 404}),
    ("GET", "/events/{draft}/team", None,
     {"others": 403, "anonymous": SIGN_IN, "organiser": 200, "forum_organiser": 200, "staff": 200}),
    ("POST", "/events/{submitted}/status", {"to": "approved"},
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "rapporteur": 302, "co_organiser": 302,
      "organiser": 302, "forum_organiser": 302, "staff": 302}),
    ("GET", "/review", None, {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    ("GET", "/staff/forums/new", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("GET", "/forums/{forum}/rooms", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("GET", "/forums/{forum}/events/new", None, {"others": 200, "anonymous": SIGN_IN}),
    ("GET", "/dashboard", None, {"others": 200, "anonymous": SIGN_IN}),
    ("GET", "/events/{draft}/agenda", None,
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "co_organiser": 200, "organiser": 200,
      "forum_organiser": 200, "staff": 200}),
    ("POST", "/events/{draft}/agenda", {"title": "Opening", "kind": "opening", "start": "11:45", "minutes": "10"},
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "co_organiser": 302, "organiser": 302,
      "forum_organiser": 302, "staff": 302}),
    ("GET", "/events/{draft}/speakers", None,
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "co_organiser": 200, "organiser": 200,
      "forum_organiser": 200, "staff": 200}),
    ("GET", "/events/{draft}/speaker-list", None, {"others": 200, "anonymous": 404, "participant": 404}),
    ("GET", "/events/{published}/speaker-list", None, {"others": 200}),
    ("GET", "/events/{published}/registrations", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/events/{published}/registrations.csv", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    # name badges carry names and check-in codes: the event's team only
    ("GET", "/events/{published}/badges.pdf", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/events/{published}/registrations/{registration}/badge.pdf", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/events/{published}/check-in", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    # the participant's own registration; everyone else but the event's organisers gets a 404
    ("GET", "/registrations/{registration}", None,
     {"others": 404, "anonymous": SIGN_IN, "participant": 302, "co_organiser": 302, "organiser": 302,
      "forum_organiser": 302, "staff": 302}),
    ("GET", "/events/{draft}.ics", None, {"others": 200, "anonymous": 404, "participant": 404}),
    ("GET", "/events/{published}.ics", None, {"others": 200}),
    ("GET", "/forums/{forum}/programme.xlsx", None,
     {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    ("GET", "/forums/{forum}/grid", None, {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    # dashboards: the forum's for its secretariat, an event's for its organisers (downloads ask the same)
    ("GET", "/forums/{forum}/dashboard", None, {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    ("GET", "/forums/{forum}/dashboard/speakers-gender.csv", None,
     {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    ("GET", "/events/{published}/dashboard", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/events/{published}/dashboard/seats.csv", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/forums/{forum}/registrations.xlsx", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("GET", "/account/calendar", None, {"others": 200, "anonymous": SIGN_IN}),
    ("GET", "/events/{published}/summary/edit", None,
     {"others": 200, "anonymous": SIGN_IN, "participant": 403}),
    ("POST", "/events/{published}/summary/edit", {"title": "Edited", "base_revision": "0"},
     {"others": 302, "anonymous": SIGN_IN, "participant": 403}),
    # a summary that is not published is seen by the event's team only
    ("GET", "/events/{published}/summary", None, {"others": 200, "anonymous": 404, "participant": 404}),
    # the matrix's forum (May 2025) is over: its outcome report is in the public archive (while a forum
    # runs, only its secretariat sees it: tests/events/test_search.py)
    ("GET", "/forums/{forum}/outcome", None, {"others": 200}),
    ("GET", "/archive", None, {"others": 200}),
    ("GET", "/search?q=event", None, {"others": 200}),
    ("GET", "/staff/summary-templates", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    # a guessed private manage link finds nothing, whoever asks
    ("GET", "/r/matrix-token-guess", None, {"others": 404}),
    ("POST", "/r/matrix-token-guess/cancel", None, {"others": 404}),
    ("GET", "/events/{published}/activity", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("GET", "/forums/{forum}/activity", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("GET", "/events/{published}/delete", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("POST", "/events/{published}/delete", {"reason": "A duplicate"}, {"others": 403, "anonymous": SIGN_IN,
                                                                       "staff": 302}),
    ("POST", "/events/{published}/check-in", {"code": "matrix"},
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 302, "organiser": 302, "forum_organiser": 302,
      "staff": 302}),
    ("GET", "/forums/{forum}/speakers", None,
     {"others": 403, "anonymous": SIGN_IN, "forum_organiser": 200, "staff": 200}),
    # calls for proposals: only staff extend a call or let one late proposal in
    ("POST", "/events/{draft}/allow-late", {}, {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    ("POST", "/forums/{forum}/call/extend", {"closes_on": "2025-05-01"},
     {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    # e-mails people can shape: the event's team writes its paragraph, staff the forum's texts
    ("GET", "/events/{published}/emails", None,
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 200, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("POST", "/events/{published}/emails", {"confirmation__default": "Matrix paragraph", "preview_locale": "en",
                                            "save": "1"},
     {"others": 403, "anonymous": SIGN_IN, "co_organiser": 302, "organiser": 302, "forum_organiser": 302,
      "staff": 302}),
    ("GET", "/forums/{forum}/emails", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("POST", "/forums/{forum}/emails?language=fr", {"confirmed": "Matrix text", "preview_kind": "confirmed", "save": "1"},
     {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    ("GET", "/account/notifications", None, {"others": 200, "anonymous": SIGN_IN}),
    ("POST", "/account/notifications", {"changes": "y", "invitations": "y"}, {"others": 302, "anonymous": SIGN_IN}),
    # co-organisers' focal points: the lead organiser and staff; the answer only through the signed link
    ("GET", "/events/{draft}/co-organisers", None,
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "organiser": 200, "forum_organiser": 200,
      "staff": 200}),
    ("POST", "/events/{draft}/co-organisers/{co_link}/focal-point",
     {"o{co_link}-focal_name": "Bo Chen", "o{co_link}-focal_email": "bo@oceanvoices.example"},
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "organiser": 302, "forum_organiser": 302,
      "staff": 302}),
    ("POST", "/events/{draft}/co-organisers/{co_link}/resend", {},
     {"others": 403, "anonymous": SIGN_IN, "participant": 404, "organiser": 302, "forum_organiser": 302,
      "staff": 302}),
    ("POST", "/co-organisers/confirm/matrix-guess", {"answer": "confirm"}, {"others": 400}),
    # the official programme: staff only
    ("GET", "/forums/{forum}/official", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("POST", "/forums/{forum}/official",
     {"title": "Ministerial segment", "day": "2025-05-07", "start": "15:00", "end": "18:00", "room": "0",
      "location": "General Assembly Hall", "side_events": ""},
     {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    ("POST", "/forums/{forum}/official/{meeting}/remove", {}, {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    # shapes of time: the event's editors skip or move one meeting of a recurring event
    ("POST", "/events/{weekly}/meetings/{weekly_meeting}/skip", {},
     {"others": 403, "anonymous": SIGN_IN, **{role: 302 for role in ("co_organiser", "organiser", "forum_organiser",
                                                                     "staff")}}),
    ("GET", "/events/{weekly}/meetings/{weekly_meeting2}/move", None,
     {"others": 403, "anonymous": SIGN_IN, **{role: 200 for role in ("co_organiser", "organiser", "forum_organiser",
                                                                     "staff")}}),
    ("POST", "/events/{weekly}/meetings/{weekly_meeting2}/move", {"day": "2025-05-07", "start": "09:00", "end": "10:00"},
     {"others": 403, "anonymous": SIGN_IN, **{role: 302 for role in ("co_organiser", "organiser", "forum_organiser",
                                                                     "staff")}}),
    # series: public pages and feeds; staff name and describe them
    ("GET", "/series/{series}", None, {"others": 200}),
    ("GET", "/series/{series}.ics", None, {"others": 200}),
    ("GET", "/staff/series", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("POST", "/staff/series", {"title": "Matrix series"}, {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
    ("GET", "/series/{series}/edit", None, {"others": 403, "anonymous": SIGN_IN, "staff": 200}),
    ("POST", "/series/{series}/edit", {"title": "Renamed series"}, {"others": 403, "anonymous": SIGN_IN, "staff": 302}),
]

EDITORS = {"co_organiser", "organiser", "forum_organiser", "staff"}


def _event(slug):
    return db.session.scalar(select(Event).where(Event.slug == slug))


def _concept_note_edited(paths):
    note = db.session.get(ConceptNote, _event(paths["draft"]).id)
    return note is not None and "Edited" in note.background


def _approved(paths):
    return _event(paths["submitted"]).status == Status.APPROVED


def _agenda_item_added(paths):
    return db.session.scalar(select(AgendaItem).where(AgendaItem.event_id == _event(paths["draft"]).id)) is not None


def _summary_edited(paths):
    summary = db.session.get(Summary, _event(paths["published"]).id)
    return summary is not None and (summary.header or {}).get("title") == "Edited"


def _guessed_link_cancelled_something(paths):
    return db.session.scalar(select(Registration).where(Registration.status == RegistrationStatus.CANCELLED)) is not None


def _published_removed(paths):
    return _event(paths["published"]) is None


def _checked_in(paths):
    return db.session.get(Registration, paths["registration"]).checked_in_at is not None


def _late_allowed(paths):
    return _event(paths["draft"]).late_allowed


def _call_extended(paths):
    from eventsite.events.models import Forum
    forum = db.session.scalar(select(Forum).where(Forum.slug == paths["forum"]))
    return str(forum.call_closes_on) == "2025-05-01"


def _paragraph_saved(paths):
    from eventsite.notifications.models import EventMailParagraph
    return db.session.scalar(select(EventMailParagraph.text).where(
        EventMailParagraph.event_id == _event(paths["published"]).id)) == "Matrix paragraph"


def _forum_text_saved(paths):
    from eventsite.notifications.models import ForumMailText
    return db.session.scalar(select(ForumMailText.text).where(ForumMailText.locale == "fr")) == "Matrix text"


def _reminders_turned_off(paths):
    from eventsite.core.mail_preferences import MailOptOut
    return db.session.scalar(select(MailOptOut.category)) == "reminders"


def _co_link(paths):
    from eventsite.events.models import EventOrganiser
    return db.session.get(EventOrganiser, paths["co_link"])


def _focal_point_changed(paths):
    return _co_link(paths).focal_email == "bo@oceanvoices.example"


def _link_resent(paths):
    from eventsite.core.mail import OutboxMessage
    return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient == "ana@oceanvoices.example")) \
        is not None


def _guessed_link_confirmed_something(paths):
    from eventsite.events.models import Confirmation
    return _co_link(paths).confirmation != Confirmation.PENDING


def _meeting_added(paths):
    from eventsite.programme.models import OfficialMeeting
    return db.session.scalar(select(OfficialMeeting.id).where(OfficialMeeting.title == "Ministerial segment")) \
        is not None


def _meeting_removed(paths):
    from eventsite.programme.models import OfficialMeeting
    return db.session.get(OfficialMeeting, paths["meeting"]) is None


def _meeting_skipped(paths):
    from eventsite.events.models import EventOccurrence
    return db.session.get(EventOccurrence, paths["weekly_meeting"]).skipped


def _meeting_moved(paths):
    from eventsite.events.models import EventOccurrence
    return db.session.get(EventOccurrence, paths["weekly_meeting2"]).moved


def _series_created(paths):
    from eventsite.series.models import Series
    return db.session.scalar(select(Series).where(Series.title == "Matrix series")) is not None


def _series_renamed(paths):
    from eventsite.series.models import Series
    return db.session.scalar(select(Series.title).where(Series.slug == paths["series"])) == "Renamed series"


# What each POST row changes, and the roles for which it must have changed: a redirect alone
# proves nothing (a refused status change also redirects back to the event).
EFFECTS = {
    "/events/{draft}/concept-note": (_concept_note_edited, EDITORS),
    "/events/{submitted}/status": (_approved, {"forum_organiser", "staff"}),
    "/events/{draft}/agenda": (_agenda_item_added, EDITORS),
    "/events/{published}/summary/edit": (_summary_edited, EDITORS | {"rapporteur"}),
    "/r/matrix-token-guess/cancel": (_guessed_link_cancelled_something, set()),
    "/events/{published}/delete": (_published_removed, {"staff"}),
    "/events/{published}/check-in": (_checked_in, {"co_organiser", "organiser", "forum_organiser", "staff"}),
    "/events/{draft}/allow-late": (_late_allowed, {"staff"}),
    "/forums/{forum}/call/extend": (_call_extended, {"staff"}),
    "/events/{published}/emails": (_paragraph_saved, EDITORS),
    "/forums/{forum}/emails?language=fr": (_forum_text_saved, {"staff"}),
    "/account/notifications": (_reminders_turned_off, set(ROLES) - {"anonymous"}),
    "/events/{draft}/co-organisers/{co_link}/focal-point": (_focal_point_changed,
                                                            {"organiser", "forum_organiser", "staff"}),
    "/events/{draft}/co-organisers/{co_link}/resend": (_link_resent, {"organiser", "forum_organiser", "staff"}),
    "/co-organisers/confirm/matrix-guess": (_guessed_link_confirmed_something, set()),
    "/forums/{forum}/official": (_meeting_added, {"staff"}),
    "/forums/{forum}/official/{meeting}/remove": (_meeting_removed, {"staff"}),
    "/events/{weekly}/meetings/{weekly_meeting}/skip": (_meeting_skipped, EDITORS),
    "/events/{weekly}/meetings/{weekly_meeting2}/move": (_meeting_moved, EDITORS),
    "/staff/series": (_series_created, {"staff"}),
    "/series/{series}/edit": (_series_renamed, {"staff"}),
}


@pytest.fixture
def world(ctx):
    forum = make_forum()
    organiser, co_organiser, rapporteur = make_user(), make_user(), make_user()
    users = {"participant": make_user(), "rapporteur": rapporteur, "co_organiser": co_organiser,
             "organiser": organiser, "forum_organiser": make_user(), "staff": make_staff()}
    grant(users["forum_organiser"], Role.ORGANISER, forum=forum)
    events = {}
    for name, status, day in (("draft", Status.DRAFT, 6), ("published", Status.PUBLISHED, 6),
                              ("submitted", Status.SUBMITTED, 7)):
        event = make_event(forum, organiser=organiser, status=status, title=f"{name} event",
                           room=None if name != "draft" else "Conference Room 6")
        grant(co_organiser, Role.CO_ORGANISER, event=event)
        grant(rapporteur, Role.RAPPORTEUR, event=event)
        events[name] = event.slug
    from datetime import date, time
    from eventsite.events.models import Repeat
    from eventsite.series.services import save_series
    weekly = make_event(forum, organiser=organiser, status=Status.PUBLISHED, title="weekly event", room=None,
                        day=date(2025, 4, 29), start=time(9), end=time(10), repeat=Repeat.WEEKLY,
                        repeat_until=date(2025, 5, 6))
    grant(co_organiser, Role.CO_ORGANISER, event=weekly)
    grant(rapporteur, Role.RAPPORTEUR, event=weekly)
    series = save_series("Matrix thread", "", user=users["staff"])
    events.update(weekly=weekly.slug, weekly_meeting=weekly.occurrences[0].id,
                  weekly_meeting2=weekly.occurrences[1].id,
                  series=series.slug)
    published = db.session.scalar(select(Event).where(Event.slug == events["published"]))
    registration = Registration(event=published, user_id=users["participant"].id, email=users["participant"].email,
                                name="Participant", token="matrix-token", checkin_code="matrix",
                                status=RegistrationStatus.CONFIRMED)
    db.session.add(registration)
    # a co-organiser whose focal point was asked days ago, and an official meeting
    draft = db.session.scalar(select(Event).where(Event.slug == events["draft"]))
    link = EventOrganiser(organisation=Organisation(name="Ocean Voices Network", kind=OrganisationKind.CIVIL_SOCIETY),
                          position=1, focal_name="Ana Lima", focal_email="ana@oceanvoices.example", link_nonce="n",
                          requested_at=utcnow() - timedelta(days=3))
    draft.organisers.append(link)
    meeting = OfficialMeeting(forum=forum, title="Closing plenary",
                              starts_at=local_to_utc(date(2025, 5, 7), time(17), forum.timezone),
                              ends_at=local_to_utc(date(2025, 5, 7), time(18), forum.timezone))
    db.session.add(meeting)
    db.session.commit()
    return {"users": {k: v.email for k, v in users.items()},
            "paths": {**events, "forum": forum.slug, "registration": registration.id, "co_link": link.id,
                      "meeting": meeting.id}}



@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,data,expected", MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_role_matrix(client, world, role, method, path, data, expected):
    if role != "anonymous":
        login(client, world["users"][role])
    url = path.format(**world["paths"])
    data = {key.format(**world["paths"]): value for key, value in data.items()} if data else data
    response = client.open(url, method=method, data=data)
    want = expected.get(role, expected["others"])
    if want == SIGN_IN:
        assert response.status_code == 302 and "/account/login" in response.location
    else:
        assert response.status_code == want, f"{role} {method} {url}"
    if method == "POST":
        changed, roles_that_change_it = EFFECTS[path]
        db.session.expire_all()
        assert changed(world["paths"]) == (role in roles_that_change_it), f"effect of {role} {method} {url}"


# Who finds the draft by searching every forum: the roles that may open it (the first row above).
DRAFT_FINDERS = {"rapporteur", "co_organiser", "organiser", "forum_organiser", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_searching_every_forum_finds_the_draft_only_for_whom_may_open_it(client, world, role):
    if role != "anonymous":
        login(client, world["users"][role])
    page = client.get("/search?q=event").data.decode()
    assert ("draft event" in page) == (role in DRAFT_FINDERS), role
    assert "published event" in page


def test_every_post_row_states_its_effect():
    assert {path for method, path, _, _ in MATRIX if method == "POST"} == set(EFFECTS)


def test_rapporteur_cannot_approve_even_through_the_form(client, world, ctx):
    login(client, world["users"]["rapporteur"])
    client.post(f"/events/{world['paths']['submitted']}/status", data={"to": "approved"})
    page = client.get(f"/events/{world['paths']['submitted']}").data.decode()
    assert 'badge-submitted' in page
