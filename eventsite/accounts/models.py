"""People who sign in, and the roles they hold in forums and events."""
import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime
from ..core.time import utcnow
from ..extensions import db


class Role(str, enum.Enum):
    ORGANISER = "organiser"
    CO_ORGANISER = "co_organiser"
    RAPPORTEUR = "rapporteur"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    is_staff: Mapped[bool] = mapped_column(default=False, server_default="0")
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the owner followed the e-mailed link; until then the address is only a claim.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id that sessions and remember-me cookies carry: changing it signs every device out.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Two-factor sign-in: the shared secret of the authenticator app, and the last time step a
    # code was accepted for, so that a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The secret in the personal calendar feed's address; None until the user asks for one.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    def get_id(self) -> str:
        """The id a session stores: it stops matching once the password changes."""
        return f"{self.id}:{self.session_version or 0}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_verified(self) -> bool:
        """True once the owner has proven the address by following the e-mailed link."""
        return self.email_verified_at is not None

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


class Membership(db.Model):
    """A role held by a user in exactly one forum or one event."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("(forum_id IS NULL) <> (event_id IS NULL)", name="one_scope"),
        UniqueConstraint("user_id", "role", "forum_id", "event_id"),
        Index("ix_memberships_event_id", "event_id"),
        Index("ix_memberships_forum_id", "forum_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda roles: [r.value for r in roles]))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user: Mapped[User] = relationship(back_populates="memberships")

    def __repr__(self):
        scope = f"forum={self.forum_id}" if self.forum_id else f"event={self.event_id}"
        return f"<Membership user={self.user_id} {self.role.value} {scope}>"


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its digest is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<RecoveryCode user={self.user_id} used={self.used_at is not None}>"


class SitePolicy(db.Model):
    """Site-wide sign-in rules that staff set: one row."""

    __tablename__ = "site_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    two_factor_for_organisers: Mapped[bool] = mapped_column(default=False, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self):
        return f"<SitePolicy two_factor_for_organisers={self.two_factor_for_organisers}>"


class TokenScope(str, enum.Enum):
    READ = "read"
    READ_WRITE = "read_write"


class ApiToken(db.Model):
    """A personal API token: shown once, only its SHA-256 digest kept; revoked tokens stay listed."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the token's first characters, to tell tokens apart
    scope: Mapped[TokenScope] = mapped_column(Enum(TokenScope, native_enum=False, length=20,
                                                   values_callable=lambda members: [m.value for m in members]))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()

    def __repr__(self):
        return f"<ApiToken {self.prefix}… user={self.user_id} {self.scope.value}>"
