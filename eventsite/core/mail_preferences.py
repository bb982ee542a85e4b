"""Which optional e-mails a person does not want, by address, and the signed links that change it.

Kept by address, not by account: most participants register without one. Only optional
notifications have a category; verification, password reset and the answer to what a person
asked for (a registration's confirmation, waiting list, cancellation) have none and always go.
The sender checks the wish when it sends (see mail._send_claimed), so a message queued before
the person opted out is dropped too; the request that queues a message pays nothing for it.
"""
from datetime import datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .models import UTCDateTime
from .time import utcnow

# The optional notifications, in the order the preference page lists them.
CATEGORIES = {
    "reminders": _l("Reminders shortly before events I registered for"),
    "changes": _l("Changes to events I registered for or speak at (new time, room or speakers)"),
    "invitations": _l("Invitations to speak at events"),
}
SALT = "mail-preferences"


class MailOptOut(db.Model):
    """One optional kind of e-mail that one address does not want."""
    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("email", "category", name="uq_mail_opt_outs_email_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))  # lower case
    category: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who changed it when signed in (None through an e-mailed link), for the record.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self):
        return f"<MailOptOut {self.email} {self.category}>"


def opted_out(email: str, category: str) -> bool:
    """Whether this address said it wants no e-mail of this category (one indexed read)."""
    return db.session.scalar(select(MailOptOut.id).where(MailOptOut.email == email.lower(),
                                                         MailOptOut.category == category).limit(1)) is not None


def opt_outs(email: str) -> set[str]:
    """The categories this address does not want."""
    return set(db.session.scalars(select(MailOptOut.category).where(MailOptOut.email == email.lower())))


def set_opt_outs(email: str, unwanted: set[str], *, user=None) -> None:
    """Record the categories this address does not want (the others are wanted again)."""
    email = email.lower()
    unwanted = set(unwanted) & set(CATEGORIES)
    current = opt_outs(email)
    for category in current - unwanted:
        db.session.execute(MailOptOut.__table__.delete().where(MailOptOut.email == email,
                                                              MailOptOut.category == category))
    for category in sorted(unwanted - current):
        db.session.add(MailOptOut(email=email, category=category, user_id=getattr(user, "id", None)))
    db.session.flush()


def count_opt_outs() -> dict[str, int]:
    """How many addresses turned each category off (for the staff outbox page)."""
    return dict(db.session.execute(select(MailOptOut.category, func.count(MailOptOut.id))
                                   .group_by(MailOptOut.category)).all())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def preference_token(email: str, category: str | None = None) -> str:
    """A link that never expires (an old e-mail's link must still work), for this address alone."""
    data = {"e": email.lower()}
    if category:
        data["c"] = category
    return _serializer().dumps(data)


def read_preference_token(token: str) -> tuple[str, str | None] | None:
    """(address, category) a link was made for, or None if it was not made by this site."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    category = data.get("c")
    return data["e"], category if category in CATEGORIES else None


def preferences_url(email: str) -> str:
    return url_for("notifications.preferences", token=preference_token(email), _external=True)


def unsubscribe_url(email: str, category: str) -> str:
    return url_for("notifications.unsubscribe", token=preference_token(email, category), _external=True)
