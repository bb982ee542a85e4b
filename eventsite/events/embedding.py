"""Which sites may frame a forum's programme: origins staff list per forum, which the embedded
page's Content-Security-Policy frame-ancestors names (nobody else may frame it)."""
from urllib.parse import urlsplit

from flask_babel import gettext as _

from .. import authz
from ..errors import DomainError, NotAllowed
from ..extensions import db

MAX_ORIGINS = 20


def parse_origins(text: str) -> list[str]:
    """The origins in text (one per line, or separated by spaces or commas), normalised; a DomainError
    names the first that is not scheme://host[:port]."""
    origins = []
    for raw in text.replace(",", " ").split():
        parts = urlsplit(raw.strip().rstrip("/"))
        plain = parts.scheme in ("https", "http") and parts.hostname and not (parts.path or parts.query
                                                                                or parts.fragment or parts.username)
        if not plain or any(c in raw for c in ";'\"*"):
            raise DomainError(_("“%(origin)s” is not a site's address such as https://sdgs.un.org.", origin=raw),
                              field="origins")
        origin = f"{parts.scheme}://{parts.hostname.lower()}" + (f":{parts.port}" if parts.port else "")
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise DomainError(_("At most %(count)d sites.", count=MAX_ORIGINS), field="origins")
    return origins


def set_embed_origins(forum, text: str, *, user) -> list[str]:
    """Staff set the sites that may embed the forum's programme."""
    if not authz.can(user, "forum.manage", forum):
        raise NotAllowed(_("Only staff manage forums."))
    origins = parse_origins(text)
    forum.embed_origins = "\n".join(origins)
    db.session.flush()
    return origins


def frame_ancestors(stored: str) -> str:
    """The CSP frame-ancestors value for a forum's stored origins: 'self' and those sites."""
    return " ".join(["'self'", *stored.split()])
