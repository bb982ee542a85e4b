"""The speaker directory shared across forums, and who speaks where, in what role."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..core.models import TimestampMixin, UTCDateTime
from ..events.models import Event, OrganisationKind, _enum
from ..extensions import db


class Gender(str, enum.Enum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    SELF_DESCRIBED = "self_described"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class SpeakerRole(str, enum.Enum):
    OPENING = "opening"
    MODERATOR = "moderator"
    KEYNOTE = "keynote"
    PANELLIST = "panellist"
    DISCUSSANT = "discussant"
    CLOSING = "closing"
    RAPPORTEUR = "rapporteur"


# The order in which roles are listed when the organiser has not set one.
ROLE_ORDER = {role: rank for rank, role in enumerate(SpeakerRole)}


class InvitationStatus(str, enum.Enum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class Person(TimestampMixin, db.Model):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_family_given", "family_name", "given_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    honorific: Mapped[str] = mapped_column(String(40), default="", server_default="")
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(250), default="", server_default="")
    organisation: Mapped[str] = mapped_column(String(250), default="", server_default="")
    organisation_kind: Mapped[OrganisationKind | None] = mapped_column(_enum(OrganisationKind, 30))
    country: Mapped[str | None] = mapped_column(String(2))
    gender: Mapped[Gender | None] = mapped_column(_enum(Gender, 30))
    gender_description: Mapped[str] = mapped_column(String(80), default="", server_default="")
    biography: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Private to organisers and staff; lower-cased, one person per address.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # A random part of the photo's address, new with every upload: photos cannot be walked by id.
    photo_key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Lower-cased name, organisation and position for the directory search.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the person followed "no more invitations" in one: they are never mailed one again.
    invitations_refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignments: Mapped[list["SpeakerAssignment"]] = relationship(back_populates="person", viewonly=True)

    def __repr__(self):
        return f"<Person {self.id} {self.family_name}>"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.honorific, self.given_name, self.family_name) if part)

    @property
    def sort_name(self) -> str:
        return f"{self.family_name}, {self.given_name}"

    @property
    def affiliation(self) -> str:
        """"Director, UNESCO" — position and organisation as one line."""
        return ", ".join(part for part in (self.position, self.organisation) if part)


class SpeakerAssignment(db.Model):
    """A person speaking at an event, optionally in one agenda item, in one role."""

    __tablename__ = "speaker_assignments"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "role", "agenda_item_id"),
                      Index("ix_speaker_assignments_person", "person_id"),
                      Index("ix_speaker_assignments_event_position", "event_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    role: Mapped[SpeakerRole] = mapped_column(_enum(SpeakerRole))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[InvitationStatus] = mapped_column(_enum(InvitationStatus), default=InvitationStatus.INVITED,
                                                     server_default="invited")
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the invitation was made in, then the one the speaker answered in: mail to a
    # speaker without an account of their own is written in it.
    locale: Mapped[str | None] = mapped_column(String(10))
    # Set when an organiser added someone by an address already in the directory whose details
    # they may not see: until the person accepts, the team sees only the name it typed.
    entered_given_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    entered_family_name: Mapped[str] = mapped_column(String(120), default="", server_default="")

    event: Mapped[Event] = relationship(back_populates="speakers")
    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True, back_populates="assignments")
    agenda_item = relationship("AgendaItem")

    def __repr__(self):
        return f"<SpeakerAssignment event={self.event_id} person={self.person_id} {self.role.value}>"

    @property
    def is_confirmed(self) -> bool:
        return self.status == InvitationStatus.CONFIRMED

    @property
    def is_concealed(self) -> bool:
        """Added by address, not yet accepted: the directory entry stays hidden from the team."""
        return bool(self.entered_family_name) and self.status != InvitationStatus.CONFIRMED

    @property
    def name(self) -> str:
        """The speaker's name as this event's team may see it."""
        if self.is_concealed:
            return f"{self.entered_given_name} {self.entered_family_name}".strip()
        return self.person.full_name

    @property
    def affiliation(self) -> str:
        return "" if self.is_concealed else self.person.affiliation


class SentInvitation(db.Model):
    """One invitation e-mail sent by an account: what the per-account daily limit counts.

    Kept apart from the assignment so that removing a speaker does not give the count back.
    """

    __tablename__ = "sent_invitations"
    __table_args__ = (Index("ix_sent_invitations_sender_sent_at", "sender_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<SentInvitation sender={self.sender_id} person={self.person_id} at={self.sent_at:%Y-%m-%d %H:%M}>"
