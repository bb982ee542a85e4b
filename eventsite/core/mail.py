"""Outgoing mail goes through an outbox table, so a failed send never loses what caused it."""
import smtplib
import sys
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import ForeignKey, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .models import UTCDateTime
from .time import utcnow

MAX_ATTEMPTS = 8


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", lazy="selectin")

    def __repr__(self):
        return f"<OutboxMessage {self.id} to={self.recipient!r} sent={self.sent_at is not None}>"


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


def queue_mail(recipient: str, subject: str, body: str,
               attachments: list[tuple[str, str, bytes]] = ()) -> OutboxMessage:
    """Add a message to the outbox; it is sent after the surrounding transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    for filename, content_type, content in attachments:
        message.attachments.append(OutboxAttachment(filename=filename, content_type=content_type, content=content))
    db.session.add(message)
    db.session.flush()
    return message


def _to_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="eventsite.local")
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, subtype = attachment.content_type.split(";")[0].split("/")
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return email


def _print_message(message: OutboxMessage) -> None:
    """The console backend: the message as a person would read it, links unencoded, on stderr
    (the log's INFO level is hidden outside debug mode, and a developer must see the links)."""
    files = ", ".join(a.filename for a in message.attachments)
    sys.stderr.write(f"\n----- e-mail to {message.recipient}: {message.subject}\n{message.body}\n"
                     + (f"[attached: {files}]\n" if files else "") + "-----\n")
    sys.stderr.flush()


def deliver_outbox(limit: int = 50) -> tuple[int, int]:
    """Send unsent messages; returns (sent, failed). Commits after each message."""
    config = current_app.config
    pending = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)).all()
    sent = failed = 0
    for message in pending:
        message.attempts += 1
        try:
            email = _to_email(message, config["MAIL_SENDER"])
            if config["MAIL_BACKEND"] == "console":
                _print_message(message)
            else:
                with smtplib.SMTP(config["MAIL_HOST"], config["MAIL_PORT"], timeout=10) as smtp:
                    if config["MAIL_USE_TLS"]:
                        smtp.starttls()
                    if config["MAIL_USERNAME"]:
                        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                    smtp.send_message(email)
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:2000]
            failed += 1
        db.session.commit()
    return sent, failed


def deliver_outbox_quietly() -> None:
    """After a request's commit: try to send now; the CLI retries whatever fails.

    With MAIL_DELIVERY=outbox the request only queues, and `flask send-mail --every N`
    delivers: web workers then never wait for a mail server.
    """
    if current_app.config.get("MAIL_DELIVERY") == "outbox":
        return
    try:
        deliver_outbox()
    except Exception:  # a broken mail server must never break the page that queued the mail
        db.session.rollback()
        current_app.logger.exception("Outbox delivery failed; `flask send-mail` will retry")
