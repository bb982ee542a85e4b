from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core import merge
from ..core.languages import speaking
from ..core.web import DOCX, PDF, download, show_error
from ..errors import DomainError
from ..events.labels import ORGANISATION_KIND_LABELS
from ..events.models import OrganisationKind
from ..events.queries import event_by_slug, forum_by_slug
from ..extensions import db
from . import documents, outcome, services, templates
from .forms import SummaryImportForm, SummaryStatusForm, TemplateForm, summary_form_class
from .models import SummaryStatus

bp = Blueprint("summaries", __name__)


def _event(slug, action="event.view"):
    event = event_by_slug(slug) or abort(404)
    authz.require("event.view", event)
    if action != "event.view":
        authz.require(action, event)
    return event


def _forum_name(event) -> str:
    return event.forum.name if event.forum else ""


def _form_values(content: dict, template) -> dict:
    header = content["header"]
    values = {name: header.get(name, "") for name in ("title", "time", "date", "venue")}
    values["organisers"] = "\n".join(header.get("organisers", []))
    for section in template.sections:
        entries = content["sections"].get(section.key, [])
        values[f"section_{section.key}"] = ("\n" if section.kind == "bullets" else "\n\n").join(entries)
    return values


def _content_from_texts(texts: dict, template) -> dict:
    def entries(text, kind):
        text = (text or "").replace("\r\n", "\n")
        if kind == "bullets":
            return [line.strip().lstrip("-•*").strip() for line in text.split("\n") if line.strip()]
        return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return {"header": {name: (texts.get(name) or "").strip() for name in ("title", "time", "date", "venue")}
            | {"organisers": [o.strip() for o in (texts.get("organisers") or "").splitlines() if o.strip()]},
            "sections": {s.key: entries(texts.get(f"section_{s.key}"), s.kind) for s in template.sections}}


def _content_from_form(form, template) -> dict:
    return _content_from_texts({key: form[key].data for key in services.merge_keys(template)}, template)


def _editor(event, form, template, *, conflict=None, import_form=None, imported=None, status=200):
    content = _content_from_form(form, template)
    titles = _part_titles(template, _forum_name(event))
    missing = [titles[n].lower() for n in services.HEADER_FIELDS if imported and not imported.content["header"].get(n)]
    return render_template("summaries/edit.html", event=event, form=form, template=template, imported=imported,
                           imported_missing=missing,
                           header_choices=_header_choices(form, event, template),
                           forum_name=_forum_name(event), import_form=import_form or SummaryImportForm(), merge=conflict,
                           titles=titles, problems=services.check(content, template, _forum_name(event)),
                           note=event.concept_note), status


def _part_titles(template, forum_name) -> dict:
    return {"title": _("Title"), "time": _("Time"), "date": _("Date"), "venue": _("Venue"),
            "organisers": _("Organized by"),
            **{f"section_{s.key}": s.heading(forum_name) for s in template.sections}}


def _part_text(template):
    """A part of the summary as its box in the editor shows it."""
    paragraphs = {f"section_{s.key}" for s in template.sections if s.kind != "bullets"}
    return lambda key, value: ("\n\n" if key in paragraphs else "\n").join(value) if isinstance(value, list) \
        else (value or "")


def _choice_messages() -> dict:
    return {"choose": _("You both changed this part: keep your version, take theirs, or edit the box."),
            "edited": _("You edited the text in the box but chose another option. Choose “Use the text in the "
                        "box” to keep your edit, or choose again.")}


def _resolve_conflicts(form, event, template) -> bool:
    """Apply the choices made for parts both editors changed; False when one is missing."""
    def theirs():
        return _form_values(services.content_at(event.summary, form.base_revision.data or 0), template)
    return merge.apply_form_choices(form, services.merge_keys(template), theirs, _choice_messages())


def _pending_merge(form, event, template):
    """The merge still being resolved, computed again to show it beside the errors."""
    base = merge.pending_base(form)
    if base is None:
        return None
    conflicts = set((form.conflicts.data or "").split(","))
    texts = {key: (form[f"mine_{key}"].data if key in conflicts else form[key].data) or ""
             for key in services.merge_keys(template)}
    return services.edit_conflict(event, _content_from_texts(texts, template), base_revision=base,
                                  user=current_user)


@bp.route("/events/<slug>/summary/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    event = _event(slug, "summary.edit")
    template = services.template_of(event)
    summary = event.summary
    form_class = summary_form_class(template)
    if request.method == "GET":
        form = form_class(**_form_values(services.content_of(summary, event), template),
                          base_revision=summary.revision if summary else 0)
        return _editor(event, form, template)
    form = form_class()
    if not form.validate_on_submit() or not _apply_header_choices(form, event, template) or \
            not _resolve_conflicts(form, event, template):
        return _editor(event, form, template, conflict=_pending_merge(form, event, template), status=422)
    try:
        services.save(event, _content_from_form(form, template), user=current_user,
                      base_revision=form.base_revision.data or 0)
    except merge.EditConflict as conflict:
        db.session.rollback()
        merge.show_merge(form, conflict, _part_text(template))
        return _editor(event, form, template, conflict=conflict, status=409)
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _editor(event, form, template, status=422)
    db.session.commit()
    problems = services.check(services.content_of(event.summary, event), template, _forum_name(event))
    flash(_("Draft saved.") + (" " + _("Before it can be submitted: %(p)s", p=" ".join(p.message for p in problems))
                               if problems else ""), "warning" if problems else "success")
    return redirect(url_for("summaries.edit", slug=event.slug))


@bp.post("/events/<slug>/summary/import")
@login_required
def import_file(slug):
    event = _event(slug, "summary.edit")
    template = services.template_of(event)
    import_form = SummaryImportForm()
    summary = event.summary
    form = summary_form_class(template)(formdata=None, base_revision=summary.revision if summary else 0)
    if not import_form.validate_on_submit():
        return _editor(event, form, template, import_form=import_form, status=422)
    upload = import_form.file.data
    try:
        result = documents.parse_summary(upload.filename, upload.read(), template)
    except documents.ImportFailed as error:
        import_form.file.errors = [str(error)]
        return _editor(event, form, template, import_form=import_form, status=422)
    _fill_from_import(form, event, template, result)
    flash(_("Imported %(file)s. Check each section, then save.", file=upload.filename), "success")
    return _editor(event, form, template, import_form=import_form, imported=result)


def _fill_from_import(form, event, template, result) -> None:
    """The editor filled from the file; header fields the file gives differently from the event's
    record wait for the person's choice, fields the file lacks come from the summary as saved."""
    from_file = result.content["header"]
    current = services.content_of(event.summary, event)["header"]
    header = {k: v or current.get(k) for k, v in from_file.items()}
    for name, value in _form_values({"header": header, "sections": result.content["sections"]}, template).items():
        form[name].data = value
    pending = services.header_differences(from_file, event)
    for name in pending:
        form[f"file_{name}"].data = form[name].data
    form.header_pending.data = ",".join(pending)


def _record_texts(event, template) -> dict:
    return _form_values({"header": services.event_header(event), "sections": {}}, template)


def _header_choices(form, event, template) -> list:
    """(field, label, the file's text, the record's text) for each header field awaiting a choice."""
    pending = [n for n in (form.header_pending.data or "").split(",") if n in services.HEADER_FIELDS]
    record, titles = _record_texts(event, template), _part_titles(template, _forum_name(event))
    return [(name, titles[name], form[f"file_{name}"].data or "", record[name]) for name in pending]


def _apply_header_choices(form, event, template) -> bool:
    """Nothing is saved with a header that differs from the file's without the person choosing."""
    choices, ok = _header_choices(form, event, template), True
    for name, label, file_text, record_text in choices:
        choice = form[f"source_{name}"].data
        if choice not in ("file", "record"):
            form[name].errors = [*form[name].errors, _(
                "The file and the event's record differ here: choose which is right.")]
            ok = False
        elif choice == "record" and " ".join((form[name].data or "").split()) != " ".join(file_text.split()):
            form[name].errors = [*form[name].errors, _(
                "You edited this field but chose the event's record. Choose “As in the file” to keep your edit.")]
            ok = False
        elif choice == "record":
            form[name].data = record_text
    if ok:
        form.header_pending.data = ""
    return ok


def _visible_summary(event):
    summary = event.summary
    if summary is None:
        return None
    if summary.status == SummaryStatus.PUBLISHED or authz.can(current_user, "summary.view_draft", event):
        return summary
    return None


@bp.get("/events/<slug>/summary")
def show(slug):
    event = _event(slug)
    summary = _visible_summary(event)
    insider = authz.can(current_user, "summary.view_draft", event)
    if summary is None and not insider:
        abort(404)
    template = services.template_of(event)
    content = services.content_of(summary, event) if summary else None
    when = None
    if content:
        with speaking(documents.summary_language(content, summary.language)):  # the summary's date, as its exports
            when = documents.header_line(content["header"])
    return render_template("summaries/show.html", event=event, summary=summary, content=content, template=template,
                           forum_name=_forum_name(event), insider=insider, when=when,
                           can_edit=authz.can(current_user, "summary.edit", event),
                           problems=services.check(content, template, _forum_name(event)) if content else [],
                           transitions=services.allowed_transitions(summary, event, current_user),
                           status_form=SummaryStatusForm() if insider else None)


@bp.post("/events/<slug>/summary/status")
@login_required
def change_status(slug):
    event = _event(slug, "summary.view_draft")  # the service checks who may make which step
    form = SummaryStatusForm()
    if event.summary is None or not form.validate_on_submit():
        abort(400)
    try:
        services.change_status(event.summary, SummaryStatus(form.to.data), user=current_user)
    except (DomainError, ValueError) as error:
        db.session.rollback()
        flash(getattr(error, "message", _("Unknown status.")), "error")
    else:
        db.session.commit()
        flash(_("The summary is now %(status)s.", status=_(event.summary.status.value)), "success")
    return redirect(url_for("summaries.show", slug=event.slug))


@bp.get("/events/<slug>/summary.<any(docx, pdf, md, txt):kind>")
def export(slug, kind):
    event = _event(slug)
    summary = _visible_summary(event) or abort(404)
    template = services.template_of(event)
    content = services.content_of(summary, event)
    language = documents.summary_language(content, summary.language)
    name = f"summary-{event.slug}.{kind}"
    if kind == "md":
        data = documents.summary_markdown(content, template, _forum_name(event), language=language).encode()
        mimetype = "text/markdown; charset=utf-8"
    elif kind == "txt":
        data = documents.summary_text(content, template, _forum_name(event), language=language).encode()
        mimetype = "text/plain; charset=utf-8"
    elif kind == "pdf":
        data, mimetype = documents.summary_pdf(content, template, _forum_name(event), language=language), PDF
    else:
        data, mimetype = documents.summary_docx(content, template, _forum_name(event), language=language), DOCX
    return download(data, mimetype, name, private=summary.status != SummaryStatus.PUBLISHED)


@bp.get("/events/<slug>/summary-template.docx")
@login_required
def word_template(slug):
    """The pre-filled template for rapporteurs who write in Word; upload it back to import it."""
    event = _event(slug, "summary.edit")
    template = services.template_of(event)
    content = services.content_of(event.summary, event)
    recorded = event.summary.language if event.summary is not None else str(get_locale())
    data = documents.summary_docx(content, template, _forum_name(event),
                                  language=documents.summary_language(content, recorded),
                                  guidance=True)
    return download(data, DOCX, f"summary-template-{event.slug}.docx", private=True)


@bp.get("/events/<slug>/summary/revisions")
@login_required
def revisions(slug):
    event = _event(slug, "summary.view_draft")
    titles = services.template_of(event).titles(event.forum.name if event.forum else "")
    return render_template("summaries/revisions.html", event=event, titles=titles,
                           revisions=list(reversed(event.summary.revisions)) if event.summary else [])


def _public_outcome(forum) -> bool:
    """Readers outside the forum's secretariat (the archive of a forum that is over) see listed events only."""
    return not authz.can(current_user, "forum.export", forum)


@bp.get("/forums/<slug>/outcome")
def forum_outcome(slug):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.outcome", forum)
    sdg = request.args.get("sdg", type=int)
    kind = request.args.get("kind", "")
    kind = OrganisationKind(kind) if kind in {k.value for k in OrganisationKind} else None
    report = outcome.outcome(forum, sdg=sdg if sdg and 1 <= sdg <= 17 else None, kind=kind,
                             listed_only=_public_outcome(forum))
    return render_template("summaries/outcome.html", forum=forum, report=report, sdg=sdg, kind=kind,
                           kinds=ORGANISATION_KIND_LABELS, kind_names=outcome.KIND_NAMES)


@bp.get("/forums/<slug>/outcome.<any(docx, pdf, md):kind>")
def forum_outcome_export(slug, kind):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.outcome", forum)
    report = outcome.outcome(forum, listed_only=_public_outcome(forum))
    if kind == "md":
        data, mimetype = outcome.outcome_markdown(forum, report).encode(), "text/markdown; charset=utf-8"
    elif kind == "pdf":
        data, mimetype = outcome.outcome_pdf(forum, report), PDF
    else:
        data, mimetype = outcome.outcome_docx(forum, report), DOCX
    return download(data, mimetype, f"outcome-{forum.slug}.{kind}")


@bp.route("/staff/summary-templates", methods=["GET", "POST"])
@login_required
def summary_templates():
    authz.require("staff.area")
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            sections = templates.parse_sections(form.sections.data)
        except ValueError as error:
            form.sections.errors = [str(error)]
        else:
            if form.key.data.strip() in templates.BUILT_IN:
                form.key.errors = [_("This key belongs to a built-in template; choose another.")]
            else:
                templates.save_template(form.key.data.strip(), form.name.data.strip(), sections)
                db.session.commit()
                flash(_("Template saved. Choose it in a forum's settings to use it."), "success")
                return redirect(url_for("summaries.summary_templates"))
    return render_template("summaries/templates.html", form=form, templates=templates.all_templates()), \
        422 if form.errors else 200
