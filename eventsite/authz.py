"""Who may do what: the one place every view asks.

Roles: site *staff*; per forum an *organiser* (the forum's secretariat); per event an
*organiser*, *co-organiser* or *rapporteur*; every signed-in user is a participant.
The rules are plain functions of the user's memberships, so they cost no query.
"""
from flask import abort, redirect, request, url_for
from flask_login import current_user

from .accounts.models import Role
from .events.models import LISTED_STATUSES


def event_roles(user, event) -> set[Role]:
    """The roles user holds for event, a forum organiser counting as organiser of its events."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set()
    for membership in user.memberships:
        if membership.event_id == event.id:
            roles.add(membership.role)
        elif event.forum_id and membership.forum_id == event.forum_id and membership.role == Role.ORGANISER:
            roles.add(Role.ORGANISER)
    return roles


def is_forum_organiser(user, forum_id) -> bool:
    return any(m.forum_id == forum_id and m.role == Role.ORGANISER for m in getattr(user, "memberships", ()))


def _staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


EDITORS = {Role.ORGANISER, Role.CO_ORGANISER}


def _event_editor(user, event):
    return _staff(user) or bool(event_roles(user, event) & EDITORS)


def _event_insider(user, event):
    return _staff(user) or bool(event_roles(user, event))


def _event_reviewer(user, event):
    return _staff(user) or (event.forum_id is not None and is_forum_organiser(user, event.forum_id))


def _event_lead(user, event):
    return _staff(user) or Role.ORGANISER in event_roles(user, event)


def _person_editor(user, person):
    return _staff(user) or (_signed_in(user) and person.created_by_id == user.id)


def is_same_person(user, person) -> bool:
    """The account proves the person's address: same address, verified by its owner."""
    return bool(_signed_in(user) and person.email and getattr(user, "is_verified", False)
                and user.email.lower() == person.email)


def _person_contact_visible(user, person):
    """Staff, the person themself and whoever entered them; never other organisers, who invite
    through the site instead."""
    return _person_editor(user, person) or is_same_person(user, person)


def _person_visible(user, person):
    """Who may find and see a person (page, photo, directory search) without their address.

    Anyone, once the person is a confirmed speaker of a listed event (their name is on a public
    speaker list); otherwise those who may see the address, and the teams of events the person
    was added to, unless that was a blind add by address the person has not accepted yet.
    """
    if any(a.is_confirmed and a.event.status in LISTED_STATUSES for a in person.assignments):
        return True
    if _person_contact_visible(user, person):
        return True
    return _signed_in(user) and any(not a.is_concealed and event_roles(user, a.event) for a in person.assignments)


def event_visible_clause(user):
    """The "event.view" rule as an SQL condition on events, for searches that must not read every
    event to filter it: listed events for everyone, the rest for their team, the forum's organisers
    and staff (the same memberships event_roles reads)."""
    from sqlalchemy import or_, true
    from .events.models import Event
    listed = Event.status.in_(LISTED_STATUSES)
    if not _signed_in(user):
        return listed
    if _staff(user):
        return true()
    event_ids = [m.event_id for m in user.memberships if m.event_id]
    forum_ids = [m.forum_id for m in user.memberships if m.forum_id and m.role == Role.ORGANISER]
    return or_(listed, Event.id.in_(event_ids), Event.forum_id.in_(forum_ids))


def two_factor_applies(user) -> bool:
    """Staff and forum organisers: the accounts the site may require two-factor sign-in of."""
    return _staff(user) or any(m.forum_id and m.role == Role.ORGANISER for m in getattr(user, "memberships", ()))


def _forum_insider(user, forum):
    return _staff(user) or is_forum_organiser(user, forum.id)


def _outcome_visible(user, forum):
    """The forum's secretariat at any time; everyone once the forum is over, for the archive: the
    report compiles published summaries of listed events, each public already."""
    from .events.services import is_over
    return _forum_insider(user, forum) or is_over(forum)


RULES = {
    # site
    "staff.area": lambda user, _: _staff(user),
    "review.queue": lambda user, _: _staff(user) or any(
        m.forum_id and m.role == Role.ORGANISER for m in getattr(user, "memberships", ())),
    "account.dashboard": lambda user, _: _signed_in(user),
    "outbox.manage": lambda user, _: _staff(user),
    "site.security": lambda user, _: _staff(user),
    # forums
    "forum.manage": lambda user, forum: _staff(user),
    # series (threads of events across forums) are the secretariat's to name
    "series.manage": lambda user, _: _staff(user),
    "event.propose": lambda user, forum: _signed_in(user),
    # events
    "event.view": lambda user, event: event.status in LISTED_STATUSES or _event_insider(user, event),
    "event.view_private": _event_insider,
    "event.edit": _event_editor,
    "event.submit": _event_editor,
    "event.publish": _event_editor,
    "event.cancel": _event_editor,
    "event.review": _event_reviewer,
    "event.manage_team": _event_lead,
    "event.delete": lambda user, event: _staff(user),
    # letting one proposal in outside its forum's call for proposals
    "event.mail_texts": _event_editor,  # the organisers' own paragraph in the event's e-mails
    "forum.mail_texts": lambda user, forum: _staff(user),
    "event.allow_late": lambda user, event: _staff(user) and event.forum_id is not None,
    # co-organisers' focal points and their answers: the lead organiser and staff
    "event.co_organisers": _event_lead,
    # the forum's official programme (plenaries, segments) is entered by staff
    "forum.official_programme": lambda user, forum: _staff(user),
    # the activity log names people: the event's organisers see their event's, staff a whole forum's
    "activity.event": _event_editor,
    "activity.forum": lambda user, forum: _staff(user),
    # the link to join online: the event's team here; confirmed participants on their own page
    "event.meeting_link": _event_insider,
    # registration: personal data is for the event's organisers and staff only
    "registration.manage": _event_editor,
    "registration.badges": _event_editor,  # names, organisations and check-in codes of the confirmed
    "registration.view": lambda user, registration: (
        _signed_in(user) and registration.user_id == user.id) or _event_editor(user, registration.event),
    # summaries: written by the event's rapporteurs and organisers, approved by organisers
    "summary.edit": lambda user, event: _staff(user) or bool(event_roles(user, event) & (EDITORS | {Role.RAPPORTEUR})),
    "summary.approve": _event_editor,
    "summary.view_draft": lambda user, event: _staff(user) or bool(event_roles(user, event)),
    "forum.outcome": _outcome_visible,
    # dashboards: the forum's for its secretariat (staff, forum organisers), an event's for its team
    "forum.dashboard": _forum_insider,
    "event.dashboard": _event_editor,
    # speakers
    "forum.speakers": _forum_insider,
    "forum.export": _forum_insider,
    "person.add": lambda user, _: _signed_in(user),
    "person.edit": _person_editor,
    "person.view": _person_visible,
    "person.view_contact": _person_contact_visible,
    "person.view_all_engagements": lambda user, person: _staff(user) or is_same_person(user, person),
}


def can(user, action: str, target=None) -> bool:
    """True when user may perform action on target."""
    return RULES[action](user, target)


def require(action: str, target=None) -> None:
    """Stop the request unless the current user may perform action on target.

    Anonymous visitors are sent to sign in; an event they may not even see is a 404, so
    that drafts do not reveal that they exist; anything else is a 403.
    """
    if can(current_user, action, target):
        return
    if action == "event.view":
        abort(404)
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    abort(403)
