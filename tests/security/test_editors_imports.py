"""Forged merge and import fields: a tampered form can neither overwrite a co-author's text, nor
reach another event's revisions, nor crash the editor."""
from eventsite.events import services
from eventsite.events.models import ConceptNote
from eventsite.extensions import db
from tests.conftest import login
from tests.html_forms import form_values
from tests.factories import make_event, make_forum, make_user


def _note_and_editor(app):
    with app.test_request_context():
        forum = make_forum()
        organiser = make_user()
        event = make_event(forum, organiser=organiser)
        other = make_event(forum, organiser=organiser, title="Another event", room="Conference Room 11")
        for n in range(3):  # the other event has revisions 2 to 4, with text nobody here should see
            services.save_concept_note(other, {"background": f"<p>Secret draft {n}</p>"}, user=organiser)
        db.session.commit()
        return event.id, event.slug, organiser.email


def _note(app, event_id):
    with app.app_context():
        return dict(services.concept_note_content(db.session.get(ConceptNote, event_id)))


def test_forged_conflict_fields_are_ignored_or_refused_never_a_crash(app, client):
    event_id, slug, email = _note_and_editor(app)
    login(client, email)
    before = _note(app, event_id)
    url = f"/events/{slug}/concept-note"
    sideways = client.post(url, data={"background": "Typed text", "base_revision": "1", "conflicts": "background",
                                      "merge_base": "not-a-number", "resolve_background": "sideways"})
    assert sideways.status_code == 422  # an unknown choice is no choice: asked again, text kept
    assert "keep your version, take theirs, or edit the box" in sideways.data.decode()
    assert "Typed text" in sideways.data.decode() and _note(app, event_id) == before
    ignored = client.post(url, data={"background": "Typed text", "base_revision": "1", "merge_base": "x",
                                     "conflicts": "__class__,csrf_token,base_revision,mine_background"})
    assert ignored.status_code == 302  # names that are no section of the note are ignored
    assert _note(app, event_id)["background"] == "<p>Typed text</p>"


def test_a_forged_base_revision_never_takes_another_events_text_nor_overwrites_unseen(app, client):
    event_id, slug, email = _note_and_editor(app)
    login(client, email)
    url = f"/events/{slug}/concept-note"
    response = client.post(url, data={"background": "Mine", "base_revision": "3", "conflicts": "background",
                                      "resolve_background": "theirs", "mine_background": "Mine",
                                      "offered_background": "Mine", "merge_base": "2"})
    assert response.status_code == 409  # revision 3 is not this note's: shown as a merge, never saved
    assert "Secret draft" not in response.data.decode()
    assert form_values(response.data.decode(), url)["base_revision"] == "1"  # the next save is based on the real one
    assert _note(app, event_id)["background"] == "<p>Why this event matters.</p>"
