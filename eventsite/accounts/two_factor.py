"""Two-factor sign-in: time-based codes (RFC 6238, pyotp) and single-use recovery codes."""
import hashlib
import hmac
import secrets
import time

import pyotp
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import delete, select

from .. import authz
from ..core.time import utcnow
from ..errors import NotAllowed
from ..extensions import db
from .models import RecoveryCode, SitePolicy, User
from .services import AccountError, check_password

ISSUER = "Eventsite"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def setup_qr(user: User, secret: str) -> Markup:
    """The QR code an authenticator app scans, as inline SVG (no script, no style attribute)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    import segno  # on first use: only the set-up page draws a QR code
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, omitsize=True, light="#fff",
                                                title=_("QR code for your authenticator app"))
    return Markup(svg)


def _step_of(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step the code belongs to (the current one, or one either side for a slow clock),
    provided it is later than the last one used: a code works once."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash_code(code: str) -> str:
    # Recovery codes are 50 random bits, so a plain digest (looked up directly) is enough;
    # a slow password hash would buy nothing here.
    return hashlib.sha256(code.strip().lower().replace("-", "").replace(" ", "").encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(raw)))
    db.session.flush()
    return codes


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor sign-in on once the app shows the right code; returns the recovery codes,
    which are shown once and kept only as digests."""
    if user.totp_secret:
        raise AccountError(_("Two-factor sign-in is already on."))
    step = _step_of(secret, code, after=None)
    if step is None:
        raise AccountError(_("This code does not match. Check the time on your phone and type the newest code."),
                           field="code")
    user.totp_secret = secret
    user.totp_last_step = step
    return _new_recovery_codes(user)


def check_code(user: User, code: str) -> None:
    """Accept a code from the app or an unused recovery code; refuse anything else."""
    step = _step_of(user.totp_secret, code, after=user.totp_last_step) if user.totp_secret else None
    if step is not None:
        user.totp_last_step = step
        db.session.flush()
        return
    recovery = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_code(code[:40]),
        RecoveryCode.used_at.is_(None)))
    if recovery is None:
        raise AccountError(_("This code is not valid, or it has been used already."), field="code")
    recovery.used_at = utcnow()
    db.session.flush()


def disable(user: User, password: str, code: str) -> None:
    """Turn two-factor sign-in off; the password and a current code prove it is the owner."""
    check_password(user, password)
    check_code(user, code)
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def renew_recovery_codes(user: User, code: str) -> list[str]:
    check_code(user, code)
    return _new_recovery_codes(user)


def unused_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


# ---------------------------------------------------------------- the site's rule

def policy() -> SitePolicy:
    """The site's sign-in rules (one row, made on first use)."""
    row = db.session.get(SitePolicy, 1)
    if row is None:
        row = SitePolicy(id=1)
        db.session.add(row)
        db.session.flush()
    return row


def set_required(required: bool, *, user: User) -> SitePolicy:
    """Staff decide whether staff and forum organisers must sign in with two factors."""
    if not authz.can(user, "site.security"):
        raise NotAllowed(_("Only staff change the site's sign-in rules."))
    row = policy()
    row.two_factor_for_organisers = required
    row.updated_by_id = user.id
    row.updated_at = utcnow()
    db.session.flush()
    return row


def must_set_up(user: User) -> bool:
    """True for an account the site requires two factors of, which has not set them up yet."""
    if user.totp_secret or not authz.two_factor_applies(user):
        return False
    row = db.session.get(SitePolicy, 1)
    return bool(row and row.two_factor_for_organisers)
