"""schema.org Event JSON-LD for a public event page, so search engines and UN sites read the
programme from the page itself. A pure builder: the view passes the addresses it links to."""
from ..core.time import to_local, utcnow
from .models import Format, Status

SCHEMA = "https://schema.org/"
STATUS = {Status.CANCELLED: "EventCancelled"}  # everything else listed is as scheduled
ATTENDANCE = {Format.IN_PERSON: "OfflineEventAttendanceMode", Format.VIRTUAL: "OnlineEventAttendanceMode",
              Format.HYBRID: "MixedEventAttendanceMode"}


def _place(event) -> dict:
    if event.room is not None:
        venue = event.forum.venue if event.forum else ""
        return {"@type": "Place", "name": event.room.name, "address": venue or event.room.name}
    return {"@type": "Place", "name": event.external_venue, "address": event.external_venue}


def event_json_ld(event, *, page_url: str, register_url: str | None = None, registration=None,
                  speakers=()) -> dict:
    """The event as a schema.org Event. registration: the page's registrations.services.Availability
    (None when registration is not offered); speakers: the confirmed speaker assignments."""
    locations = []
    if event.format != Format.VIRTUAL and (event.room is not None or event.external_venue):
        locations.append(_place(event))
    if event.format != Format.IN_PERSON:
        # The link to join is for confirmed participants only: the public location is the page.
        locations.append({"@type": "VirtualLocation", "url": page_url})
    if not locations:
        locations.append({"@type": "Place", "name": event.place or event.title, "address": event.place or ""})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": to_local(event.starts_at, event.timezone).isoformat(),
        "endDate": to_local(event.ends_at, event.timezone).isoformat(),
        "eventStatus": SCHEMA + STATUS.get(event.status, "EventScheduled"),
        "eventAttendanceMode": SCHEMA + ATTENDANCE[event.format],
        "location": locations[0] if len(locations) == 1 else locations,
        "url": page_url,
        "inLanguage": [language.strip() for language in event.languages.split(",") if language.strip()],
        "organizer": [{"@type": "Organization", "name": o.organisation.name} for o in event.shown_organisers],
    }
    if event.subtitle:
        data["description"] = event.subtitle
    if event.forum is not None:
        data["superEvent"] = {"@type": "EventSeries", "name": event.forum.name}
    if speakers:
        data["performer"] = [{"@type": "Person", "name": s.person.full_name} for s in speakers]
    if registration is not None and register_url:
        settings = event.registration_settings
        if registration.closed:
            opens_later = settings is not None and settings.opens_at is not None and utcnow() < settings.opens_at
            availability = "PreOrder" if opens_later and event.status == Status.PUBLISHED else "Discontinued"
        elif registration.seats_left == 0 and not registration.waitlist:
            availability = "SoldOut"
        else:
            availability = "InStock"
        offer = {"@type": "Offer", "url": register_url, "price": 0, "priceCurrency": "USD",
                 "availability": SCHEMA + availability}
        if settings is not None and settings.opens_at is not None:
            offer["validFrom"] = to_local(settings.opens_at, event.timezone).isoformat()
        data["offers"] = offer
    return data
