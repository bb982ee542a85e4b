"""The forms of shaped e-mails: the organisers' paragraph, the forum's texts, one's notification choices."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length

from ..core.forms import Form
from ..core.mail_preferences import CATEGORIES

MAX_TEXT = 3000
DEFAULT = "default"  # the field suffix of the version for every language


def paragraph_field_name(group: str, locale: str) -> str:
    return f"{group}__{locale or DEFAULT}"


def paragraph_form(groups, locales, languages: dict, *, formdata=None, data=None):
    """One box per e-mail and language (and one for every other language), plus the preview's language."""
    class ParagraphForm(Form):
        preview_locale = SelectField(_l("Preview in"), choices=list(languages.items()))

    for group in groups:
        setattr(ParagraphForm, paragraph_field_name(group, ""), TextAreaField(
            _l("For every language"), validators=[Length(max=MAX_TEXT)]))
        for locale in locales:
            setattr(ParagraphForm, paragraph_field_name(group, locale), TextAreaField(
                languages[locale], validators=[Length(max=MAX_TEXT)]))
    return ParagraphForm(formdata=formdata, data=data)


def forum_texts_form(kinds, labels: dict, *, formdata=None, data=None):
    """One box per message kind, in the language being edited, plus which one to preview."""
    class ForumTextsForm(Form):
        preview_kind = SelectField(_l("Preview"), choices=[(kind, labels[kind]) for kind in kinds])

    for kind in kinds:
        setattr(ForumTextsForm, kind, TextAreaField(labels[kind], validators=[Length(max=MAX_TEXT)]))
    return ForumTextsForm(formdata=formdata, data=data)


class PreferencesForm(Form):
    """Which optional e-mails to receive: ticked means wanted."""
    reminders = BooleanField(CATEGORIES["reminders"])
    changes = BooleanField(CATEGORIES["changes"])
    invitations = BooleanField(CATEGORIES["invitations"])

    def unwanted(self) -> set[str]:
        return {name for name in CATEGORIES if not self[name].data}


class UnsubscribeForm(Form):
    """The button under an e-mail's "unsubscribe" link: one category off, nothing to type."""
