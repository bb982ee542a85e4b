"""What the e-mails people can shape are called on the pages that edit them."""
from flask_babel import lazy_gettext as _l

GROUP_LABELS = {"confirmation": _l("Confirmation e-mails"), "reminder": _l("Reminder e-mail")}
# The message each group's preview shows.
GROUP_PREVIEW_KIND = {"confirmation": "confirmed", "reminder": "reminder"}
FORUM_TEXT_LABELS = {
    "confirmed": _l("Registration confirmed"),
    "waitlisted": _l("On the waiting list"),
    "pending": _l("Registration received, awaiting approval"),
    "approved": _l("Registration approved"),
    "promoted": _l("A seat became free"),
    "rejected": _l("Registration not accepted"),
    "reminder": _l("Reminder before the event"),
    "cancelled": _l("Registration cancelled"),
}
