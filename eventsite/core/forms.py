"""Form pieces and fields several domains' forms share."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

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
