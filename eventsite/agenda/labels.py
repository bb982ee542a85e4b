"""How the agenda names the kinds of item, for any domain to show."""
from flask_babel import lazy_gettext as _l

from .models import ItemKind

ITEM_KIND_LABELS = {
    ItemKind.OPENING: _l("Opening remarks"), ItemKind.KEYNOTE: _l("Keynote"), ItemKind.PANEL: _l("Panel"),
    ItemKind.DISCUSSION: _l("Interactive discussion"), ItemKind.QA: _l("Questions and answers"),
    ItemKind.CLOSING: _l("Closing remarks"), ItemKind.OTHER: _l("Other"),
}
