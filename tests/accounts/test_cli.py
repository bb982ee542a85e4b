import json
from pathlib import Path

from sqlalchemy import func, select

import eventsite
from eventsite.accounts.models import User
from eventsite.events.models import ConceptNote, Event, Forum
from eventsite.extensions import db


def test_create_staff_makes_a_staff_account(app):
    result = app.test_cli_runner().invoke(args=["create-staff", "chief@example.org", "--password", "long-enough-pass"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "chief@example.org"))
        assert user.is_staff is True


def test_demo_loads_seed_data_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "participant@demo.eventsite.org" in first.output
    with app.app_context():
        counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Forum, Event, ConceptNote)]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Forum, Event, ConceptNote)] == counts
        note = db.session.scalar(select(ConceptNote).join(Event).where(
            Event.title == "High-level Meeting on International Cooperation on Artificial Intelligence"))
        assert (len(note.objectives), len(note.target_audience), len(note.guiding_questions)) == (4, 1, 4)
        titles = set(db.session.scalars(select(Event.title)))
    demo = json.loads((Path(eventsite.__file__).parent / "demo" / "demo.json").read_text(encoding="utf-8"))
    assert counts[:3] == [len(demo["accounts"]), len(demo["forums"]), len(demo["events"])]
    assert titles == {event["title"] for event in demo["events"]}
    # Real non-Latin content is among them, not only English.
    assert "数字技术促进可持续农业" in titles and any("الطاقة المتجددة" in title for title in titles)


def test_demo_event_has_an_agenda_and_speakers_in_their_roles(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "from-divide-to-synergy"))
        kinds = [item.kind.value for item in event.agenda_items]
        assert {"opening", "keynote", "panel", "closing"} <= set(kinds)
        roles = {s.role.value for s in event.speakers}
        assert len(event.speakers) >= 5 and {"moderator", "keynote", "panellist"} <= roles
    page = client.get("/events/from-divide-to-synergy").data.decode()
    assert "Panel: from divide to synergy" in page and "Lin Gao" in page
    assert "Priya Raman" not in page  # invited, not yet confirmed


def test_demo_lists_its_accounts_in_aligned_columns(app):
    output = app.test_cli_runner().invoke(args=["demo"]).output
    rows = [line for line in output.splitlines() if "password:" in line]
    assert len(rows) == 6
    assert len({line.index(line.split()[-3]) for line in rows}) == 1  # the e-mail addresses start in one column
    assert len({line.index("password:") for line in rows}) == 1
