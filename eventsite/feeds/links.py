"""Links that put an event or a feed into the calendars people use."""
from urllib.parse import urlencode, urlsplit, urlunsplit


def webcal(url: str) -> str:
    """The same feed under webcal://, which calendar apps open as a subscription."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", parts.netloc, parts.path, parts.query, ""))


def google_subscribe(url: str) -> str:
    return "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal(url)})


def outlook_subscribe(url: str, name: str) -> str:
    return "https://outlook.office.com/calendar/0/addfromweb?" + urlencode({"url": url, "name": name})


def google_event(event, page_url: str) -> str:
    def stamp(value):
        return value.strftime("%Y%m%dT%H%M%SZ")
    return "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": event.title, "dates": f"{stamp(event.starts_at)}/{stamp(event.ends_at)}",
        "ctz": event.timezone, "location": event.place, "details": page_url})


def outlook_event(event, page_url: str) -> str:
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": event.starts_at.isoformat(), "enddt": event.ends_at.isoformat(), "location": event.place,
        "body": page_url})


def register_link_helpers(app):
    app.add_template_global(webcal)
    app.add_template_global(google_subscribe)
    app.add_template_global(outlook_subscribe)
    app.add_template_global(google_event)
    app.add_template_global(outlook_event)
