"""The embeddable programme: framed only by the sites staff list for the forum, with its filters, in six languages."""
import re
from datetime import time

from flask_babel import refresh

from eventsite.events.models import Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user


def _frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]*)", response.headers["Content-Security-Policy"]).group(1)


def test_without_listed_sites_only_the_site_itself_may_frame_the_programme(client, ctx):
    forum = make_forum()
    db.session.commit()
    response = client.get(f"/forums/{forum.slug}/embed")
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'self'"
    assert "X-Frame-Options" not in response.headers
    page = client.get(f"/forums/{forum.slug}")
    assert _frame_ancestors(page) == "'none'" and page.headers["X-Frame-Options"] == "DENY"


def test_staff_list_the_sites_and_frame_ancestors_follows_them(client, ctx, app):
    staff = make_staff()
    forum = make_forum(staff=staff)
    db.session.commit()
    login(client, staff.email)
    saved = client.post(f"/forums/{forum.slug}/embed/settings",
                        data={"origins": "https://sdgs.un.org/\nhttps://WWW.UN.ORG, https://sdgs.un.org"})
    assert saved.status_code == 302
    from flask import g
    g.pop("_login_user", None)  # the test's shared app context must not remember the staff member
    client = app.test_client()  # an anonymous reader of the embedding site
    for _ in range(2):  # the second answer comes from the page cache and still names the sites
        response = client.get(f"/forums/{forum.slug}/embed")
        assert _frame_ancestors(response) == "'self' https://sdgs.un.org https://www.un.org"
    unchanged = client.get(f"/forums/{forum.slug}/embed", headers={"If-None-Match": response.headers["ETag"]})
    assert unchanged.status_code == 304
    assert _frame_ancestors(unchanged) == "'self' https://sdgs.un.org https://www.un.org"
    assert _frame_ancestors(client.get(f"/forums/{forum.slug}")) == "'none'"  # the forum's own page is not framed


def test_an_origin_that_could_widen_the_policy_is_refused(client, ctx):
    staff = make_staff()
    forum = make_forum(staff=staff)
    db.session.commit()
    login(client, staff.email)
    for bad in ("*", "https://*.un.org", "https://un.org/page", "'unsafe-inline'", "https://un.org;script-src *",
                "javascript:alert(1)", "un.org"):
        page = client.post(f"/forums/{forum.slug}/embed/settings", data={"origins": bad})
        assert page.status_code == 200, bad
        assert "is not a site" in page.data.decode(), bad
    db.session.refresh(forum)
    assert forum.embed_origins == ""


def test_only_staff_choose_who_may_embed(client, ctx):
    forum = make_forum()
    user = make_user()
    db.session.commit()
    login(client, user.email)
    assert client.get(f"/forums/{forum.slug}/embed/settings").status_code == 403
    assert client.post(f"/forums/{forum.slug}/embed/settings", data={"origins": "https://evil.example"}).status_code == 403


def test_the_embedded_programme_filters_and_speaks_the_readers_language(client, ctx):
    forum = make_forum()
    on_goal = make_event(forum, status=Status.PUBLISHED, title="Digital public goods", sdgs=(9,))
    other = make_event(forum, status=Status.PUBLISHED, title="Oceans", sdgs=(14,), start=time(15), end=time(16))
    db.session.commit()
    page = client.get(f"/forums/{forum.slug}/embed?sdg=9").data.decode()
    assert on_goal.title in page and other.title not in page
    assert '<base target="_blank">' in page and 'target="_self"' in page
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert 'class="site-header"' not in page  # the programme only, no site navigation
    for lang, html_lang, direction in (("fr", "fr", "ltr"), ("es", "es", "ltr"), ("ru", "ru", "ltr"),
                                       ("zh_Hans", "zh", "ltr"), ("ar", "ar", "rtl"), ("en", "en", "ltr")):
        refresh()  # the test's app context is shared with each request: let the request choose the language
        localised = client.get(f"/forums/{forum.slug}/embed?lang={lang}").data.decode()
        assert re.search(rf'<html lang="{html_lang}[^"]*" dir="{direction}">', localised), lang
