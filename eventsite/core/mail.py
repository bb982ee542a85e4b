"""Outgoing mail goes through an outbox table, so a failed send never loses what caused it.

The row is written in the transaction of the change it announces. Job workers claim rows
atomically before sending (a lease a crashed worker's claim outlives), keep one Message-ID
across retries, back off exponentially, and mark a message failed after the last attempt,
where staff see it and can send it again. No web request talks to the mail server.
"""
import re
import secrets
import smtplib
import sys
from datetime import datetime, timedelta
from email import policy as email_policy
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Callable, NamedTuple

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from .languages import html_lang
from .mail_preferences import opted_out
from .models import UTCDateTime
from .time import utcnow

WAKE_FLAG = "eventsite.mail_queued"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The HTML alternative of the body, for the messages that have one (the same words, escaped).
    html: Mapped[str | None] = mapped_column(Text)
    # An optional notification's kind ("reminders", "changes", "invitations"; see mail_preferences):
    # checked against the recipient's wishes when it is sent, and named in its List-Unsubscribe link.
    # None for what cannot be switched off (verification, password reset, confirmation of a request).
    category: Mapped[str | None] = mapped_column(String(30))
    # The language the message was rendered in, so a retry or a resend says the same thing.
    locale: Mapped[str | None] = mapped_column(String(10))
    # Kept across retries so a receiver can drop a copy if a crash made us send twice.
    message_id: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True,
                                                      server_default=func.current_timestamp())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    # A message queued by a request is rendered by the worker that first sends it: "module:function"
    # and its keyword arguments, cleared once subject, body and attachments are written.
    template: Mapped[str | None] = mapped_column(String(200))
    params: Mapped[dict | None] = mapped_column(JSON)
    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", lazy="selectin")

    @property
    def state(self) -> str:
        return "sent" if self.sent_at else "failed" if self.failed_at else "waiting"

    def __repr__(self):
        return f"<OutboxMessage {self.id} to={self.recipient!r} {self.state}>"


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")

    def __repr__(self):
        return f"<OutboxAttachment {self.filename}>"


class RenderError(ValueError):
    """A templated message could not be rendered."""


class Delivery(NamedTuple):
    sent: int
    failed: int  # attempts that failed in this run (the message waits for a retry or is marked failed)


Text_ = str | Callable[[], str]


def queue_mail(recipient: str, subject: Text_, body: Text_, attachments: list[tuple[str, str, bytes]] = (),
               *, locale: str | None = None, category: str | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; workers send it after the commit.

    Give subject and body as callables to have them rendered in the recipient's language
    (`locale`, else the site's default); plain strings are recorded in the current language.
    """
    if callable(subject) or callable(body):
        from .languages import language_for, speaking
        locale = language_for(locale)
        with speaking(locale):
            subject = subject() if callable(subject) else subject
            body = body() if callable(body) else body
    else:
        locale = locale or str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    message = OutboxMessage(recipient=recipient, subject=str(subject)[:300], body=str(body), locale=locale,
                            category=category, message_id=make_msgid(domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"]),
                            next_attempt_at=utcnow())
    for filename, content_type, content in attachments:
        message.attachments.append(OutboxAttachment(filename=filename, content_type=content_type, content=content))
    db.session.add(message)
    db.session.flush()
    db.session.info[WAKE_FLAG] = True
    return message


def queue_template(recipient: str, template: str, params: dict, *, locale: str | None,
                   category: str | None = None) -> OutboxMessage:
    """Add a message that the sending worker renders, in the caller's transaction.

    template is "module:function"; called with params under the recipient's locale, it returns
    (subject, body, attachments) or (subject, body, attachments, html), or None when there is
    nothing to say any more (its subject was erased), and the message is dropped. The request
    pays for one INSERT, not a rendering.
    """
    message = OutboxMessage(recipient=recipient, subject="", body="", locale=locale, template=template,
                            category=category,
                            params=params, message_id=make_msgid(domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"]),
                            next_attempt_at=utcnow())
    db.session.add(message)  # written with the caller's next flush: no round trip of its own
    db.session.info[WAKE_FLAG] = True
    return message


def render(message: OutboxMessage) -> bool:
    """Write a templated message's subject, body and attachments, once; False if it has nothing to say."""
    if message.template is None:
        return True
    import importlib
    from .languages import speaking
    module, _, name = message.template.partition(":")
    with speaking(message.locale):
        rendered = getattr(importlib.import_module(module), name)(**(message.params or {}))
    if rendered is None:
        return False
    subject, body, attachments, *html = rendered
    message.subject, message.body = str(subject)[:300], str(body)
    message.html = str(html[0]) if html and html[0] else None
    for filename, content_type, content in attachments:
        message.attachments.append(OutboxAttachment(filename=filename, content_type=content_type, content=content))
    message.template = message.params = None  # a verification token in the params lives on only in the body
    return True


def render_waiting() -> int:
    """Render every message still waiting for its worker (for commands and tests that read the outbox)."""
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template.is_not(None))).all()
    for message in messages:
        if not render(message):
            db.session.delete(message)
    db.session.flush()
    return len(messages)


def forget_mail(recipient: str, mentioning: list[str], *, params: dict | None = None) -> int:
    """Erasure reaches the outbox: messages to this address whose subject or body matches any of the
    patterns (a manage link, an event's address), or not yet rendered with these params, are
    deleted, sent or waiting, attachments too."""
    found = re.compile("|".join(mentioning))

    def concerned(message):
        if message.template is not None:
            return bool(params) and all((message.params or {}).get(k) == v for k, v in params.items())
        return bool(found.search(message.subject + "\n" + message.body))
    messages = [m for m in db.session.scalars(select(OutboxMessage).where(
        func.lower(OutboxMessage.recipient) == recipient.lower())) if concerned(m)]
    for message in messages:
        db.session.delete(message)
    db.session.flush()
    return len(messages)


def forget_old_mail(before: datetime) -> int:
    """Retention: sent and failed messages written before this moment are deleted (waiting ones go out first)."""
    old = select(OutboxMessage.id).where(OutboxMessage.created_at < before,
                                         or_(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None)))
    ids = list(db.session.scalars(old))
    if ids:
        db.session.execute(OutboxAttachment.__table__.delete().where(OutboxAttachment.message_id.in_(ids)))
        db.session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.id.in_(ids)))
    return len(ids)


@event.listens_for(Session, "after_commit")
def _wake_workers(session):
    """With jobs run in the caller (tests), send committed mail at once. Otherwise job workers
    find it by polling the outbox (MAIL_POLL_SECONDS): a request neither imports nor writes the queue."""
    if session.in_nested_transaction():  # a savepoint released: the mail is not committed until the root is
        return
    if not session.info.pop(WAKE_FLAG, False) or current_app.config.get("JOBS_URL") != "immediate":
        return
    from ..jobs import enqueue
    try:
        enqueue("deliver-mail")
    except Exception:  # the outbox row is safe; the next delivery sends it
        current_app.logger.exception("Could not send the mail at once; the next delivery will")


@event.listens_for(Session, "after_rollback")
def _forget_wake(session):
    if not session.in_nested_transaction():  # a savepoint rolled back leaves the mail queued before it
        session.info.pop(WAKE_FLAG, None)


class _UnfoldedHeader(UnstructuredHeader):
    """A header a program reads (a link in angle brackets): written on one line, as it is, never
    folded into RFC 2047 encoded words, which would make the link unusable. Only ASCII goes in it."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UnfoldedHeader)
_POLICY = email_policy.default.clone(header_factory=_HEADERS)


def _to_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage(policy=_POLICY)
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    if message.category:  # RFC 2369 and RFC 8058: the mail client's own "unsubscribe", one POST, no sign-in
        from .mail_preferences import unsubscribe_url
        email["List-Unsubscribe"] = f"<{unsubscribe_url(message.recipient, message.category)}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for attachment in message.attachments:
        maintype, subtype = attachment.content_type.split(";")[0].split("/")
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    if message.locale:  # after the content: set_content() drops Content-* headers
        email["Content-Language"] = html_lang(message.locale)
    return email


def _print_message(message: OutboxMessage) -> None:
    """The console backend: the message as a person would read it, links unencoded, on stderr
    (the log's INFO level is hidden outside debug mode, and a developer must see the links)."""
    files = ", ".join(a.filename for a in message.attachments)
    sys.stderr.write(f"\n----- e-mail to {message.recipient}: {message.subject}\n{message.body}\n"
                     + (f"[attached: {files}]\n" if files else "") + "-----\n")
    sys.stderr.flush()


def _due(now):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


def claim_due(limit: int, token: str, now: datetime | None = None) -> list[int]:
    """Atomically take up to limit due messages for this worker; commits so other workers see the claim.

    PostgreSQL skips rows another worker is locking; SQLite runs one writer at a time and the
    UPDATE re-checks the lease. Each claim counts as an attempt, so a message that crashes
    its worker every time still ends up failed rather than looping forever.
    """
    now = now or utcnow()
    db.session.commit()  # start from a fresh transaction: SQLite takes its write lock before reading
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    candidates = (select(OutboxMessage.id).where(*_due(now)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                  .limit(limit).with_for_update(skip_locked=True))
    ids = db.session.scalars(
        update(OutboxMessage).where(OutboxMessage.id.in_(candidates.scalar_subquery()), *_due(now))
        .values(claimed_until=now + lease, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)).all()
    db.session.commit()
    return sorted(ids)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped, so a ten-minute outage costs a few tries."""
    config = current_app.config
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


class _Smtp:
    """One connection reused for a batch, reopened after an error."""

    def __init__(self, config):
        self.config = config
        self.connection = None

    def send(self, email):
        config = self.config
        if self.connection is None:
            connection = smtplib.SMTP(config["MAIL_HOST"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"],
                                      local_hostname=config["MAIL_EHLO_NAME"])
            try:
                if config["MAIL_USE_TLS"]:
                    connection.starttls()
                if config["MAIL_USERNAME"]:
                    connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            except BaseException:
                connection.close()
                raise
            self.connection = connection
        try:
            self.connection.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


def _permanent(error: Exception) -> bool:
    """A 5xx answer (unknown mailbox, refused sender) will not get better by waiting."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _send_claimed(ids: list[int], token: str, smtp: _Smtp) -> Delivery:
    config = current_app.config
    lease = timedelta(seconds=config["MAIL_CLAIM_SECONDS"])
    sent = failed = 0
    for message_id in ids:
        # The lease is renewed before each send, so it needs to outlast one send, not the whole batch:
        # a slow batch never lets another worker take a message this one is about to send.
        renewed = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
            .values(claimed_until=utcnow() + lease).execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        message = db.session.get(OutboxMessage, message_id) if renewed else None
        if message is None or message.claim_token != token:
            continue
        if message.category and opted_out(message.recipient, message.category):
            # Honoured when sent, not only when queued: a reminder queued before the person said
            # "no more reminders" is dropped, whichever door queued it.
            db.session.delete(message)
            db.session.commit()
            continue
        try:
            try:
                keep = render(message)
            except Exception as error:  # a bug in a template: retried, and shown to staff if it persists
                db.session.rollback()
                current_app.logger.exception("Could not render message %s", message_id)
                raise RenderError(f"{type(error).__name__}: {error}") from error
            if not keep:  # e.g. the registration it was about was erased before it was sent
                db.session.delete(message)
                db.session.commit()
                continue
            email = _to_email(message, config["MAIL_SENDER"])
            if config["MAIL_BACKEND"] == "console":
                _print_message(message)
            else:
                smtp.send(email)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            now = utcnow()
            last = message.attempts >= config["MAIL_MAX_ATTEMPTS"] or _permanent(error)
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
                .values(last_error=f"{type(error).__name__}: {error}"[:2000], claimed_until=None, claim_token=None,
                        failed_at=now if last else None,
                        next_attempt_at=now + retry_delay(message.attempts)))
            failed += 1
        else:
            # Only the worker still holding the claim records the send (a lease that ran out means
            # someone else may be sending it too; the shared Message-ID lets receivers drop the copy).
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
                .values(sent_at=utcnow(), last_error=None, claimed_until=None, claim_token=None))
            sent += 1
        db.session.commit()
    return Delivery(sent, failed)


def deliver_outbox(limit: int = 50) -> Delivery:
    """Claim and send due messages, a batch at a time, until none is due or limit is reached."""
    token = secrets.token_hex(16)
    batch = current_app.config["MAIL_BATCH_SIZE"]
    smtp = _Smtp(current_app.config)
    sent = failed = 0
    try:
        while sent + failed < limit:
            ids = claim_due(min(batch, limit - sent - failed), token)
            if not ids:
                break
            done = _send_claimed(ids, token, smtp)
            sent, failed = sent + done.sent, failed + done.failed
    finally:
        smtp.close()
    return Delivery(sent, failed)


def any_due(now: datetime | None = None) -> bool:
    """Whether a message is due and not held by another worker's claim (a read, no lock)."""
    return db.session.scalar(select(OutboxMessage.id).where(*_due(now or utcnow())).limit(1)) is not None


def next_due_at() -> datetime | None:
    """When the earliest waiting message becomes due (its retry time, or the end of another worker's lease)."""
    waiting = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    retry = db.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(
        *waiting, OutboxMessage.claimed_until.is_(None)))
    lease = db.session.scalar(select(func.min(OutboxMessage.claimed_until)).where(*waiting))
    candidates = [moment for moment in (retry, lease) if moment is not None]
    return min(candidates) if candidates else None


def outbox_counts() -> dict[str, int]:
    """How many messages were sent, are waiting (queued or between retries), and failed for good."""
    sent = func.count(OutboxMessage.sent_at)
    failed = func.count(OutboxMessage.failed_at)
    total, sent, failed = db.session.execute(select(func.count(OutboxMessage.id), sent, failed)).one()
    return {"sent": sent, "waiting": total - sent - failed, "failed": failed}


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    """Messages that ran out of attempts, newest first, for the staff page."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))
                                   .order_by(OutboxMessage.failed_at.desc()).limit(limit)))


def retry_failed(message: OutboxMessage, *, user) -> None:
    """Give a failed message a fresh set of attempts (staff, after fixing an address or the server)."""
    if message.failed_at is None:
        return
    message.failed_at = None
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_until = message.claim_token = None
    db.session.flush()
    db.session.info[WAKE_FLAG] = True
