#!/usr/bin/env python3
"""How long a PDF export takes, through the real view, and what the first one costs a fresh worker.

    .venv/bin/python bench/pdf_timing.py [--runs 20]

Loads the demo into a throw-away SQLite database, adds a summary in Arabic and one in Chinese, and
times each PDF download with Flask's test client (view, queries, and the Typst child process that
starts, reads the fonts and typesets; no network): the first request of a fresh process, then the
median and the slowest of --runs more, with the worker's resident memory after them. Also the
outcome report of a forum of 50 published summaries. The target is under 2 s for a summary.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUTCOME_EVENTS = 50


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    from eventsite import create_app
    from eventsite.events.models import Event, Status
    from eventsite.extensions import db
    from eventsite.summaries import services
    from eventsite.summaries.models import SummaryStatus
    from tests.factories import make_event, make_forum, make_user
    from tests.pdf_reading import SIX_LANGUAGES

    folder = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    app = create_app({"SECRET_KEY": "bench-secret-key-that-is-long-enough-for-this", "SERVER_NAME": None,
                      "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}", "JOBS_URL": "immediate",
                      "MAIL_BACKEND": "console", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.test_request_context():
        for lang in ("ar", "zh"):
            title, organiser, background, issues, recommendations = SIX_LANGUAGES[lang]
            author = make_user()
            event = make_event(make_forum(), organiser=author, title=title, status=Status.HELD, concept_note=False)
            summary = services.save(event, {"header": {"title": title, "organisers": [organiser]}, "sections": {
                "background": [background] * 2, "key_issues": issues * 3, "recommendations": recommendations * 3}},
                user=author, base_revision=0)
            summary.status = SummaryStatus.PUBLISHED
            db.session.commit()
        demo = db.session.scalar(db.select(Event).where(Event.slug == "from-divide-to-synergy"))
        content = services.content_of(demo.summary, demo)
        forum, author = make_forum(name="Outcome bench forum"), make_user()
        for number in range(OUTCOME_EVENTS):
            event = make_event(forum, organiser=author, status=Status.HELD, concept_note=False, room=None)
            services.save(event, content, user=author, base_revision=0).status = SummaryStatus.PUBLISHED
        db.session.commit()
        outcome_forum = forum.slug
        slugs = {lang: db.session.scalar(db.select(Event.slug).where(Event.title == SIX_LANGUAGES[lang][0]))
                 for lang in ("ar", "zh")}
    client = app.test_client()
    client.post("/account/login", data={"email": "staff@demo.eventsite.org", "password": "eventsite-demo"})
    exports = [("summary, English (demo, 2 pages)", "/events/from-divide-to-synergy/summary.pdf"),
               ("summary, Arabic", f"/events/{slugs['ar']}/summary.pdf"),
               ("summary, Chinese", f"/events/{slugs['zh']}/summary.pdf"),
               ("concept note, English (demo)", "/events/high-level-meeting-international-cooperation-ai/concept-note.pdf"),
               (f"outcome report, {OUTCOME_EVENTS} summaries", f"/forums/{outcome_forum}/outcome.pdf")]

    before = rss_mib()
    start = time.perf_counter()
    first = client.get(exports[0][1])
    first_seconds = time.perf_counter() - start
    assert first.status_code == 200 and first.mimetype == "application/pdf", first.status_code
    print(f"first PDF of a fresh worker: {first_seconds * 1000:.0f} ms; worker RSS {before:.1f} -> {rss_mib():.1f} MiB")
    print(f"{'export':38} {'median':>8} {'slowest':>8} {'worker':>8} {'PDF':>8}   ({runs} runs each)")
    for name, url in exports:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:38} {statistics.median(times) * 1000:6.0f} ms {max(times) * 1000:6.0f} ms {rss_mib():4.0f} MiB "
              f"{len(response.data) / 1024:4.0f} KiB")
    print(f"worker RSS after all: {rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
