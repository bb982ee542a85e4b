"""How registration names its categories, modes, question kinds and statuses, for pages and other domains."""
from flask_babel import lazy_gettext as _l

from ..speakers.labels import GENDER_LABELS
from .models import Category, Mode, QuestionKind

CATEGORY_LABELS = {
    Category.MEMBER_STATE: _l("Member State delegation"), Category.UN_SYSTEM: _l("UN system"),
    Category.INTERGOVERNMENTAL: _l("Intergovernmental organisation"), Category.CIVIL_SOCIETY: _l("NGO / civil society"),
    Category.ACADEMIA: _l("Academia"), Category.PRIVATE_SECTOR: _l("Private sector"), Category.MEDIA: _l("Media"),
    Category.OTHER: _l("Other"),
}
MODE_LABELS = {Mode.OPEN: _l("Open: first come, first served"), Mode.APPROVAL: _l("Each registration needs approval"),
               Mode.INVITATION: _l("By invitation code")}
QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"), QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"), QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.CHECKBOX: _l("Checkbox (yes/no)"), QuestionKind.COUNTRY: _l("Country"),
    QuestionKind.CONSENT: _l("Consent"),
}
STATUS_LABELS = {"unverified": _l("e-mail not confirmed"), "pending": _l("awaiting approval"),
                 "confirmed": _l("confirmed"), "waitlisted": _l("waiting list"), "rejected": _l("not accepted"),
                 "cancelled": _l("cancelled")}
# What the registration templates need to name things, in one dictionary.
LABELS = {"categories": CATEGORY_LABELS, "status": STATUS_LABELS, "modes": MODE_LABELS, "genders": GENDER_LABELS,
          "kinds": QUESTION_KIND_LABELS}
