"""Registration for side events: each event's settings and questions, and who registered."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import TimestampMixin, UTCDateTime
from ..events.models import Event, _enum
from ..extensions import db


class Mode(str, enum.Enum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITATION = "invitation"


class QuestionKind(str, enum.Enum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    CHECKBOX = "checkbox"
    COUNTRY = "country"
    CONSENT = "consent"


class Category(str, enum.Enum):
    MEMBER_STATE = "member_state"
    UN_SYSTEM = "un_system"
    INTERGOVERNMENTAL = "intergovernmental"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    PRIVATE_SECTOR = "private_sector"
    MEDIA = "media"
    OTHER = "other"


class RegistrationStatus(str, enum.Enum):
    UNVERIFIED = "unverified"    # registered without an account; the e-mailed link not yet followed
    PENDING = "pending"          # waiting for the organisers' approval
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Statuses that hold a seat, and those that wait for one.
SEATED = (RegistrationStatus.CONFIRMED,)
ACTIVE = (RegistrationStatus.UNVERIFIED, RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED,
          RegistrationStatus.WAITLISTED)


class RegistrationSettings(db.Model):
    __tablename__ = "registration_settings"
    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mode: Mapped[Mode] = mapped_column(_enum(Mode), default=Mode.OPEN, server_default="open")
    invitation_code: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # None: the room's capacity; no room either: unlimited.
    capacity: Mapped[int | None]
    waitlist: Mapped[bool] = mapped_column(default=True, server_default="1")
    allow_anonymous: Mapped[bool] = mapped_column(default=False, server_default="0")
    consent_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    consent_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Taken by every registration: the UPDATE serialises seat allocation for one event on
    # PostgreSQL (row lock) and SQLite (writer lock), and numbers arrivals in order.
    arrivals: Mapped[int] = mapped_column(default=0, server_default="0")
    event: Mapped[Event] = relationship(back_populates="registration_settings")

    def __repr__(self):
        return f"<RegistrationSettings event={self.event_id} {self.mode.value}>"

    @property
    def seats(self) -> int | None:
        if self.capacity:
            return self.capacity
        room = self.event.room
        return room.capacity if room else None


class Question(db.Model):
    __tablename__ = "registration_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind))
    required: Mapped[bool] = mapped_column(default=False, server_default="0")
    options: Mapped[list] = mapped_column(JSON, default=list)
    # Asked only when the answer to another question is (or includes) this value.
    depends_on_id: Mapped[int | None] = mapped_column(ForeignKey("registration_questions.id", ondelete="SET NULL"))
    depends_value: Mapped[str] = mapped_column(String(200), default="", server_default="")

    def __repr__(self):
        return f"<Question {self.id} {self.kind.value}>"

    @property
    def field_name(self) -> str:
        return f"q{self.id}"


class Registration(TimestampMixin, db.Model):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "email"),
                      Index("ix_registrations_event_status_arrival", "event_id", "status", "arrival"),
                      Index("ix_registrations_status_verification_expires_at", "status",
                            "verification_expires_at"),
                      # the newest change to any registration, for the forum dashboard's fingerprint
                      Index("ix_registrations_updated_at", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The private manage link, and the code in the check-in QR: separate, so that a badge
    # seen at the door does not let anyone cancel the registration.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    checkin_code: Mapped[str] = mapped_column(String(32), unique=True)
    # The e-mailed verification link's token, stored as its SHA-256: the manage token is never
    # shown before the address is proven, and a copy of the table does not confirm anything.
    verification_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    verification_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)   # when the address was proven
    locale: Mapped[str | None] = mapped_column(String(10))  # the page's language, for the e-mails
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus))
    arrival: Mapped[int] = mapped_column(default=0)   # order of arrival within the event
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    organisation: Mapped[str] = mapped_column(String(250), default="", server_default="")
    category: Mapped[Category | None] = mapped_column(_enum(Category, 30))
    country: Mapped[str | None] = mapped_column(String(2))
    position: Mapped[str] = mapped_column(String(250), default="", server_default="")
    gender: Mapped[str | None] = mapped_column(String(30))
    accessibility_needs: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Services the person asks for: one of the event's interpretation languages, live captioning
    # (CART), sign language and which one. Counted for the organisers; the free-text needs stay private.
    interpretation_language: Mapped[str] = mapped_column(String(60), default="", server_default="")
    wants_captioning: Mapped[bool] = mapped_column(default=False, server_default="0")
    wants_sign_language: Mapped[bool] = mapped_column(default=False, server_default="0")
    sign_language_wanted: Mapped[str] = mapped_column(String(80), default="", server_default="")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    consent_version: Mapped[int | None]
    consent_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event: Mapped[Event] = relationship()

    def __repr__(self):
        return f"<Registration {self.id} event={self.event_id} {self.status.value}>"
