"""Accounts: sign-up, sign-in and password reset, independent of HTTP."""
import hashlib

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.time import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import Membership, Role, User

RESET_SALT = "eventsite.password-reset"


class AccountError(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, name: str, password: str, hash_method: str, is_staff: bool = False,
                verified: bool = False) -> User:
    """Create an account; a taken e-mail address is refused. Only trusted doors (the CLI, demo
    data) create an account as verified; sign-up proves the address by e-mail."""
    email = normalise_email(email)
    if find_user(email):
        raise AccountError(_("An account with this e-mail address already exists. Sign in, or reset your password."),
                           field="email")
    user = User(email=email, name=name.strip(), is_staff=is_staff,
                password_hash=generate_password_hash(password, method=hash_method),
                email_verified_at=utcnow() if verified else None)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user whose credentials these are, or raise with one message for every failure."""
    user = find_user(email)
    if user is None or not check_password_hash(user.password_hash, password):
        raise AccountError(_("Wrong e-mail address or password."), field="password")
    return user


def set_password(user: User, password: str, *, hash_method: str) -> None:
    user.password_hash = generate_password_hash(password, method=hash_method)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # The token carries a digest of the current hash: once the password changes, every
    # earlier link stops working, which makes each link single-use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, *, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str, *, secret_key: str, max_age: int) -> User:
    """The user a reset link belongs to; an expired, tampered or used link is refused."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(_("This reset link has expired. Ask for a new one below.")) from None
    except BadSignature:
        raise AccountError(_("This reset link is not valid. Ask for a new one below.")) from None
    user = db.session.get(User, data.get("user"))
    if user is None or data.get("fp") != _fingerprint(user):
        raise AccountError(_("This reset link has already been used. Ask for a new one below."))
    return user


def grant(user: User, role: Role, *, forum=None, event=None) -> Membership:
    """Give user a role in a forum or an event (idempotent)."""
    for membership in user.memberships:
        if membership.role == role and membership.forum_id == (forum.id if forum else None) \
                and membership.event_id == (event.id if event else None):
            return membership
    membership = Membership(user=user, role=role, forum_id=forum.id if forum else None,
                            event_id=event.id if event else None)
    db.session.add(membership)
    db.session.flush()
    return membership


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id)))
