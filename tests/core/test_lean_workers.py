"""A web worker imports only what serves requests: migrations, calendars, documents and images load on use."""
import json
import os
import subprocess
import sys
import textwrap

from eventsite.events.models import Status
from eventsite.extensions import db
from tests.factories import make_event, make_forum, make_staff, make_user

HEAVY = ("alembic", "flask_migrate", "mako", "icalendar", "docx", "openpyxl", "PIL", "segno", "huey", "typst",
         "pyuca", "unidecode")
API = ("flask_smorest", "marshmallow", "apispec", "webargs")

WORKER = textwrap.dedent("""
    import json, sys
    from eventsite import create_app
    app = create_app({"SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests", "DATABASE_URL": sys.argv[1],
                      "SERVER_NAME": None})
    client = app.test_client()
    statuses = [client.get(path).status_code for path in sys.argv[2:]]
    print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
""")


def serve_in_fresh_process(database_url, *paths):
    output = subprocess.run([sys.executable, "-c", WORKER, database_url, *paths], check=True, capture_output=True,
                            text=True, timeout=120).stdout
    return json.loads(output.splitlines()[-1])


def test_event_and_programme_pages_load_no_heavy_module(ctx, database_url):
    forum = make_forum()
    event = make_event(forum, status=Status.PUBLISHED)
    db.session.commit()
    worker = serve_in_fresh_process(database_url, f"/events/{event.slug}", f"/forums/{forum.slug}", "/")
    assert worker["statuses"] == [200, 200, 200]
    loaded = {name.split(".")[0] for name in worker["modules"]}
    assert loaded.isdisjoint(HEAVY + API), sorted(loaded.intersection(HEAVY + API))
    assert "eventsite.core.charts" not in worker["modules"]  # drawn only when a dashboard is asked for


def test_the_api_loads_its_libraries_with_the_first_api_request(ctx, database_url):
    forum = make_forum()
    make_event(forum, status=Status.PUBLISHED)
    db.session.commit()
    worker = serve_in_fresh_process(database_url, f"/api/v1/events?forum={forum.slug}")
    assert worker["statuses"] == [200]
    assert set(API) <= {name.split(".")[0] for name in worker["modules"]}


def test_migrations_and_feeds_still_load_what_they_need(ctx, database_url):
    forum = make_forum()
    make_event(forum, status=Status.PUBLISHED)
    db.session.commit()
    worker = serve_in_fresh_process(database_url, f"/forums/{forum.slug}.ics")
    assert worker["statuses"] == [200]
    assert "icalendar" in worker["modules"]
    heads = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "heads"], check=True,
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "DATABASE_URL": database_url,
                                "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests"}).stdout
    assert "(head)" in heads


def test_a_pdf_is_typeset_outside_the_web_worker_which_never_loads_typst(ctx, database_url):
    event = make_event(make_forum(), status=Status.PUBLISHED)
    db.session.commit()
    worker = serve_in_fresh_process(database_url, f"/events/{event.slug}/concept-note.pdf")
    assert worker["statuses"] == [200]
    assert "typst" not in {name.split(".")[0] for name in worker["modules"]}


def test_form_messages_follow_each_request_language_with_cached_catalogues(client):
    client.get("/language?lang=fr&next=/")
    assert "Ce champ est requis." in client.post("/account/signup", data={"email": "a@example.org"}).data.decode()
    client.get("/language?lang=en&next=/")
    page = client.post("/account/signup", data={"email": "a@example.org"}).data.decode()
    assert "This field is required." in page and "Ce champ est requis." not in page


def test_rate_limited_posts_start_no_thread_and_expired_counters_are_dropped(client, ctx, monkeypatch):
    import threading
    from eventsite.extensions import SweepingMemoryStorage, limiter
    from tests.registrations.helpers import form_data, open_event
    _, event = open_event(capacity=100, anonymous=True)
    db.session.commit()
    client.post(f"/events/{event.slug}/register", data=form_data(event, email="first@example.org"))
    threads = threading.active_count()
    for n in range(10):
        client.post(f"/events/{event.slug}/register", data=form_data(event, email=f"person{n}@example.org"))
    assert threading.active_count() == threads  # the library's storage starts a sweeping thread per request
    storage = limiter.storage
    assert isinstance(storage, SweepingMemoryStorage)
    assert len(storage.events) >= 11  # a counter per address
    monkeypatch.setattr("time.time", lambda: 10 ** 10)  # every window has passed
    storage._next_sweep = 0
    client.post(f"/events/{event.slug}/register", data=form_data(event, email="late@example.org"))
    assert len(storage.events) <= 2  # only the counters of this last request remain


POSTING_WORKER = textwrap.dedent("""
    import json, sys
    from eventsite import create_app
    app = create_app({"SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests", "DATABASE_URL": sys.argv[1],
                      "SERVER_NAME": None, "WTF_CSRF_ENABLED": False, "JOBS_URL": sys.argv[2]})
    path, form, user_id = sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
    anonymous, signed_in = app.test_client(), app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    statuses = [anonymous.get(path).status_code, anonymous.post(path, data=form).status_code,
                signed_in.post(path, data=form).status_code]
    print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
""")


def test_the_registration_form_and_its_post_render_no_mail_and_load_no_heavy_module(ctx, database_url, tmp_path):
    from eventsite.core.mail import OutboxMessage, render_waiting
    from tests.registrations.helpers import form_data, open_event
    _, event = open_event(anonymous=True, capacity=10)
    member = make_user("member@example.org")  # a proven address: confirmed at once, with the event's .ics
    db.session.commit()
    form = form_data(event, email="guest@example.org")
    output = subprocess.run([sys.executable, "-c", POSTING_WORKER, database_url, f"sqlite:///{tmp_path / 'jobs.sqlite'}",
                             f"/events/{event.slug}/register", json.dumps(form), member.get_id()],
                            check=True, capture_output=True, text=True, timeout=120).stdout
    worker = json.loads(output.splitlines()[-1])
    assert worker["statuses"] == [200, 302, 302]
    loaded = {name.split(".")[0] for name in worker["modules"]}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))  # the country list comes in its shipped order
    db.session.expire_all()
    assert render_waiting() == 2  # the sending worker renders both, the member's with its calendar
    messages = {m.recipient: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert messages["guest@example.org"].subject.startswith("Confirm your e-mail address")
    assert messages["member@example.org"].subject.startswith("Registration confirmed")
    assert [a.filename for a in messages["member@example.org"].attachments] == [f"{event.slug}.ics"]


def test_the_shipped_country_order_is_the_collated_one_in_every_language(app):
    from eventsite.core.labels import _shipped_order, collated_country_codes
    shipped = _shipped_order()
    assert sorted(shipped) == sorted(app.config["LANGUAGES"])
    for language, codes in shipped.items():
        assert codes == collated_country_codes(language), f"run python -m eventsite.core.labels ({language})"


def test_a_dashboard_draws_its_charts_in_the_worker_and_its_png_outside_it(ctx, database_url):
    staff = make_staff()
    forum = make_forum(staff=staff)
    make_event(forum, status=Status.PUBLISHED)
    db.session.commit()
    output = subprocess.run([sys.executable, "-c", POSTING_WORKER.replace("signed_in.post(path, data=form)",
                                                                          "signed_in.get(path + '/rooms.png')")
                             .replace("anonymous.post(path, data=form)", "signed_in.get(path)"),
                             database_url, "immediate", f"/forums/{forum.slug}/dashboard", "{}", staff.get_id()],
                            check=True, capture_output=True, text=True, timeout=120).stdout
    worker = json.loads(output.splitlines()[-1])
    assert worker["statuses"] == [302, 200, 200]  # anonymous: sign in first
    assert "eventsite.core.charts" in worker["modules"]
    assert {name.split(".")[0] for name in worker["modules"]}.isdisjoint(HEAVY)  # Typst draws the PNG in a child
