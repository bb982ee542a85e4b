"""Read-only questions about accounts that other domains ask."""
from sqlalchemy import select

from ..extensions import db
from .models import User


def account_locales(addresses) -> dict[str, str]:
    """The language each of these addresses' accounts keeps, for those that have one (one query)."""
    wanted = sorted({address.lower() for address in addresses if address})
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.email, User.locale).where(User.email.in_(wanted),
                                                                         User.locale.is_not(None))).all())
