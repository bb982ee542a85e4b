"""Webhooks: one signed POST per change to a receiver on localhost, retries while it is down, a log."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventsite.accounts.models import Role
from eventsite.core.time import utcnow
from eventsite.events import services as event_services
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.registrations import services as registration_services
from eventsite.webhooks import services
from eventsite.webhooks.models import WebhookDelivery
from tests.conftest import free_port, login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user
from tests.registrations.helpers import open_event, register


class Receiver:
    """A webhook receiver on a loopback port: records each call and answers with `status`."""

    def __init__(self, port=None):
        self.port, self.calls, self.status, self.server = port or free_port(), [], 204, None
        self.location = None  # answered as Location: with a 3xx status

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def do_GET(self):  # where a followed redirect would land
                receiver.calls.append((dict(self.headers), b""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


def _verified(secret, headers, body) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), headers["X-Eventsite-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Eventsite-Signature"])


def test_publishing_an_event_sends_one_signed_call(receiver, ctx):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    hook = services.create_webhook(receiver.url, ["event.published", "event.cancelled"], user=staff, event=event)
    db.session.commit()
    event_services.change_status(event, Status.PUBLISHED, user=staff)
    db.session.commit()
    [(headers, body)] = receiver.calls
    assert headers["X-Eventsite-Event"] == "event.published"
    assert _verified(hook.secret, headers, body)
    assert not _verified("whsec_wrong", headers, body)
    payload = json.loads(body)
    assert payload["type"] == "event.published"
    assert payload["event"]["slug"] == event.slug and payload["event"]["status"] == "published"
    delivery = db.session.scalar(db.select(WebhookDelivery))
    assert delivery.delivered_at is not None and delivery.attempts == 1 and delivery.last_status == 204


def test_a_forum_webhook_hears_registrations_made_and_cancelled(receiver, ctx):
    organiser, event = open_event()
    staff = make_staff()
    services.create_webhook(receiver.url, ["registration.created", "registration.cancelled"], user=staff,
                            forum=event.forum)
    db.session.commit()
    registration = register(event, make_user("amina@example.org"))
    db.session.commit()
    registration_services.cancel(registration)
    db.session.commit()
    kinds = [json.loads(body)["type"] for _, body in receiver.calls]
    assert kinds == ["registration.created", "registration.cancelled"]
    assert json.loads(receiver.calls[0][1])["registration"]["email"] == "amina@example.org"


def test_a_change_asked_for_by_no_webhook_sends_nothing(receiver, ctx):
    staff = make_staff()
    forum = make_forum(staff=staff)
    event, other = make_event(forum, status=Status.APPROVED), make_event(forum, status=Status.APPROVED,
                                                                          room="Conference Room 11")
    services.create_webhook(receiver.url, ["event.cancelled"], user=staff, event=event)
    db.session.commit()
    event_services.change_status(event, Status.PUBLISHED, user=staff)  # not asked for
    event_services.change_status(other, Status.PUBLISHED, user=staff)  # another event
    db.session.commit()
    assert receiver.calls == []


def test_a_receiver_that_was_down_gets_the_call_on_a_retry(ctx, app):
    down = Receiver()  # nothing listens on its port yet
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    services.create_webhook(down.url, ["event.published"], user=staff, event=event)
    db.session.commit()
    event_services.change_status(event, Status.PUBLISHED, user=staff)
    db.session.commit()
    delivery = db.session.scalar(db.select(WebhookDelivery))
    assert (delivery.attempts, delivery.delivered_at, delivery.failed_at) == (1, None, None)
    assert delivery.last_error and delivery.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert services.deliver_due() == {"delivered": 0, "retry": 0, "failed": 0}  # not due yet
    down.start()
    try:
        delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert services.deliver_due() == {"delivered": 1, "retry": 0, "failed": 0}
        assert len(down.calls) == 1
        assert services.deliver_due() == {"delivered": 0, "retry": 0, "failed": 0}  # once only
    finally:
        down.stop()
    db.session.expire_all()
    delivery = db.session.get(WebhookDelivery, delivery.id)
    assert delivery.attempts == 2 and delivery.delivered_at is not None


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(receiver, ctx, app):
    receiver.status = 500
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    try:
        staff = make_staff()
        event = make_event(make_forum(staff=staff), status=Status.APPROVED)
        services.create_webhook(receiver.url, ["event.published"], user=staff, event=event)
        db.session.commit()
        event_services.change_status(event, Status.PUBLISHED, user=staff)
        db.session.commit()
        delivery = db.session.scalar(db.select(WebhookDelivery))
        delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert services.deliver_due() == {"delivered": 0, "retry": 0, "failed": 1}
        assert len(receiver.calls) == 2
        db.session.expire_all()
        assert db.session.get(WebhookDelivery, delivery.id).last_status == 500
    finally:
        app.config["WEBHOOK_MAX_ATTEMPTS"] = 8


def test_the_team_adds_a_webhook_sees_its_secret_once_and_the_delivery_log(receiver, client, ctx):
    organiser = make_user()
    staff = make_staff()
    event = make_event(make_forum(staff=staff), organiser=organiser, status=Status.APPROVED)
    add_member(event, organiser, Role.ORGANISER)
    db.session.commit()
    login(client, organiser.email)
    page = client.post(f"/events/{event.slug}/webhooks", data={"url": receiver.url,
                                                               "kinds": ["event.published"]})
    assert page.status_code == 200
    secret = page.data.decode().split('id="secret-value" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("whsec_")
    event_services.change_status(event, Status.PUBLISHED, user=staff)
    db.session.commit()
    later = client.get(f"/events/{event.slug}/webhooks").data.decode()
    assert secret not in later and "delivered" in later and receiver.url in later
    assert f'href="/events/{event.slug}/webhooks"' in client.get(f"/events/{event.slug}").data.decode()


def test_only_the_team_and_staff_manage_an_events_webhooks(client, ctx):
    event = make_event(make_forum(), status=Status.PUBLISHED)
    rapporteur = make_user()
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    login(client, rapporteur.email)
    assert client.get(f"/events/{event.slug}/webhooks").status_code == 403
    assert client.post(f"/events/{event.slug}/webhooks", data={"url": "https://example.org/h",
                                                               "kinds": ["event.changed"]}).status_code == 403
    assert client.get(f"/forums/{event.forum.slug}/webhooks").status_code == 403


def test_production_calls_only_public_https_addresses(receiver, ctx, app):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    inside = services.create_webhook("https://127.0.0.1:1/hook", ["event.published"], user=staff, event=event)
    db.session.commit()  # made while private addresses were allowed, or a name that resolves inside later
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    try:
        for url in (receiver.url, "https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook",
                    "https://169.254.169.254/latest", "https://10.0.0.1/hook", "https://127.1/hook"):
            with pytest.raises(services.DomainError) as refused:
                services.create_webhook(url, ["event.published"], user=staff, event=event)
            assert refused.value.field == "url"
        event_services.change_status(event, Status.PUBLISHED, user=staff)
        db.session.commit()
        delivery = db.session.scalar(db.select(WebhookDelivery).where(WebhookDelivery.webhook_id == inside.id))
        assert "private address" in delivery.last_error  # checked again when sending
        assert receiver.calls == []
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = True


def test_a_receivers_redirect_is_not_followed(receiver, ctx):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    services.create_webhook(receiver.url, ["event.published"], user=staff, event=event)
    db.session.commit()
    receiver.status, receiver.location = 302, f"http://127.0.0.1:{receiver.port}/somewhere-inside"
    event_services.change_status(event, Status.PUBLISHED, user=staff)
    db.session.commit()
    assert len(receiver.calls) == 1  # a followed 302 would GET wherever it points
    delivery = db.session.scalar(db.select(WebhookDelivery))
    assert delivery.last_status == 302 and delivery.delivered_at is None


def test_removing_a_webhook_asks_first(client, ctx):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.PUBLISHED)
    hook = services.create_webhook("https://example.org/hook", ["event.changed"], user=staff, event=event)
    db.session.commit()
    login(client, staff.email)
    url = f"/events/{event.slug}/webhooks/{hook.id}/remove"
    assert f'href="{url}"' in client.get(f"/events/{event.slug}/webhooks").data.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and f'<form method="post" action="{url}"' in confirm.data.decode()
    assert client.post(url).status_code == 302
    assert services.webhooks_of(event=event) == []


def test_a_name_that_changes_its_answer_after_the_check_is_not_followed_inside(receiver, ctx, app, monkeypatch):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    services.create_webhook(f"http://hooks.example.org:{receiver.port}/hook", ["event.published"], user=staff,
                            event=event)
    db.session.commit()
    real_lookup, answers = services.socket.getaddrinfo, iter(["192.0.2.1", "127.0.0.1", "127.0.0.1"])

    def rebinding_lookup(host, port=None, *args, **kwargs):  # public when checked, loopback when looked up again
        if host != "hooks.example.org":
            return real_lookup(host, port, *args, **kwargs)
        return [(2, 1, 6, "", (next(answers), port or 0))]
    monkeypatch.setattr(services.socket, "getaddrinfo", rebinding_lookup)
    monkeypatch.setattr(services.ipaddress.IPv4Address, "is_global", property(lambda ip: str(ip) == "192.0.2.1"))
    app.config.update(WEBHOOK_ALLOW_PRIVATE=False, WEBHOOK_TIMEOUT=0.5)
    try:
        event_services.change_status(event, Status.PUBLISHED, user=staff)
        db.session.commit()
    finally:
        app.config.update(WEBHOOK_ALLOW_PRIVATE=True)
    delivery = db.session.scalar(db.select(WebhookDelivery))
    assert receiver.calls == [] and delivery.delivered_at is None and delivery.last_status is None


def test_an_https_address_is_called_over_tls_at_the_checked_address(receiver, ctx):
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.APPROVED)
    services.create_webhook(f"https://localhost:{receiver.port}/hook", ["event.published"], user=staff, event=event)
    db.session.commit()
    event_services.change_status(event, Status.PUBLISHED, user=staff)
    db.session.commit()
    delivery = db.session.scalar(db.select(WebhookDelivery))
    # the receiver speaks plain HTTP: a TLS handshake is attempted and fails, nothing is posted in clear
    assert delivery.delivered_at is None and receiver.calls == [] and "SSL" in delivery.last_error
