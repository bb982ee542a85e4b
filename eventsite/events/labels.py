"""How the events domain names organisation types, formats, statuses and team roles, for any domain to show."""
from flask_babel import lazy_gettext as _l

from .models import Format, OrganisationKind, Repeat, Status

ORGANISATION_KIND_LABELS = {
    OrganisationKind.MEMBER_STATE: _l("Member State"),
    OrganisationKind.UN_ENTITY: _l("UN entity"),
    OrganisationKind.INTERGOVERNMENTAL: _l("Intergovernmental organisation"),
    OrganisationKind.ACADEMIA: _l("Academia"),
    OrganisationKind.CIVIL_SOCIETY: _l("Civil society"),
    OrganisationKind.PRIVATE_SECTOR: _l("Private sector"),
}
REPEAT_LABELS = {Repeat.NONE: _l("Does not repeat"), Repeat.WEEKLY: _l("Every week"),
                 Repeat.MONTHLY: _l("Every month")}
FORMAT_LABELS = {Format.IN_PERSON: _l("In person"), Format.HYBRID: _l("Hybrid"), Format.VIRTUAL: _l("Virtual")}
STATUS_LABELS = {Status.DRAFT: _l("draft"), Status.SUBMITTED: _l("submitted"), Status.APPROVED: _l("approved"),
                 Status.REJECTED: _l("rejected"), Status.PUBLISHED: _l("published"), Status.HELD: _l("held"),
                 Status.CANCELLED: _l("cancelled")}
ROLE_LABELS = {"organiser": _l("Organiser"), "co_organiser": _l("Co-organiser"), "rapporteur": _l("Rapporteur")}
