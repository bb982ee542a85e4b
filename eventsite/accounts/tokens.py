"""Personal API tokens: made and revoked by their owner, shown once, kept only as a SHA-256 digest.

A token is 32 random bytes, so a digest without salt is as safe as a password hash would be and can
be looked up by index in one query. Its first characters are kept to tell a person's tokens apart.
"""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.time import utcnow
from ..errors import DomainError, NotAllowed
from ..extensions import db
from .models import ApiToken, TokenScope

TOKEN_PREFIX = "es_"
MAX_TOKENS = 20
# Last use is written at most this often per token: an API client polling every second costs no write.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def create_token(*, user, name: str, scope: TokenScope) -> tuple[ApiToken, str]:
    """A new token for user; the plain token is returned this once and never stored."""
    name = name.strip()[:100]
    if not name:
        raise DomainError(_("Give the token a name, such as the app that will use it."), field="name")
    active = [t for t in tokens_of(user) if t.revoked_at is None]
    if len(active) >= MAX_TOKENS:
        raise DomainError(_("You have %(count)d tokens; revoke one you no longer use first.", count=len(active)))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, digest=_digest(plain), prefix=plain[:10], scope=scope)
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(token: ApiToken, *, user) -> None:
    if token.user_id != user.id:
        raise NotAllowed(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def token_for(plain: str) -> ApiToken | None:
    """The live token with this value, its last use brought up to date; None if unknown or revoked."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(plain)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        token.last_used_at = now  # the caller commits, even when the request itself changes nothing
        db.session.flush()
    return token
