import threading
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from eventsite import create_app
from eventsite.core.mail import OutboxMessage, claim_due, deliver_outbox, queue_mail, retry_delay
from eventsite.core.time import utcnow
from eventsite.extensions import db
from eventsite.jobs.runner import runner
from eventsite.jobs.tasks import watch_outbox
from tests.conftest import Inbox, free_port, login, make_test_config, wait_for_mail
from tests.factories import make_staff, make_user


def _only_message():
    db.session.expire_all()
    return db.session.scalar(select(OutboxMessage))


def test_committed_mail_is_sent_by_a_job_with_the_message_id_stored_on_its_row(ctx, smtp_server):
    queue_mail("delegate@example.org", "Your registration", "See you on 6 May.",
               attachments=[("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    db.session.commit()  # the commit wakes the job runner, which in tests runs at once
    received = wait_for_mail(smtp_server)[0]
    message = _only_message()
    assert (received["To"], received["Subject"]) == ("delegate@example.org", "Your registration")
    assert received["Message-ID"] == message.message_id and message.sent_at is not None
    assert [part.get_filename() for part in received.walk() if part.get_filename()] == ["event.ics"]


def test_a_rolled_back_change_sends_nothing(ctx, smtp_server):
    queue_mail("delegate@example.org", "Your registration", "See you on 6 May.")
    db.session.rollback()
    assert deliver_outbox() == (0, 0)
    assert smtp_server.messages == []


@pytest.mark.parametrize("savepoint_ends", ["released", "rolled back"])
def test_mail_queued_around_a_savepoint_is_sent_once_the_whole_change_commits(ctx, smtp_server, savepoint_ends):
    """A savepoint ending is not the change committing: the workers are woken by the outer commit."""
    queue_mail("delegate@example.org", "Your registration", "See you on 6 May.")
    savepoint = db.session.begin_nested()
    savepoint.commit() if savepoint_ends == "released" else savepoint.rollback()
    assert smtp_server.messages == []  # nothing is sent while the change is still open
    db.session.commit()
    assert [m["To"] for m in wait_for_mail(smtp_server)] == ["delegate@example.org"]


def test_a_failed_send_waits_for_its_retry_and_keeps_its_message_id(ctx, app, smtp_server):
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # connection refused
    try:
        queue_mail("delegate@example.org", "Subject", "Body")
        db.session.commit()
        first = _only_message()
        assert (first.attempts, first.sent_at, first.failed_at) == (1, None, None)
        assert "ConnectionRefusedError" in first.last_error
        assert first.next_attempt_at >= utcnow() + retry_delay(1) - timedelta(seconds=5)
        assert deliver_outbox() == (0, 0)  # not due yet: no retry storm
    finally:
        app.config["MAIL_PORT"] = port
    first.next_attempt_at = utcnow() - timedelta(seconds=1)
    message_id = first.message_id
    db.session.commit()
    assert deliver_outbox() == (1, 0)
    assert [m["Message-ID"] for m in wait_for_mail(smtp_server)] == [message_id]
    assert _only_message().attempts == 2


def test_retries_back_off_exponentially_up_to_a_ceiling(ctx, app):
    base, ceiling = app.config["MAIL_RETRY_SECONDS"], app.config["MAIL_RETRY_MAX_SECONDS"]
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [base, 2 * base, 4 * base]
    assert retry_delay(40).total_seconds() == ceiling


def test_a_claimed_message_is_left_to_its_worker_until_the_lease_ends(ctx, app, smtp_server):
    app.config["MAIL_BACKEND"] = "console"  # keep the commit's own delivery from sending it
    queue_mail("delegate@example.org", "Subject", "Body")
    message = _only_message()
    message.next_attempt_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    app.config["MAIL_BACKEND"] = "smtp"
    message = _only_message()
    message.next_attempt_at = utcnow()
    db.session.commit()
    assert claim_due(10, "crashed-worker") == [message.id]
    assert claim_due(10, "other-worker") == []
    assert deliver_outbox() == (0, 0)
    later = utcnow() + timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] + 1)
    assert claim_due(10, "other-worker", now=later) == [message.id]


def test_a_message_that_keeps_failing_is_marked_failed_counted_and_shown_to_staff(app, ctx, client):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    try:
        staff = make_staff()
        queue_mail("nobody@example.org", "Summary due: Ocean finance", "Body")
        db.session.commit()  # attempt 1 fails (MAIL_PORT 1)
        message = _only_message()
        message.next_attempt_at = utcnow()
        db.session.commit()
        assert deliver_outbox() == (0, 1)  # attempt 2, the last
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 12
    message = _only_message()
    assert message.failed_at is not None and message.attempts == 2
    output = app.test_cli_runner().invoke(args=["send-mail"]).output
    assert "0 sent, 0 waiting, 1 failed" in output
    login(client, staff.email)
    page = client.get("/staff/mail").data.decode()
    assert "nobody@example.org" in page and "ConnectionRefusedError" in page
    assert 'href="/staff/mail"' in client.get("/dashboard").data.decode()


def test_staff_send_a_failed_message_again_and_it_arrives_once(app, ctx, client, smtp_server):
    staff = make_staff()
    queue_mail("nobody@example.org", "Subject", "Body")
    message = _only_message()
    message.failed_at, message.attempts, message.last_error = utcnow(), 12, "timed out"
    db.session.commit()
    smtp_server.messages.clear()
    message_id = message.message_id
    login(client, staff.email)
    response = client.post(f"/staff/mail/{message.id}/retry")
    assert response.status_code == 302
    assert [m["Message-ID"] for m in wait_for_mail(smtp_server)] == [message_id]
    assert _only_message().state == "sent"


def test_the_failed_mail_table_heads_its_address_column_with_the_recipient_not_a_date(app, client):
    with app.app_context():  # not the ctx fixture: the requests must choose their own language
        staff = make_staff()
        queue_mail("nobody@example.org", "Subject", "Body")
        _only_message().failed_at = utcnow()
        db.session.commit()
        email = staff.email
    login(client, email)
    client.get("/language?lang=es&next=/")
    page = client.get("/staff/mail").data.decode()
    assert '<th scope="col">Destinatario</th>' in page and "Hasta" not in page


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_only_staff_see_and_retry_failed_mail(client, ctx, who):
    queue_mail("nobody@example.org", "Subject", "Body")
    message = _only_message()
    message.failed_at = utcnow()
    db.session.commit()
    if who == "participant":
        user = make_user()
        db.session.commit()
        login(client, user.email)
    assert client.get("/staff/mail").status_code in (302, 403)
    assert client.post(f"/staff/mail/{message.id}/retry").status_code in (302, 403)
    assert _only_message().failed_at is not None


def test_a_refused_recipient_fails_at_once_without_retrying(app, ctx):
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 No such mailbox"
    controller = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], controller.port
    try:
        queue_mail("gone@example.org", "Subject", "Body")
        db.session.commit()
    finally:
        app.config["MAIL_PORT"] = port
        controller.stop()
    message = _only_message()
    assert message.failed_at is not None and message.attempts == 1 and "550" in message.last_error


def test_mail_is_rendered_in_the_recipients_language(ctx, smtp_server):
    from flask_babel import gettext as _
    queue_mail("delegue@example.org", lambda: _("Reset your Eventsite password"), lambda: _("Hello,"), locale="fr")
    db.session.commit()
    received = wait_for_mail(smtp_server)[0]
    assert str(make_header(decode_header(received["Subject"]))) == "Réinitialisez votre mot de passe Eventsite"
    assert received["Content-Language"] == "fr" and _only_message().locale == "fr"


def test_in_production_a_request_only_queues_and_a_worker_sends(app, database_url, tmp_path, smtp_server):
    web = create_app(make_test_config(database_url, tmp_path, JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite'}",
                                      MAIL_PORT=app.config["MAIL_PORT"]))
    with web.app_context():
        make_user("delegate@example.org")
        db.session.commit()
    response = web.test_client().post("/account/reset", data={"email": "delegate@example.org"})
    assert response.status_code == 302
    with web.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert (message.sent_at, message.attempts) == (None, 0)  # the request did not talk to SMTP
        jobs = runner(web)
        assert jobs.pending() == 0  # nor to the job queue: the workers look in the outbox
        stop = threading.Event()
        stop.set()
        watch_outbox(jobs.context, stop)  # one look, as each worker's mail thread takes every second
        db.session.expire_all()
        assert db.session.scalar(select(OutboxMessage)).sent_at is not None
        db.session.remove()
    assert [m["To"] for m in wait_for_mail(smtp_server)] == ["delegate@example.org"]


def test_the_console_backend_prints_each_message_readably(ctx, app, capsys):
    app.config["MAIL_BACKEND"] = "console"
    try:
        queue_mail("delegate@example.org", "Invitation to speak: Résumé", "Accept here: http://localhost/invitations/abc",
                   attachments=[("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
        db.session.commit()
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    printed = capsys.readouterr().err
    assert "e-mail to delegate@example.org: Invitation to speak: Résumé" in printed
    assert "http://localhost/invitations/abc" in printed and "[attached: event.ics]" in printed
    assert _only_message().sent_at is not None
