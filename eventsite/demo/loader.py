"""Demo data built from the seed documents shipped in this package. Loading twice changes nothing."""
import json
import re
from datetime import date, time
from importlib import resources

from sqlalchemy import select

from ..accounts.models import Role, User
from ..accounts.services import create_user, find_user, grant
from ..agenda.models import ItemKind
from ..agenda.services import AgendaItemInput, save_agenda_item
from ..core.time import local_to_utc
from ..events import services
from ..events.concept_note_io import parse_concept_note
from ..events.models import Event, Format, Forum, OrganisationKind, Repeat, Status, StatusChange
from ..core.sanitise import paragraphs_to_html
from ..extensions import db
from ..registrations import services as registrations
from ..registrations.models import Mode, QuestionKind
from ..speakers.models import Gender, InvitationStatus, SpeakerRole
from ..speakers.services import PersonInput, add_new_speaker, set_speaker_status
from ..summaries import services as summaries
from ..summaries.documents import parse_summary
from ..summaries.models import SummaryStatus

WORKFLOW = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.HELD]


def demo_data() -> dict:
    return json.loads(resources.files(__package__).joinpath("demo.json").read_text("utf-8"))


def seed_text(name: str) -> str:
    return resources.files(__package__).joinpath("seeds", name).read_text("utf-8")


def summary_background(text: str) -> str:
    """The background paragraphs of a side-event summary in the STI Forum template."""
    match = re.search(r"^#[^\n]*Background[^\n]*\n(.*?)^#+ ", text, re.S | re.M)
    return paragraphs_to_html(match.group(1) if match else "")


def load_demo(hash_method: str) -> list[tuple[str, str, str]]:
    """Create the demo accounts, forums and events; returns (role, e-mail, password) for each account."""
    data = demo_data()
    password = data["password"]
    users: dict[str, User] = {}
    for account in data["accounts"]:
        user = find_user(account["email"]) or create_user(email=account["email"], name=account["name"],
                                                          password=password, hash_method=hash_method,
                                                          is_staff=account.get("staff", False), verified=True)
        users[user.email] = user
    staff = next(u for u in users.values() if u.is_staff)

    forums = {}
    for spec in data["forums"]:
        forum = db.session.scalar(select(Forum).where(Forum.slug == spec["slug"]))
        if forum is None:
            forum = services.save_forum(services.ForumInput(
                slug=spec["slug"], name=spec["name"], theme=spec["theme"],
                starts_on=date.fromisoformat(spec["starts_on"]), ends_on=date.fromisoformat(spec["ends_on"]),
                timezone=spec["timezone"], venue=spec["venue"],
                call_opens_on=date.fromisoformat(spec["call_opens_on"]) if spec.get("call_opens_on") else None,
                call_closes_on=date.fromisoformat(spec["call_closes_on"]) if spec.get("call_closes_on") else None,
                concept_note_guidance=spec["concept_note_guidance"],
                concept_note_questions=spec["concept_note_questions"]), user=staff)
            for room in spec["rooms"]:
                services.save_room(forum, user=staff, **room)
        forums[forum.slug] = forum
    grant(users["staff@demo.eventsite.org"], Role.ORGANISER, forum=forums["sti-forum-2025"])
    for account in data["accounts"]:  # a forum's organiser reviews and edits its events, without being staff
        for slug in account.get("forum_organiser_of", []):
            grant(users[account["email"]], Role.ORGANISER, forum=forums[slug])

    # The demo replays proposals made while each call was open: the calls' windows apply from now on.
    calls = {slug: (forum.call_opens_on, forum.call_closes_on) for slug, forum in forums.items()}
    for forum in forums.values():
        forum.call_opens_on = forum.call_closes_on = None
    from ..series.models import Series
    from ..series.services import save_series
    series = {}
    for spec in data.get("series", []):
        found = db.session.scalar(select(Series).where(Series.slug == spec["slug"]))
        series[spec["slug"]] = found or save_series(spec["title"], spec["description"], user=staff)
        series[spec["slug"]].slug = spec["slug"]
    for spec in data["events"]:
        if db.session.scalar(select(Event.id).where(Event.slug == spec["slug"])):
            continue
        _create_demo_event(spec, forums[spec["forum"]], users, staff, series)
    for slug, (opens, closes) in calls.items():
        forums[slug].call_opens_on, forums[slug].call_closes_on = opens, closes
    for spec in data["forums"]:
        _add_official_programme(forums[spec["slug"]], spec, staff)
    for spec in data["events"]:
        _name_focal_points(spec)
    db.session.flush()
    roles = {"staff@demo.eventsite.org": "staff", "organiser@demo.eventsite.org": "organiser",
             "coorganiser@demo.eventsite.org": "co-organiser", "rapporteur@demo.eventsite.org": "rapporteur",
             "forumorganiser@demo.eventsite.org": "forum organiser", "participant@demo.eventsite.org": "participant"}
    return [(roles.get(email, "participant"), email, password) for email in users]


def _add_official_programme(forum, spec, staff):
    """The forum's official meetings, and what side events overlapping them meet."""
    from ..programme import services as programme
    from ..programme.models import OfficialMeeting
    forum.co_organisers_must_confirm = spec.get("co_organisers_must_confirm", False)
    forum.official_overlap_rule = spec.get("official_overlap_rule", "warn")
    if db.session.scalar(select(OfficialMeeting.id).where(OfficialMeeting.forum_id == forum.id)):
        return
    for meeting in spec.get("official_programme", []):
        room = next((r for r in forum.rooms if r.name == meeting.get("room")), None)
        programme.save_meeting(forum, programme.MeetingInput(
            title=meeting["title"], day=date.fromisoformat(meeting["day"]), start=time.fromisoformat(meeting["start"]),
            end=time.fromisoformat(meeting["end"]), room=room, location=meeting.get("location", ""),
            side_events=meeting.get("side_events", "")), user=staff)


def _name_focal_points(spec):
    """Co-organisers' focal points as they stood: asked a week before, and answered or not. No mail is sent."""
    import secrets
    from datetime import timedelta
    from ..core.time import utcnow
    from ..events.models import Confirmation
    event = db.session.scalar(select(Event).where(Event.slug == spec["slug"]))
    for entry in spec.get("co_organiser_focal_points", []):
        link = next(o for o in event.organisers if o.organisation.name == entry["organisation"])
        if link.focal_email:
            continue
        link.focal_name, link.focal_email, link.link_nonce = entry["name"], entry["email"], secrets.token_urlsafe(16)
        link.requested_at = utcnow() - timedelta(days=7)
        link.confirmation = Confirmation(entry["answer"])
        if link.confirmation != Confirmation.PENDING:
            link.responded_at = utcnow() - timedelta(days=5)


def _day(text):
    return date.fromisoformat(text) if text else None


def _clock(text):
    return time.fromisoformat(text) if text else None


def _create_demo_event(spec, forum, users, staff, series):
    organiser = users[spec["team"]["organiser"][0]]
    room = next((r for r in forum.rooms if r.name == spec["room"]), None)
    event = services.create_event(services.EventInput(
        title=spec["title"], subtitle=spec.get("subtitle", ""), forum=forum,
        day=date.fromisoformat(spec["day"]), start=_clock(spec.get("start")), end=_clock(spec.get("end")),
        end_day=_day(spec.get("end_day")), all_day=spec.get("all_day", False),
        repeat=Repeat(spec.get("repeat", "")), repeat_until=_day(spec.get("repeat_until")),
        series=series.get(spec.get("series")),
        timezone=forum.timezone, room=room, format=Format(spec["format"]),
        languages=spec.get("languages", "English"), interpretation_languages=spec.get("interpretation_languages", ""),
        contact_name=spec["contact_name"], contact_email=spec["contact_email"],
        audience_size=spec.get("audience_size"), sdgs=spec["sdgs"],
        organisers=[services.OrganiserInput(o["name"], OrganisationKind(o["kind"]), o["country"])
                    for o in spec["organisers"]]), user=organiser)
    event.slug = spec["slug"]
    for role, emails in spec["team"].items():
        for email in emails:
            grant(users[email], Role(role), event=event)
    if spec.get("concept_note_file"):
        content = parse_concept_note(spec["concept_note_file"], seed_text(spec["concept_note_file"]).encode()).content
        services.save_concept_note(event, content, user=organiser)
    elif spec.get("concept_note_from_summary"):
        background = summary_background(seed_text(spec["concept_note_from_summary"]))
        services.save_concept_note(event, {"background": background}, user=organiser)
    _add_programme(event, spec, organiser)
    _skip_and_move(event, spec, organiser)
    if spec.get("registration"):
        _open_registration(event, spec["registration"], organiser)
    # Walk the workflow as the secretariat would have, so the history reads true.
    target = Status(spec["status"])
    for previous, following in zip(WORKFLOW, WORKFLOW[1:WORKFLOW.index(target) + 1]):
        actor = organiser if following in (Status.SUBMITTED, Status.PUBLISHED) else staff
        event.status_changes.append(StatusChange(actor_id=actor.id, from_status=previous, to_status=following))
        event.status = following
    if spec.get("summary"):
        _write_summary(event, spec["summary"], users[spec["team"]["rapporteur"][0]], organiser)


def _skip_and_move(event, spec, organiser):
    """A recurring meeting's exceptions: the weeks it does not meet and the meetings held at another time."""
    by_day = {o.local_start.date(): o for o in event.occurrences}
    for day in spec.get("skip", []):
        services.skip_meeting(by_day[date.fromisoformat(day)], user=organiser)
    for move in spec.get("move", []):
        services.move_meeting(by_day[date.fromisoformat(move["from"])], date.fromisoformat(move["day"]),
                              time.fromisoformat(move["start"]), time.fromisoformat(move["end"]), user=organiser)


def _add_programme(event, spec, organiser):
    """The event's agenda and speakers, answered as the speakers did."""
    items = [save_agenda_item(event, AgendaItemInput(
        title=entry["title"], kind=ItemKind(entry["kind"]), start=time.fromisoformat(entry["start"]),
        end=time.fromisoformat(entry["end"]), description=entry.get("description", ""),
        day=_day(entry.get("day"))), user=organiser)
        for entry in spec.get("agenda", [])]
    for entry in spec.get("speakers", []):
        item = items[entry["item"]] if entry["item"] is not None else None
        added = add_new_speaker(event, PersonInput(
            honorific=entry["honorific"], given_name=entry["given_name"], family_name=entry["family_name"],
            position=entry["position"], organisation=entry["organisation"],
            organisation_kind=OrganisationKind(entry["kind"]), country=entry["country"],
            gender=Gender(entry["gender"]), biography=entry.get("biography", ""), email=entry["email"]),
            SpeakerRole(entry["role"]), user=organiser, agenda_item=item)
        set_speaker_status(added.assignment, InvitationStatus(entry["status"]))  # as the speaker answered


def _open_registration(event, spec, organiser):
    def moment(text):
        return local_to_utc(date.fromisoformat(text[:10]), time.fromisoformat(text[11:]), event.timezone)
    registrations.save_settings(event, user=organiser, opens_at=moment(spec["opens"]), closes_at=moment(spec["closes"]),
                                mode=Mode.OPEN, capacity=spec["capacity"], waitlist=spec["waitlist"],
                                consent_text=spec["consent_text"])
    created = []
    for entry in spec["questions"]:
        parent = created[entry["depends_on"]] if "depends_on" in entry else None
        created.append(registrations.add_question(
            event, user=organiser, label=entry["label"], kind=QuestionKind(entry["kind"]), required=entry["required"],
            options=entry.get("options", []), depends_on=parent, depends_value=entry.get("depends_value", "")))


def _write_summary(event, spec, rapporteur, organiser):
    """The rapporteur's summary: the seed's text imported as a rapporteur would, or a fresh draft."""
    template = summaries.template_of(event)
    content = summaries.new_draft_content(event)
    if spec.get("file"):
        imported = parse_summary(spec["file"], seed_text(spec["file"]).encode(), template).content
        content = {"header": {k: v or content["header"][k] for k, v in imported["header"].items()},
                   "sections": imported["sections"]}
    summary = summaries.save(event, content, user=rapporteur, base_revision=0)
    steps = {"draft": [], "published": [SummaryStatus.SUBMITTED, SummaryStatus.APPROVED, SummaryStatus.PUBLISHED]}
    for step in steps[spec["status"]]:
        summaries.change_status(summary, step, user=rapporteur if step == SummaryStatus.SUBMITTED else organiser)
