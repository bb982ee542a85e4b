"""The rules of series. Services flush; the caller commits."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import authz
from ..errors import Conflict, NotAllowed
from ..events.services import unique_slug
from ..extensions import db
from .models import Series


def save_series(title: str, description: str, *, user, series: Series | None = None) -> Series:
    """Create a series, or rename and describe one; its address stays the same once made."""
    if not authz.can(user, "series.manage"):
        raise NotAllowed(_("Only staff can manage series."))
    title = " ".join(title.split())
    taken = db.session.scalar(select(Series.id).where(func.lower(Series.title) == title.lower()))
    if taken is not None and (series is None or taken != series.id):
        raise Conflict(_("A series called “%(title)s” already exists.", title=title), field="title")
    if series is None:
        series = Series(slug=unique_slug(Series, title))
        db.session.add(series)
    series.title, series.description = title, description.strip()
    db.session.flush()
    return series
