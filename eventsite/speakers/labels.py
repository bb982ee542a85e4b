"""How the speakers domain names its roles, genders and invitation states, for any domain to show."""
from flask_babel import lazy_gettext as _l

from ..events.labels import ORGANISATION_KIND_LABELS
from .models import Gender, InvitationStatus, SpeakerRole

ROLE_LABELS = {
    SpeakerRole.OPENING: _l("Opening remarks"), SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.KEYNOTE: _l("Keynote speaker"), SpeakerRole.PANELLIST: _l("Panellist"),
    SpeakerRole.DISCUSSANT: _l("Discussant"), SpeakerRole.CLOSING: _l("Closing remarks"),
    SpeakerRole.RAPPORTEUR: _l("Rapporteur"),
}
GENDER_LABELS = {
    Gender.WOMAN: _l("Woman"), Gender.MAN: _l("Man"), Gender.NON_BINARY: _l("Non-binary"),
    Gender.SELF_DESCRIBED: _l("Self-described"), Gender.PREFER_NOT_TO_SAY: _l("Prefer not to say"),
}
INVITATION_LABELS = {InvitationStatus.INVITED: _l("invited"), InvitationStatus.CONFIRMED: _l("confirmed"),
                     InvitationStatus.DECLINED: _l("declined")}
# What the speaker templates need to name things, in one dictionary.
LABELS = {"roles": ROLE_LABELS, "genders": GENDER_LABELS, "invitation": INVITATION_LABELS,
          "kinds": ORGANISATION_KIND_LABELS}
