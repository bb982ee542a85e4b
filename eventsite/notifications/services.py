"""Saving the words organisers and staff write for e-mails, and a person's choice of optional mail."""
from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import authz
from ..core import mail_preferences
from ..core.forms import CONTROL_CHARACTERS
from ..errors import DomainError, NotAllowed
from ..extensions import db
from .models import FORUM_TEXT_KINDS, PARAGRAPH_KINDS, EventMailParagraph, ForumMailText


def _clean(text: str | None) -> str:
    """Typed text as it will be sent: line endings made one, the spaces around it dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if CONTROL_CHARACTERS.search(text):
        raise DomainError(_("Remove the control characters (such as NUL) from this text."))
    return text


def save_event_paragraphs(event, texts: dict[tuple[str, str], str], *, user) -> int:
    """Keep the organisers' paragraphs: {(group, locale): text}, locale '' for every other language.
    An empty box removes that version. Returns how many versions the event now has."""
    if not authz.can(user, "event.mail_texts", event):
        raise NotAllowed(_("Only the event's organisers may change its e-mails."))
    existing = {(p.kind, p.locale): p for p in db.session.scalars(
        select(EventMailParagraph).where(EventMailParagraph.event_id == event.id))}
    for (group, locale), text in texts.items():
        if group not in PARAGRAPH_KINDS:
            continue
        text, row = _clean(text), existing.get((group, locale))
        if not text and row is not None:
            db.session.delete(row)
            del existing[(group, locale)]
        elif text and row is None:
            existing[(group, locale)] = row = EventMailParagraph(event_id=event.id, kind=group, locale=locale,
                                                                 text=text)
            db.session.add(row)
        elif text:
            row.text = text
    for group in PARAGRAPH_KINDS:
        if any(g == group and locale for g, locale in existing) and (group, "") not in existing:
            # a registrant in another language would get nothing: one version speaks to everyone else
            raise DomainError(_("Write the paragraph for every language too; registrants in the other languages "
                                "get that one."), field=f"{group}__default")
    db.session.flush()
    return len(existing)


def save_forum_texts(forum, locale: str, texts: dict[str, str], *, user) -> None:
    """Keep the forum's own opening texts in one language; an empty box goes back to the built-in text."""
    if not authz.can(user, "forum.mail_texts", forum):
        raise NotAllowed(_("Only staff may change the forum's e-mail texts."))
    existing = {t.kind: t for t in db.session.scalars(
        select(ForumMailText).where(ForumMailText.forum_id == forum.id, ForumMailText.locale == locale))}
    for kind, text in texts.items():
        if kind not in FORUM_TEXT_KINDS:
            continue
        text, row = _clean(text), existing.get(kind)
        if not text and row is not None:
            db.session.delete(row)
        elif text and row is None:
            db.session.add(ForumMailText(forum_id=forum.id, kind=kind, locale=locale, text=text,
                                         updated_by_id=user.id))
        elif text and row.text != text:
            row.text, row.updated_by_id = text, user.id
    db.session.flush()


def reset_forum_text(forum, locale: str, kind: str, *, user) -> bool:
    """Back to the built-in, translated text for this message in this language; False if it already was."""
    if not authz.can(user, "forum.mail_texts", forum):
        raise NotAllowed(_("Only staff may change the forum's e-mail texts."))
    removed = db.session.execute(delete(ForumMailText).where(
        ForumMailText.forum_id == forum.id, ForumMailText.locale == locale, ForumMailText.kind == kind)).rowcount
    db.session.flush()
    return bool(removed)


def save_preferences(email: str, unwanted: set[str], *, user=None) -> None:
    """The optional e-mails this address does not want; the signed link or the signed-in account proves it."""
    if user is not None and getattr(user, "is_authenticated", False) and user.email.lower() != email.lower():
        raise NotAllowed(_("These are another person's choices."))
    mail_preferences.set_opt_outs(email, unwanted, user=user)


def unsubscribe(email: str, category: str, *, user=None) -> None:
    """One optional category off, from the link in an e-mail (or the mail client's one-click button)."""
    mail_preferences.set_opt_outs(email, mail_preferences.opt_outs(email) | {category}, user=user)
