"""Forums, their rooms, the side events held in them and the events' concept notes."""
import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import RevisionMixin, TimestampMixin, UTCDateTime
from ..core.time import to_local, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..agenda.models import AgendaItem
    from ..registrations.models import RegistrationSettings
    from ..summaries.models import Summary
    from ..speakers.models import SpeakerAssignment
    from ..series.models import Series


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda members: [m.value for m in members])


class Status(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    HELD = "held"
    CANCELLED = "cancelled"


PUBLIC_STATUSES = (Status.PUBLISHED, Status.HELD)
# A cancelled event stays public so that people who planned to come learn of it.
LISTED_STATUSES = (Status.PUBLISHED, Status.HELD, Status.CANCELLED)
# Events that hold their room; a rejected or cancelled proposal frees it.
ROOM_HOLDING_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.HELD)


class Repeat(str, enum.Enum):
    """How a recurring meeting repeats; NONE for a one-off event (the usual side event)."""
    NONE = ""
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Format(str, enum.Enum):
    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    VIRTUAL = "virtual"


class OrganisationKind(str, enum.Enum):
    MEMBER_STATE = "member_state"
    UN_ENTITY = "un_entity"
    INTERGOVERNMENTAL = "intergovernmental"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"


class Forum(TimestampMixin, db.Model):
    """A series of side events held together, such as "2025 STI Forum"."""

    __tablename__ = "forums"
    # Two forums of one name could not be told apart in lists, feeds and exports.
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates_in_order"), UniqueConstraint("name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(200), default="", server_default="")
    call_opens_on: Mapped[date | None]
    call_closes_on: Mapped[date | None]
    summary_template: Mapped[str] = mapped_column(String(80), default="sti-side-event", server_default="sti-side-event")
    concept_note_guidance: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Questions the forum asks every concept note to address, one per line.
    concept_note_questions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Sites that may show the forum's programme in a frame (/forums/<slug>/embed), one origin per line.
    embed_origins: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who may lead a proposal (the first organising entity) and who may join it, as organisation
    # kinds separated by commas; empty means every kind. lead_rule_in_person_only limits the lead rule
    # to in-person and hybrid events, as at UN Headquarters.
    lead_kinds: Mapped[str] = mapped_column(String(200), default="", server_default="")
    co_organiser_kinds: Mapped[str] = mapped_column(String(200), default="", server_default="")
    lead_rule_in_person_only: Mapped[bool] = mapped_column(default=False, server_default="0")
    # How many live proposals one lead organisation may make to the forum; None: no limit.
    max_events_per_lead: Mapped[int | None]
    # Approval waits until every co-organising organisation's focal point has confirmed.
    co_organisers_must_confirm: Mapped[bool] = mapped_column(default=False, server_default="0")
    # What a side event overlapping an official meeting meets, unless the meeting says otherwise:
    # "warn" (flagged to the organisers and in review) or "refuse".
    official_overlap_rule: Mapped[str] = mapped_column(String(10), default="warn", server_default="warn")
    rooms: Mapped[list["Room"]] = relationship(back_populates="forum", order_by="Room.name",
                                               cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Forum {self.slug}>"


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("forum_id", "name"),
                      CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None]
    accessibility_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Bumped by every booking: the UPDATE serialises concurrent bookings of one room on
    # PostgreSQL (row lock) and SQLite (writer lock) alike.
    booking_version: Mapped[int] = mapped_column(default=0, server_default="0")
    forum: Mapped[Forum] = relationship(back_populates="rooms")

    def __repr__(self):
        return f"<Room {self.name}>"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(250), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind, 30))
    country: Mapped[str | None] = mapped_column(String(2))

    def __repr__(self):
        return f"<Organisation {self.name}>"


class Event(TimestampMixin, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="ends_after_start"),
        Index("ix_events_forum_status_start", "forum_id", "status", "starts_at"),
        Index("ix_events_room_start", "room_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    external_venue: Mapped[str] = mapped_column(String(300), default="", server_default="")
    format: Mapped[Format] = mapped_column(_enum(Format), default=Format.IN_PERSON, server_default="in_person")
    # The link to join online and its passcode: for the team and confirmed participants only.
    webcast_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    meeting_passcode: Mapped[str] = mapped_column(String(100), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(200), default="English", server_default="English")
    interpretation_languages: Mapped[str] = mapped_column(String(200), default="", server_default="")
    captioning: Mapped[bool] = mapped_column(default=False, server_default="0")
    sign_language: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Which sign languages are interpreted ("International Sign, ASL"), when sign_language is set.
    sign_languages: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Step-free access for wheelchair users to the room or venue, seats and speakers' platform alike.
    wheelchair_access: Mapped[bool] = mapped_column(default=False, server_default="0")
    accessibility_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    # The contact is a person's address: public pages and feeds carry it only when the organiser says so.
    contact_email_public: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The language of the page the contact address was entered in, for mail to a contact without an account.
    contact_locale: Mapped[str | None] = mapped_column(String(10))
    audience_size: Mapped[int | None]
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.DRAFT, server_default="draft")
    status_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The calendar entry's SEQUENCE: raised once for each change a subscriber sees after
    # publication (events/shown.py compares calendar_digest, a digest of what the entry shows).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    calendar_digest: Mapped[str | None] = mapped_column(String(64))
    # Lower-cased title, subtitle, organisers and concept note, kept by the services for search.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Staff let this proposal in outside its forum's call for proposals (logged as event.late_allowed).
    late_allowed: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Shapes of time. An all-day entry (a forum day such as "Registration day") keeps starts_at at local
    # midnight of its first day and ends_at at local midnight after its last, so the (start, end) interval
    # every overlap check reads stays true; its calendar entry is written as DATE values.
    all_day: Mapped[bool] = mapped_column(default=False, server_default="0")
    # A recurring meeting (a weekly briefing): starts_at/ends_at are its first meeting, the rule repeats
    # it until repeat_until (a local day, included) and each meeting is an EventOccurrence row.
    repeat: Mapped[Repeat] = mapped_column(_enum(Repeat, 10), default=Repeat.NONE, server_default="")
    repeat_until: Mapped[date | None]
    # A thread of events across forums ("Oceans" at every HLPF).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"), index=True)

    forum: Mapped[Forum | None] = relationship()
    series: Mapped["Series | None"] = relationship(back_populates="events")
    occurrences: Mapped[list["EventOccurrence"]] = relationship(
        order_by="EventOccurrence.original_start", cascade="all, delete-orphan", back_populates="event")
    room: Mapped[Room | None] = relationship()
    organisers: Mapped[list["EventOrganiser"]] = relationship(
        back_populates="event", order_by="EventOrganiser.position", cascade="all, delete-orphan")
    sdgs: Mapped[list["EventSdg"]] = relationship(order_by="EventSdg.sdg", cascade="all, delete-orphan")
    concept_note: Mapped["ConceptNote | None"] = relationship(back_populates="event", cascade="all, delete-orphan")
    status_changes: Mapped[list["StatusChange"]] = relationship(
        order_by="StatusChange.id", cascade="all, delete-orphan", back_populates="event")
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        order_by="[AgendaItem.starts_at, AgendaItem.parallel, AgendaItem.id]", cascade="all, delete-orphan",
        back_populates="event")
    summary: Mapped["Summary | None"] = relationship(back_populates="event", cascade="all, delete-orphan")
    registration_settings: Mapped["RegistrationSettings | None"] = relationship(
        back_populates="event", cascade="all, delete-orphan")
    speakers: Mapped[list["SpeakerAssignment"]] = relationship(
        order_by="[SpeakerAssignment.position, SpeakerAssignment.id]", cascade="all, delete-orphan",
        back_populates="event")

    def __repr__(self):
        return f"<Event {self.slug} {self.status.value}>"

    @property
    def local_start(self) -> datetime:
        return to_local(self.starts_at, self.timezone)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.timezone)

    @property
    def is_recurring(self) -> bool:
        return self.repeat != Repeat.NONE

    @property
    def local_last_day(self) -> date:
        """The local day the event ends on (an all-day entry's exclusive end is the day before)."""
        end = self.local_end
        if self.all_day or (end.time() == datetime.min.time() and end.date() > self.local_start.date()):
            from datetime import timedelta
            return end.date() - timedelta(days=1)
        return end.date()

    @property
    def is_multi_day(self) -> bool:
        return self.local_last_day > self.local_start.date()

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def shown_organisers(self) -> list["EventOrganiser"]:
        """The organisers public pages, feeds, the API and exports name: all but a co-organiser that declined."""
        return [o for o in self.organisers if o.position == 0 or o.confirmation != Confirmation.DECLINED]

    @property
    def co_organisers(self) -> list["EventOrganiser"]:
        return [o for o in self.organisers if o.position > 0]

    @property
    def sdg_numbers(self) -> list[int]:
        return [tag.sdg for tag in self.sdgs]

    @property
    def place(self) -> str:
        """Room and venue as one line, e.g. "Conference Room 6, UN Headquarters, New York"."""
        if self.room:
            return ", ".join(part for part in (self.room.name, self.forum.venue if self.forum else "") if part)
        return self.external_venue


class Confirmation(str, enum.Enum):
    """A co-organising organisation's answer, given by its focal point through a signed link."""
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class EventOccurrence(db.Model):
    """One meeting of a recurring event, materialised so that room bookings and overlap checks,
    which read (start, end) intervals, see every meeting. original_start is the instant the rule
    gives (the calendar's RECURRENCE-ID); a moved meeting keeps it and has its own starts_at and
    ends_at; a skipped one is kept, marked, and written as an EXDATE."""

    __tablename__ = "event_occurrences"
    __table_args__ = (UniqueConstraint("event_id", "original_start"),
                      CheckConstraint("starts_at < ends_at", name="ends_after_start"),
                      Index("ix_event_occurrences_start", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    skipped: Mapped[bool] = mapped_column(default=False, server_default="0")
    event: Mapped[Event] = relationship(back_populates="occurrences")

    def __repr__(self):
        return f"<EventOccurrence {self.event_id} {self.original_start:%Y-%m-%d %H:%M}>"

    @property
    def moved(self) -> bool:
        return self.starts_at != self.original_start

    @property
    def local_start(self) -> datetime:
        return to_local(self.starts_at, self.event.timezone)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.event.timezone)


class EventOrganiser(db.Model):
    __tablename__ = "event_organisers"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # A co-organiser's focal point confirms (or declines) that the organisation takes part; the
    # lead (position 0) needs no confirmation. link_nonce is part of the e-mailed link: a new focal
    # point gets a new one, so the previous person's link stops working.
    focal_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    focal_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    focal_locale: Mapped[str | None] = mapped_column(String(10))
    confirmation: Mapped[Confirmation] = mapped_column(_enum(Confirmation), default=Confirmation.PENDING,
                                                       server_default="pending")
    link_nonce: Mapped[str] = mapped_column(String(32), default="", server_default="")
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event: Mapped[Event] = relationship(back_populates="organisers")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def __repr__(self):
        return f"<EventOrganiser event={self.event_id} org={self.organisation_id}>"


class EventSdg(db.Model):
    __tablename__ = "event_sdgs"
    __table_args__ = (CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),
                      Index("ix_event_sdgs_sdg", "sdg"))

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True)

    def __repr__(self):
        return f"<EventSdg {self.event_id} SDG {self.sdg}>"


class StatusChange(db.Model):
    """One step of an event's workflow: who moved it, when, from what to what, and why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[Status | None] = mapped_column(_enum(Status))
    to_status: Mapped[Status] = mapped_column(_enum(Status))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event: Mapped[Event] = relationship(back_populates="status_changes")
    actor = relationship("User")

    def __repr__(self):
        return f"<StatusChange {self.event_id} {self.from_status} -> {self.to_status}>"


class ConceptNote(db.Model):
    """The concept note in the seed's structure; lists are kept as ordered lists of strings."""

    __tablename__ = "concept_notes"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    background: Mapped[str] = mapped_column(Text, default="", server_default="")  # sanitised HTML
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    target_audience: Mapped[list] = mapped_column(JSON, default=list)
    guiding_questions: Mapped[list] = mapped_column(JSON, default=list)
    expected_outcomes: Mapped[list] = mapped_column(JSON, default=list)
    # The language it is written in (a site code: "ar", "zh_Hans"); None for notes older than the column,
    # whose exports go by their script. Its Word and PDF exports are in it, fixed labels included.
    language: Mapped[str | None] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    event: Mapped[Event] = relationship(back_populates="concept_note")
    revisions: Mapped[list["ConceptNoteRevision"]] = relationship(
        order_by="ConceptNoteRevision.number", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<ConceptNote event={self.event_id} r{self.revision}>"

    @property
    def is_empty(self) -> bool:
        return not (self.background.strip() or self.objectives or self.target_audience or self.guiding_questions)


class ConceptNoteRevision(RevisionMixin, db.Model):
    __tablename__ = "concept_note_revisions"
    document_table = "concept_notes"


class DeletedEvent(db.Model):
    """What is left of an event staff removed (a duplicate, spam): its address answers 410 Gone."""

    __tablename__ = "deleted_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    forum: Mapped[Forum | None] = relationship()
    deleted_by = relationship("User")

    def __repr__(self):
        return f"<DeletedEvent {self.slug}>"
