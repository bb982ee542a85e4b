from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import authz
from ..coorganisers.services import state_text
from ..extensions import db
from ..programme.services import clashes_by_event
from . import queries, services
from .forms import BulkReviewForm
from .labels import ROLE_LABELS, STATUS_LABELS
from .models import Status

bp = Blueprint("dashboards", __name__)


@bp.get("/dashboard")
@login_required
def mine():
    authz.require("account.dashboard")
    rows = [(event, roles, services.missing_for_submission(event)) for event, roles in queries.events_of_user(current_user)]
    return render_template("events/dashboard.html", rows=rows, status_labels=STATUS_LABELS, role_labels=ROLE_LABELS,
                           forums=[(forum, count) for forum, count in queries.forums_with_counts()
                                   if not services.is_over(forum)], site_links=site_links(current_user))


# Site-wide pages, each with the permission it asks.
SITE_LINKS = (
    ("review.queue", "dashboards.review", _l("Review submissions")),
    ("forum.manage", "forums.create_forum", _l("New forum")),
    ("staff.area", "summaries.summary_templates", _l("Summary templates")),
    ("outbox.manage", "mail.failed", _l("Outgoing mail: waiting and failed messages")),
)


def site_links(user) -> list[tuple[str, str]]:
    return [(label, url_for(endpoint)) for permission, endpoint, label in SITE_LINKS if authz.can(user, permission)]


@bp.route("/review", methods=["GET", "POST"])
@login_required
def review():
    authz.require("review.queue")
    queue = queries.review_queue(current_user)
    form = BulkReviewForm()
    form.event_ids.choices = [(event.id, event.title) for event in queue]
    if form.validate_on_submit():
        chosen = [event for event in queue if event.id in set(form.event_ids.data or [])]
        if not chosen:
            flash(_("Tick at least one submission."), "error")
        else:
            done, problems = services.change_status_in_bulk(chosen, Status(form.decision.data), user=current_user,
                                                            reason=form.reason.data or "")
            db.session.commit()
            if done:
                flash(_("%(count)s submission(s) now %(status)s.", count=done,
                        status=STATUS_LABELS[Status(form.decision.data)]), "success")
            for problem in problems:
                flash(problem, "error")
            if not problems:
                return redirect(url_for("dashboards.review"))
            queue = queries.review_queue(current_user)
    return render_template("events/review.html", queue=queue, form=form,
                           eligibility={event.id: services.eligibility_problems(event) for event in queue},
                           official=clashes_by_event(queue), co_organiser_state=state_text)
