"""Staff enter the forum's official programme."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import show_error, whole_number
from ..errors import DomainError
from ..events.models import Room
from ..events.queries import forum_by_slug
from ..extensions import db
from . import services
from .forms import OfficialMeetingForm, RemoveMeetingForm
from .models import OfficialMeeting

bp = Blueprint("programme", __name__)


def _forum(slug):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.official_programme", forum)
    return forum


def _meeting(forum, meeting_id):
    meeting = db.session.get(OfficialMeeting, meeting_id) if meeting_id else None
    if meeting_id and (meeting is None or meeting.forum_id != forum.id):
        abort(404)
    return meeting


def _input(form, forum) -> services.MeetingInput:
    room = db.session.get(Room, form.room.data) if form.room.data else None
    return services.MeetingInput(title=form.title.data, day=form.day.data, start=form.start.data, end=form.end.data,
                                 room=room if room and room.forum_id == forum.id else None,
                                 location=form.location.data or "", side_events=form.side_events.data or "")


@bp.route("/forums/<slug>/official", methods=["GET", "POST"])
@login_required
def manage(slug):
    forum = _forum(slug)
    meeting = _meeting(forum, request.args.get("meeting", type=whole_number))
    initial = {}
    if meeting is not None and request.method == "GET":
        initial = {"title": meeting.title, "day": meeting.local_start.date(), "start": meeting.local_start.time(),
                   "end": meeting.local_end.time(), "room": meeting.room_id or 0, "location": meeting.location,
                   "side_events": meeting.side_events}
    form = OfficialMeetingForm(rooms=forum.rooms, **initial)
    if form.validate_on_submit():
        try:
            saved = services.save_meeting(forum, _input(form, forum), user=current_user, meeting=meeting)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            during = services.side_events_during(saved)
            db.session.commit()
            flash(_("Official meeting saved."), "success")
            if during:
                flash(_("Side events at that time: %(titles)s.", titles="; ".join(e.title for e in during)), "warning")
            return redirect(url_for("programme.manage", slug=forum.slug))
    return render_template("programme/manage.html", forum=forum, form=form, meeting=meeting,
                           meetings=services.meetings_of(forum), remove_form=RemoveMeetingForm(),
                           when=services.when), 422 if form.errors else 200


@bp.post("/forums/<slug>/official/<int:meeting_id>/remove")
@login_required
def remove(slug, meeting_id):
    forum = _forum(slug)
    meeting = _meeting(forum, meeting_id)
    if RemoveMeetingForm().validate_on_submit():
        services.delete_meeting(meeting, user=current_user)
        db.session.commit()
        flash(_("Official meeting removed."), "success")
    return redirect(url_for("programme.manage", slug=forum.slug))
