"""Accounts: sign-up, sign-in, proven addresses and password reset, independent of HTTP."""
import functools
import hashlib
import secrets

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.languages import supported
from ..core.time import utcnow
from ..errors import DomainError
from ..extensions import db
from . import mail
from .models import Membership, Role, User

RESET_SALT = "eventsite.password-reset"
VERIFY_SALT = "eventsite.email-verification"


class AccountError(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, name: str, password: str, hash_method: str, is_staff: bool = False,
                verified: bool = False, locale: str | None = None) -> User:
    """Create an account; a taken e-mail address is refused. Only trusted doors (the CLI, demo
    data) create an account as verified; sign-up proves the address by e-mail."""
    email = normalise_email(email)
    if find_user(email):
        raise AccountError(_("An account with this e-mail address already exists. Sign in, or reset your password."),
                           field="email")
    user = User(email=email, name=name.strip(), is_staff=is_staff, locale=supported(locale),
                password_hash=generate_password_hash(password, method=hash_method),
                email_verified_at=utcnow() if verified else None)
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(*, email: str, name: str, password: str, hash_method: str, secret_key: str,
            verify_max_age: int, locale: str | None = None) -> User | None:
    """Open an account and mail its verification link; returns None when the address is taken.

    A taken address gets the same answer and about the same work (one password hash), so the
    form never tells whether someone has an account; its owner is told by e-mail instead. The
    account keeps locale, the language of the page it was opened from.
    """
    existing = find_user(email)
    if existing is not None:
        generate_password_hash(password, method=hash_method)
        mail.send_signup_attempt(existing)
        return None
    user = create_user(email=email, name=name, password=password, hash_method=hash_method, locale=locale)
    send_verification(user, secret_key=secret_key, max_age=verify_max_age)
    return user


@functools.cache
def _dummy_hash(method: str) -> str:
    # Made once per method, so an unknown address costs one real hash check, like a known one.
    return generate_password_hash("not a password anyone has", method=method)


def authenticate(email: str, password: str, *, hash_method: str) -> User:
    """Return the user whose credentials these are, or raise with one message for every failure."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(hash_method), password)
    elif check_password_hash(user.password_hash, password):
        return user
    raise AccountError(_("Wrong e-mail address or password."), field="password")


def check_password(user: User, password: str, *, field: str = "password") -> None:
    """Confirm that the signed-in user typed their own password before a sensitive change."""
    if not check_password_hash(user.password_hash, password):
        raise AccountError(_("This is not your current password."), field=field)


def set_password(user: User, password: str, *, hash_method: str) -> None:
    """Change the password; every session and remember-me cookie issued before ends."""
    user.password_hash = generate_password_hash(password, method=hash_method)
    end_other_sessions(user)


def change_password(user: User, current: str, new: str, *, hash_method: str) -> None:
    """Change a signed-in user's password, which they confirm by typing the current one."""
    check_password(user, current, field="current")
    set_password(user, new, hash_method=hash_method)
    db.session.flush()


def set_language(user: User, locale: str) -> None:
    """Keep the language the account's pages and e-mails are in."""
    if not supported(locale):
        raise AccountError(_("Choose one of the languages offered."), field="locale")
    user.locale = supported(locale)
    db.session.flush()


def set_calendar_address(user: User, *, on: bool) -> str | None:
    """Give the user's personal feed a new secret address (the old one stops working), or none."""
    user.calendar_token = secrets.token_urlsafe(32) if on else None
    db.session.flush()
    return user.calendar_token


def end_other_sessions(user: User) -> None:
    """Sessions carry the user's session version; bumping it signs every device out."""
    user.session_version = (user.session_version or 0) + 1


def session_id(user: User) -> str:
    return f"{user.id}:{user.session_version or 0}"


def user_for_session(session_value: str) -> User | None:
    """The user a session or remember-me cookie names, unless it predates a password change."""
    user_id, _sep, version = str(session_value).partition(":")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_version or 0) != int(version):
        return None
    return user


# ---------------------------------------------------------------- proving the address

def make_verification_token(user: User, *, secret_key: str) -> str:
    # The address is inside the token, so a link stops working if the address ever changes.
    return URLSafeTimedSerializer(secret_key, salt=VERIFY_SALT).dumps({"user": user.id, "email": user.email})


def send_verification(user: User, *, secret_key: str, max_age: int) -> None:
    """Mail the link that proves the account's address."""
    if user.is_verified:
        return
    mail.send_verification_link(user, make_verification_token(user, secret_key=secret_key), max_age=max_age)


def verify_email(token: str, *, secret_key: str, max_age: int) -> User:
    """Follow the e-mailed link: the account's address counts as proven from now on."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=VERIFY_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(_("This confirmation link has expired. Sign in and ask for a new one.")) from None
    except BadSignature:
        raise AccountError(_("This confirmation link is not valid. Sign in and ask for a new one.")) from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise AccountError(_("This confirmation link is not valid. Sign in and ask for a new one."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
    return user


# ---------------------------------------------------------------- password reset

def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # The token carries a digest of the current hash: once the password changes, every
    # earlier link stops working, which makes each link single-use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, *, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"user": user.id, "fp": _fingerprint(user)})


def request_password_reset(email: str, *, secret_key: str, max_age: int) -> None:
    """Mail a reset link when an account uses this address; say nothing either way."""
    user = find_user(email)
    if user is not None:
        mail.send_reset_link(user, make_reset_token(user, secret_key=secret_key), max_age=max_age)


def user_for_reset_token(token: str, *, secret_key: str, max_age: int) -> User:
    """The user a reset link belongs to; an expired, tampered or used link is refused."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(_("This reset link has expired. Ask for a new one below.")) from None
    except BadSignature:
        raise AccountError(_("This reset link is not valid. Ask for a new one below.")) from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("fp") != _fingerprint(user):
        raise AccountError(_("This reset link has already been used. Ask for a new one below."))
    return user


def reset_password(user: User, password: str, *, hash_method: str) -> None:
    """Set the password a reset link asked for; following the link also proves the address."""
    set_password(user, password, hash_method=hash_method)
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.flush()


# ---------------------------------------------------------------- roles

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
