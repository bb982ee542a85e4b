"""Small helpers the views share."""
import enum
import re
from urllib.parse import urlsplit

from flask import Response, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter

from .forms import CONTROL_CHARACTERS, LARGEST_NUMBER

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
_UNSAFE_IN_LOCATION = re.compile(r"[\x00-\x1f\x7f\\]")


def safe_next(default_endpoint: str = "events.home", *, target: str | None = None, **values):
    """Redirect to ?next= (or target) when it stays on this site, else to the default page."""
    target = target if target is not None else request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    # A line break would split the Location header; a backslash is a slash to some browsers.
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc \
            and not _UNSAFE_IN_LOCATION.search(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


class IdConverter(IntegerConverter):
    """`<int:…>` in every URL rule: a number beyond any id answers 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_NUMBER)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """The default `<slug>`, `<token>`: control characters (NUL) match no page."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def whole_number(value: str) -> int:
    """`request.args.get(..., type=whole_number)`: a number no id or page can be is no number."""
    number = int(value)
    if abs(number) > LARGEST_NUMBER:
        raise ValueError(value)
    return number


class AddressNotUnderstood(BadRequest):
    """A query string with control characters: its page (or JSON under /api) is in eventsite.errors."""
    description = _l("The address contains control characters (such as NUL or a line break). Check the link, "
                     "or start from the home page.")


def register_input_guards(app) -> None:
    """Before the blueprints: the URL converters; and a query string with control characters is
    refused with a message (forms refuse them beside their fields, see core.forms.storable)."""
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)

    @app.before_request
    def refuse_control_characters_in_the_query():
        if any(CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) or "\n" in v or "\r" in v
                                                      for v in values)
               for key, values in request.args.lists()):
            raise AddressNotUnderstood()

    @app.after_request
    def refused_input_is_not_a_success(response):
        """A form shown again with its errors answers 422, whichever view: a client, a test or an
        accessibility checker sees that nothing was saved."""
        if response.status_code == 200 and request.method == "POST" and g.get("refused_form"):
            response.status_code = 422
        return response


def show_error(form, error) -> None:
    """Put a DomainError beside the field it concerns, or at the top of the form."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
    else:
        flash(error.message, "error")


def download(data: bytes, mimetype: str, filename: str, *, private: bool = False) -> Response:
    """A file to save; private ones (personal data) are never kept by a browser or proxy cache."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if private:
        headers["Cache-Control"] = "private, no-store"
    return Response(data, mimetype=mimetype, headers=headers)


def form_values(obj, *names: str) -> dict:
    """An object's attributes as a form's starting values, enums as their plain values.

    WTForms coerces a select's data with str(), and str() of an Enum member is
    "ItemKind.PANEL", which matches no choice: the select would come up empty and the next
    save would lose the value.
    """
    values = {}
    for name in names:
        value = getattr(obj, name)
        values[name] = value.value if isinstance(value, enum.Enum) else value
    return values
