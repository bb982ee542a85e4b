"""Registering webhooks, queuing a notification with the change that causes it, and delivering it.

A change and its notifications are written in one transaction (an outbox, as for mail); the job
runner delivers them: each POST carries the JSON body, its HMAC-SHA256 signature over
"<timestamp>.<body>" with the webhook's secret, and is retried with exponential backoff until
the receiver answers 2xx or WEBHOOK_MAX_ATTEMPTS run out. Every delivery stays in the log.
"""
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event as sa_event, or_, select, update
from sqlalchemy.orm import Session

from .. import authz
from ..core.time import as_utc, to_local, utcnow
from ..errors import DomainError, NotAllowed
from ..extensions import db
from .models import KINDS, Webhook, WebhookDelivery

WAKE_FLAG = "webhooks_queued"
MAX_PER_SCOPE = 10


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 500:
        raise DomainError(_("Give a full web address starting with https://."), field="url")
    if parts.scheme == "http" and not current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        raise DomainError(_("Webhooks are sent over https only."), field="url")
    if _refused_address(parts.hostname):
        raise DomainError(_("%(host)s is not a public address on the internet; webhooks are sent only to "
                            "public servers.", host=parts.hostname), field="url")
    return url


def _may_manage(user, *, event=None, forum=None) -> bool:
    return authz.can(user, "event.edit", event) if event is not None else authz.can(user, "forum.manage", forum)


def webhooks_of(*, event=None, forum=None) -> list[Webhook]:
    column, target = (Webhook.event_id, event) if event is not None else (Webhook.forum_id, forum)
    return list(db.session.scalars(select(Webhook).where(column == target.id).order_by(Webhook.id)))


def create_webhook(url: str, kinds: list[str], *, user, event=None, forum=None) -> Webhook:
    """A webhook for one event (its editors) or one forum (staff); its secret is shown once."""
    if not _may_manage(user, event=event, forum=forum):
        raise NotAllowed(_("Only the event's organisers and staff manage its webhooks."))
    kinds = [kind for kind in KINDS if kind in kinds]
    if not kinds:
        raise DomainError(_("Choose at least one change to be told of."), field="kinds")
    if len(webhooks_of(event=event, forum=forum)) >= MAX_PER_SCOPE:
        raise DomainError(_("There are already %(count)d webhooks here; remove one first.", count=MAX_PER_SCOPE))
    webhook = Webhook(url=_check_url(url), kinds=kinds, secret="whsec_" + secrets.token_urlsafe(32),
                      event_id=event.id if event is not None else None,
                      forum_id=forum.id if forum is not None else None, created_by_id=user.id)
    db.session.add(webhook)
    db.session.flush()
    return webhook


def delete_webhook(webhook: Webhook, *, user) -> None:
    from ..events.models import Event, Forum
    event = db.session.get(Event, webhook.event_id) if webhook.event_id else None
    forum = db.session.get(Forum, webhook.forum_id) if webhook.forum_id else None
    if not _may_manage(user, event=event, forum=forum):
        raise NotAllowed(_("Only the event's organisers and staff manage its webhooks."))
    db.session.delete(webhook)
    db.session.flush()


# ---------------------------------------------------------------- queuing, inside the change's transaction

def _event_data(event) -> dict:
    return {"slug": event.slug, "title": event.title, "status": event.status.value,
            "forum": event.forum.slug if event.forum else None,
            "starts_at": to_local(event.starts_at, event.timezone).isoformat(),
            "ends_at": to_local(event.ends_at, event.timezone).isoformat(), "timezone": event.timezone}


def _registration_data(registration) -> dict:
    return {"id": registration.id, "name": registration.name, "email": registration.email,
            "status": registration.status.value}


def any_webhook_for(event_id, forum_id):
    """Whether any webhook watches the event or its forum, as a column to load with the event."""
    return select(Webhook.id).where(or_(Webhook.event_id == event_id, Webhook.forum_id == forum_id)).exists()


def notify(kind: str, event, *, registration=None, any_webhook: bool | None = None) -> int:
    """Queue a notification of kind about event to every webhook that asked for it; returns how many.
    any_webhook=False, read with the event (any_webhook_for), spares the look-up when none watches it."""
    if any_webhook is False:
        return 0
    hooks = [hook for hook in db.session.scalars(select(Webhook).where(or_(
        Webhook.event_id == event.id, Webhook.forum_id == event.forum_id if event.forum_id else False)))
        if kind in hook.kinds]
    if not hooks:
        return 0  # the usual case on a registration: no payload built, nothing woken
    payload = {"type": kind, "created_at": utcnow().isoformat(), "event": _event_data(event)}
    if registration is not None:
        payload["registration"] = _registration_data(registration)
    for hook in hooks:
        db.session.add(WebhookDelivery(webhook_id=hook.id, kind=kind, payload=payload))
    db.session.info[WAKE_FLAG] = True
    return len(hooks)


def forget_registration(registration_id: int) -> int:
    """Erasure reaches the delivery log: notices about the registration keep its id and status, not
    the person's name and address (sent or still waiting)."""
    forgotten = 0
    for delivery in db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.kind.like("registration.%"))):
        person = (delivery.payload or {}).get("registration") or {}
        if person.get("id") == registration_id and (person.get("name") or person.get("email")):
            delivery.payload = {**delivery.payload, "registration": {**person, "name": "", "email": None}}
            forgotten += 1
    return forgotten


def forget_old_deliveries(before) -> int:
    """Retention: the log of deliveries made (or given up) before this moment goes."""
    old = db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.created_at < before,
        or_(WebhookDelivery.delivered_at.is_not(None), WebhookDelivery.failed_at.is_not(None)))).all()
    for delivery in old:
        db.session.delete(delivery)
    return len(old)


# ---------------------------------------------------------------- delivery, in a job worker

def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What the X-Eventsite-Signature header carries; receivers compute the same and compare."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    first, ceiling = current_app.config["WEBHOOK_RETRY_SECONDS"], current_app.config["WEBHOOK_RETRY_MAX_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), ceiling))


def _lookup(host: str) -> tuple[list[str], str | None]:
    """The addresses host names now, and why the site will not call it (an address inside its own
    network), or None."""
    try:
        addresses = sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except OSError as error:
        return [], f"cannot resolve {host}: {error}"
    if not current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global:
                return addresses, f"{host} is a private address ({ip})"
    return addresses, None


def _refused_address(host: str) -> str | None:
    return None if current_app.config["WEBHOOK_ALLOW_PRIVATE"] else _lookup(host)[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver's redirect is not followed: it could lead to an address inside the site's network
    that the check before sending never saw. The 3xx is logged as the answer."""

    def redirect_request(self, *args, **kwargs):
        return None


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to the address that was checked, not to a second lookup of the name (whose
    answer could have changed to one inside the network by then)."""

    def __init__(self, *args, address: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP, http.client.HTTPSConnection):
    def connect(self):  # TLS still verifies the certificate against the name in the address
        super().connect()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


class _ToAddress(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    def __init__(self, address: str):
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.address = address

    def http_open(self, req):
        return self.do_open(functools.partial(_PinnedHTTP, address=self.address), req)

    def https_open(self, req):
        return self.do_open(functools.partial(_PinnedHTTPS, address=self.address), req, context=self._context)


def _post(hook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps({**delivery.payload, "delivery": delivery.id}, sort_keys=True).encode()
    timestamp = str(int(utcnow().timestamp()))
    addresses, refused = _lookup(urlsplit(hook.url).hostname or "")
    if refused:
        return None, refused
    request = urllib.request.Request(hook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "Eventsite-Webhooks/1",
        "X-Eventsite-Event": delivery.kind, "X-Eventsite-Delivery": str(delivery.id),
        "X-Eventsite-Timestamp": timestamp, "X-Eventsite-Signature": signature(hook.secret, timestamp, body)})
    try:
        opener = urllib.request.build_opener(_NoRedirects, _ToAddress(addresses[0]))
        with opener.open(request, timeout=current_app.config["WEBHOOK_TIMEOUT"]) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def _claim(limit: int) -> list[int]:
    """Due deliveries this run takes, each by a conditional UPDATE so two workers never send one twice."""
    now = utcnow()
    due = list(db.session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.delivered_at.is_(None), WebhookDelivery.failed_at.is_(None),
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
        .order_by(WebhookDelivery.id).limit(limit)))
    lease = now + timedelta(seconds=current_app.config["WEBHOOK_TIMEOUT"] * 3 + 30)
    claimed = []
    for delivery_id in due:
        taken = db.session.execute(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id,
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
            .values(claimed_until=lease)).rowcount
        if taken:
            claimed.append(delivery_id)
    db.session.commit()
    return claimed


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Send every due delivery once; returns counts of delivered, retried and failed."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for delivery_id in _claim(limit):
        delivery = db.session.get(WebhookDelivery, delivery_id)
        status, error = _post(delivery.webhook, delivery)
        now = utcnow()
        delivery.attempts += 1
        delivery.last_status, delivery.last_error, delivery.claimed_until = status, error, None
        if status is not None and 200 <= status < 300:
            delivery.delivered_at = now
            counts["delivered"] += 1
        elif delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
            delivery.failed_at = now
            counts["failed"] += 1
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            counts["retry"] += 1
        db.session.commit()
    return counts


def deliveries_of(webhook: Webhook, limit: int = 50) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def state(delivery: WebhookDelivery) -> str:
    if delivery.delivered_at:
        return "delivered"
    return "failed" if delivery.failed_at else "waiting"


def next_attempt(delivery: WebhookDelivery):
    return None if delivery.delivered_at or delivery.failed_at else as_utc(delivery.next_attempt_at)


@sa_event.listens_for(Session, "after_commit")
def _deliver_at_once_in_tests(session):
    """With jobs run in the caller (tests), deliver committed notifications at once; job workers
    otherwise pick them up within a minute (the deliver-webhooks periodic job), so a web request
    never loads or writes the job queue."""
    if session.in_nested_transaction() or not session.info.pop(WAKE_FLAG, False):
        return
    if current_app.config.get("JOBS_URL") == "immediate":
        from ..jobs import enqueue
        try:
            enqueue("deliver-webhooks")
        except Exception:  # the deliveries are safe in their table; the next run sends them
            current_app.logger.exception("Could not deliver webhooks at once; the next run will")


@sa_event.listens_for(Session, "after_rollback")
def _forget_wake(session):
    if not session.in_nested_transaction():
        session.info.pop(WAKE_FLAG, None)
