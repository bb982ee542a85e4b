from sqlalchemy import select

from eventsite.core.mail import OutboxMessage, deliver_outbox, queue_mail
from eventsite.extensions import db
from tests.conftest import wait_for_mail


def test_outbox_delivers_through_a_real_smtp_server(ctx, smtp_server):
    queue_mail("delegate@example.org", "Your registration", "See you on 6 May.",
               attachments=[("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    db.session.commit()
    assert deliver_outbox() == (1, 0)
    received = wait_for_mail(smtp_server)[0]
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


def test_the_console_backend_prints_each_message_readably(ctx, app, capsys):
    app.config["MAIL_BACKEND"] = "console"
    try:
        queue_mail("delegate@example.org", "Invitation to speak: Résumé", "Accept here: http://localhost/invitations/abc",
                   attachments=[("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
        db.session.commit()
        assert deliver_outbox() == (1, 0)
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    printed = capsys.readouterr().err
    assert "e-mail to delegate@example.org: Invitation to speak: Résumé" in printed
    assert "http://localhost/invitations/abc" in printed and "[attached: event.ics]" in printed
