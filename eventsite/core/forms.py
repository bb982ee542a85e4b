"""Form pieces and fields several domains' forms share, and the base every form is built on."""
import re
from datetime import date, datetime

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

# What no column can store or no clock can convert. PostgreSQL refuses NUL in text, and other
# control characters only garble names in e-mail headers and exports; tab and line breaks are
# text in a box of several lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\r\n]")
# A day in these years converts to UTC and back in every timezone, with room for a forum's days.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)
# Ids and counts are 32-bit integer columns: a larger number is no row and no count.
LARGEST_NUMBER = 2**31 - 1


def _multiline(field) -> bool:
    return isinstance(field, (TextAreaField, HiddenField)) or not isinstance(field, StringField)


def _numbers(data):
    if isinstance(data, int) and not isinstance(data, bool):
        return [data]
    if isinstance(data, (list, tuple)):
        return [n for n in data if isinstance(n, int) and not isinstance(n, bool)]
    return []


def storable(form, field):
    """Refuse, beside its field, input the database or the time zones cannot take, before any other
    check or service sees it: the same answer on SQLite and PostgreSQL."""
    if isinstance(field, (FormField, FieldList)):
        return  # their own fields are checked
    _check_storable(field)


def _check_storable(field):
    for value in field.raw_data or ():
        if not isinstance(value, str):
            continue  # an uploaded file
        if CONTROL_CHARACTERS.search(value):
            raise StopValidation(_l("Remove the control characters (such as NUL) from this field; they are "
                                    "often left by copying from another program."))
        if not _multiline(field) and LINE_BREAKS.search(value):
            raise StopValidation(_l("This field takes one line; remove the line breaks."))
    data = field.data
    if isinstance(data, (date, datetime)):
        day = data.date() if isinstance(data, datetime) else data
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise StopValidation(_l("Enter a date between %(first)s and %(last)s.", first=EARLIEST_DAY.isoformat(),
                                    last=LATEST_DAY.isoformat()))
    if any(abs(n) > LARGEST_NUMBER for n in _numbers(data)):
        raise StopValidation(_l("This number is too large."))


class Form(FlaskForm):
    """The base of every form: each field first refuses what cannot be stored (`storable`)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            field.validators = [storable, *field.validators]
            return field

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not valid and has_request_context():
            g.refused_form = True  # the page that shows it again answers 422, whichever view (core.web)
        return valid


RESOLUTION_CHOICES = [("mine", _l("Keep my version")), ("theirs", _l("Take their version")),
                      ("edit", _l("Use the text in the box as I edited it"))]


def strip_whitespace(value):
    """A field filter: leading and trailing spaces (pasted addresses, names) are not part of the value."""
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def resolution_fields(keys) -> dict:
    """For each section: the person's choice when both changed it, their own text as it was, and the
    text the box was offered with (to notice an edit made while choosing another option)."""
    fields = {"conflicts": HiddenField(), "merge_base": HiddenField()}
    for key in keys:
        fields[f"resolve_{key}"] = RadioField(_l("Resolve"), choices=RESOLUTION_CHOICES, validate_choice=False)
        fields[f"mine_{key}"] = HiddenField()
        fields[f"offered_{key}"] = HiddenField()
    return fields


HEADER_SOURCES = [("file", _l("As in the file")), ("record", _l("As in the event's record"))]


def header_choice_fields(names) -> dict:
    """For each header field an imported file gives differently from the event's record: the
    person's choice, and the file's value carried through the form until they make it."""
    fields = {"header_pending": HiddenField()}
    for name in names:
        fields[f"source_{name}"] = RadioField(_l("Which is right?"), choices=HEADER_SOURCES, validate_choice=False)
        fields[f"file_{name}"] = HiddenField()
    return fields
