import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from eventsite.core.mail import OutboxMessage, deliver_outbox, queue_mail
from eventsite.extensions import db
from tests.conftest import free_port


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield inbox
    app.config["MAIL_PORT"] = old
    controller.stop()


def test_outbox_delivers_through_a_real_smtp_server(ctx, smtp_server):
    queue_mail("delegate@example.org", "Your registration", "See you on 6 May.",
               attachments=[("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    db.session.commit()
    assert deliver_outbox() == (1, 0)
    for _ in range(50):
        if smtp_server.messages:
            break
        time.sleep(0.05)
    received = smtp_server.messages[0]
    assert received["To"] == "delegate@example.org"
    assert received["Subject"] == "Your registration"
    parts = [part.get_filename() for part in received.walk() if part.get_filename()]
    assert parts == ["event.ics"]


def test_a_failed_send_keeps_the_message_for_a_retry(ctx, app):
    queue_mail("delegate@example.org", "Subject", "Body")
    db.session.commit()
    assert deliver_outbox() == (0, 1)  # MAIL_PORT 1: connection refused
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1 and message.last_error
