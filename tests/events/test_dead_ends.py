"""Every page a role may use is offered to it, and nothing it may not use: Manage panels driven by the
authorisation rules, confirmations for destructive actions, and dates in the reader's language."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from eventsite.accounts.models import Role
from eventsite.events import services
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user


def test_two_forums_cannot_share_a_name_and_the_form_says_so_keeping_the_input(client, ctx):
    staff = make_staff()
    make_forum(name="2025 STI Forum", staff=staff)
    db.session.commit()
    with pytest.raises(services.Conflict):
        make_forum(name="  2025   sti forum ", staff=staff)
    db.session.rollback()
    login(client, staff.email)
    response = client.post("/staff/forums/new", data={
        "name": "2025 STI Forum", "starts_on": "2025-05-06", "ends_on": "2025-05-07", "timezone": "Europe/Zurich",
        "summary_template": "sti-side-event"})
    page = response.data.decode()
    assert response.status_code == 200
    assert "There is already a forum called 2025 STI Forum; give this one a name of its own." in page
    assert 'value="2025 STI Forum"' in page and 'value="Europe/Zurich"' in page


def test_the_database_refuses_a_second_forum_of_the_same_name(ctx):
    from sqlalchemy.exc import IntegrityError
    from eventsite.events.models import Forum
    db.session.add(Forum(slug="a", name="Same", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), timezone="UTC"))
    db.session.flush()
    db.session.add(Forum(slug="b", name="Same", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), timezone="UTC"))
    with pytest.raises(IntegrityError, match="(?i)uq_forums_name|unique"):
        db.session.flush()


@pytest.mark.parametrize("lang,expected", [("en", "May 6\u2009–\u20097, 2025"), ("fr", "6–7 mai 2025"),
                                           ("es", "6–7 de mayo de 2025")])
def test_forum_dates_are_written_the_way_the_readers_language_writes_them(app, client, lang, expected):
    with app.app_context():  # the requests below each choose their own language
        slug, email = make_forum().slug, make_user().email
        db.session.commit()
    for url in ("/", f"/forums/{slug}", f"/forums/{slug}/events/new"):
        if url.endswith("new"):
            login(client, email)
        page = client.get(url, headers={"Accept-Language": lang}).data.decode()
        assert expected in page, url
        assert "2025-05-0" not in re.sub(r"<[^>]*>", " ", page), url  # in no text a reader sees
