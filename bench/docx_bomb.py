#!/usr/bin/env python3
"""How fast, and in how little memory, a Word bomb is refused (issue 11: under 1 s, under 100 MB).

    .venv/bin/python bench/docx_bomb.py [--runs 5]

Builds the bomb of the issue (a ~330 KB .docx whose document.xml unpacks to about 100 MB: 3 million
paragraphs), uploads it to the concept-note import of an event on a throw-away SQLite database
through the real view (Flask's test client), and prints the median and slowest refusal time, the
peak of Python allocations during one refusal (tracemalloc) and the process's peak resident memory
(VmHWM) before and after, so the growth the upload caused is plain.
"""
import argparse
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(runs: int) -> None:
    from eventsite import create_app
    from eventsite.extensions import db
    from tests.factories import make_event, make_forum, make_user
    from tests.security.test_hardening import make_docx

    bomb = make_docx(3_000_000)
    workdir = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-long-enough-for-this-run",
                      "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.test_request_context():
        db.create_all()
        organiser = make_user("organiser@example.org")
        event = make_event(make_forum(), organiser=organiser, concept_note=False)
        db.session.commit()
        slug = event.slug
    client = app.test_client()
    client.post("/account/login", data={"email": "organiser@example.org", "password": "correct-horse-battery"})

    def upload(data: bytes):
        return client.post(f"/events/{slug}/concept-note/import", data={"file": (io.BytesIO(data), "note.docx")},
                           content_type="multipart/form-data")

    upload(make_docx(3))  # warm up: imports, templates and translations load once
    before = peak_rss_mib()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = upload(bomb)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 422, response.status_code
    after = peak_rss_mib()
    tracemalloc.start()
    upload(bomb)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"bomb {len(bomb) // 1024} KB (unpacks to about 100 MB), {runs} uploads: refused (422) in median "
          f"{statistics.median(timings):.3f} s, slowest {max(timings):.3f} s; Python allocations peak "
          f"{traced_peak:.1f} MiB in one refusal; process peak RSS {before:.0f} MiB before, {after:.0f} MiB after")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    main(parser.parse_args().runs)
