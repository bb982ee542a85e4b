"""Sign-in time for a known and an unknown address (issue 11: within 20% of each other).

Runs the real sign-in view through the test client on a throw-away SQLite database, with the
production hash method (scrypt unless PASSWORD_HASH_METHOD says otherwise) and rate limits
off, alternating known and unknown addresses so machine load hits both alike.
    .venv/bin/python bench/signin_timing.py [tries]
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eventsite import create_app
from eventsite.accounts.services import create_user
from eventsite.extensions import db


def main(tries: int = 50) -> None:
    workdir = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-long-enough-for-this-run",
                      "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    method = app.config["PASSWORD_HASH_METHOD"]
    with app.app_context():
        db.create_all()
        create_user(email="known@example.org", name="Known", password="the-right-password", hash_method=method)
        db.session.commit()
    client = app.test_client()
    timings = {"known": [], "unknown": []}
    for n in range(tries + 2):
        for kind in ("known", "unknown"):
            start = time.perf_counter()
            response = client.post("/account/login", data={"email": f"{kind}@example.org", "password": f"wrong-{n}"})
            elapsed = time.perf_counter() - start
            assert response.status_code == 200
            if n >= 2:  # the first tries warm up caches (and make the dummy hash once)
                timings[kind].append(elapsed * 1000)
    known, unknown = statistics.median(timings["known"]), statistics.median(timings["unknown"])
    print(f"{method}, {tries} tries each: known median {known:.1f} ms (mean {statistics.mean(timings['known']):.1f}), "
          f"unknown median {unknown:.1f} ms (mean {statistics.mean(timings['unknown']):.1f}), "
          f"ratio {unknown / known:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
