"""Writing the activity log. Each service that changes an event calls record() once, inside
its own transaction, so the log and the change commit (or roll back) together."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..extensions import db
from .models import ActivityEntry

KIND_LABELS = {
    "event.created": _l("Event proposed"),
    "event.edited": _l("Details edited"),
    "event.meeting_skipped": _l("Meeting skipped"),
    "event.meeting_restored": _l("Meeting put back"),
    "event.meeting_moved": _l("Meeting moved"),
    "event.status": _l("Status changed"),
    "event.deleted": _l("Event removed"),
    "registration.approved": _l("Registration approved"),
    "registration.waitlisted": _l("Registration waitlisted"),
    "registration.rejected": _l("Registration declined"),
    "registration.checked_in": _l("Checked in"),
    "registration.erased": _l("Registration erased"),
    "team.added": _l("Team member added"),
    "team.removed": _l("Team member removed"),
    "summary.status": _l("Summary workflow"),
    "forum.call_extended": _l("Call for proposals extended"),
    "event.late_allowed": _l("Late proposal let in"),
    "official.added": _l("Official meeting added"),
    "official.changed": _l("Official meeting changed"),
    "official.removed": _l("Official meeting removed"),
    "co_organiser.focal_point": _l("Co-organiser's focal point set"),
    "co_organiser.requested": _l("Co-organiser asked to confirm"),
    "co_organiser.answered": _l("Co-organiser answered"),
}

FIELD_LABELS = {
    "title": _l("Title"), "subtitle": _l("Subtitle"), "day": _l("Date"), "start": _l("Starts at"),
    "end": _l("Ends at"), "timezone": _l("Timezone"), "room": _l("Room"), "external_venue": _l("Venue"),
    "format": _l("Format"), "webcast_url": _l("Webcast link"), "languages": _l("Languages"),
    "interpretation_languages": _l("Interpretation into"), "captioning": _l("Live captioning"),
    "sign_language": _l("Sign language interpretation"), "accessibility_notes": _l("Accessibility"),
    "contact_name": _l("Contact person"), "contact_email": _l("Contact e-mail"),
    "contact_email_public": _l("Contact shown publicly"),
    "audience_size": _l("Expected audience"), "sdgs": _l("SDGs"), "organisers": _l("Organisers"),
    "call_closes_on": _l("Call for proposals closes"),
    "starts_at": _l("Starts at"), "ends_at": _l("Ends at"), "location": _l("Venue"),
    "side_events": _l("Side events during it"), "focal_name": _l("Focal point"),
    "focal_email": _l("Focal point's e-mail"), "confirmation": _l("Confirmation"),
    "status": _l("Status"), "summary": _l("Summary"), "role": _l("Role"),
    "end_day": _l("Last day"), "all_day": _l("All day"), "repeat": _l("Repeats"), "series": _l("Series"),
    "meeting": _l("Meeting"),
}

SUMMARY_STATUS_LABELS = {"draft": _l("draft"), "submitted": _l("submitted"), "approved": _l("approved"),
                         "published": _l("published")}


def diff(before: dict, after: dict) -> list[list]:
    """The fields whose value changed, as [field, before, after], in before's order."""
    return [[name, before[name], after.get(name)] for name in before if before[name] != after.get(name)]


def record(kind: str, *, actor, event=None, forum=None, registration=None, subject: str = "",
           changes: list | None = None, note: str = "", title: str = "") -> ActivityEntry:
    """Add one entry to the log; the caller's transaction commits it with the change."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown activity kind {kind!r}")
    forum_id = forum.id if forum is not None else (event.forum_id if event is not None else None)
    entry = ActivityEntry(kind=kind, actor_id=getattr(actor, "id", None), event_id=event.id if event else None,
                          forum_id=forum_id, event_title=event.title if event is not None else title,
                          registration_id=registration.id if registration is not None else None,
                          subject=subject or (_person(registration) if registration is not None else ""),
                          changes=[list(c) for c in changes or ()], note=note or "")
    db.session.add(entry)
    return entry


def _person(registration) -> str:
    return " ".join(part for part in (registration.name, f"<{registration.email}>" if registration.email else "")
                    if part)


def forget_registration(registration) -> None:
    """Erasure reaches the log: entries about this registration keep the action, not the person."""
    db.session.execute(update(ActivityEntry).where(ActivityEntry.registration_id == registration.id)
                       .values(subject="").execution_options(synchronize_session="fetch"))
