"""Small helpers the views share."""
import enum
from urllib.parse import urlsplit

from flask import Response, flash, redirect, request, url_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def safe_next(default_endpoint: str = "events.home", *, target: str | None = None, **values):
    """Redirect to ?next= (or target) when it stays on this site, else to the default page."""
    target = target if target is not None else request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


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
