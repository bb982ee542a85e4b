"""A database outage answers 503 with a page that says nothing was saved, and the site recovers by itself."""
import glob
import os
import shutil
import subprocess
import tempfile

import pytest

from eventsite import create_app
from eventsite.extensions import db
from tests.conftest import make_test_config
from tests.factories import make_forum

UNAVAILABLE = "Nothing you sent was saved"


def _pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


class ThrowAwayPostgres:
    """A PostgreSQL cluster of the test's own, on a unix socket only, that the test may stop and start."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = tempfile.mkdtemp(prefix="eventsite-pg-")
        os.chmod(self.dir, 0o777)
        self.data = os.path.join(self.dir, "data")
        self._run(f"{self.bin}/initdb -D {self.data} -A trust -U postgres")
        self.start()
        self._run(f"{self.bin}/createdb -h {self.dir} -U postgres outage")
        self.url = f"postgresql+psycopg://postgres@/outage?host={self.dir}"

    def _run(self, command):
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["su", "postgres", "-s", "/bin/sh", "-c", command]
        else:
            command = ["/bin/sh", "-c", command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    def start(self):
        self._run(f"{self.bin}/pg_ctl -D {self.data} -l {self.dir}/log -w "
                  f"-o \"-k {self.dir} -c listen_addresses='' -c fsync=off\" start")

    def stop(self):
        self._run(f"{self.bin}/pg_ctl -D {self.data} -m immediate -w stop")

    def remove(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    if _pg_bin() is None:
        pytest.skip("PostgreSQL binaries are not installed")
    cluster = ThrowAwayPostgres()
    yield cluster
    cluster.remove()


def _assert_unavailable(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.data.decode()
    assert UNAVAILABLE in page and "<html" in page


def test_postgres_stopped_mid_session_gives_503_then_the_first_request_after_it_returns_works(throwaway_postgres,
                                                                                                 tmp_path):
    app = create_app(make_test_config(throwaway_postgres.url, tmp_path))
    with app.app_context():
        db.create_all()
        make_forum(name="Ocean Forum")
        db.session.commit()
    client = app.test_client()
    assert client.get("/").status_code == 200

    throwaway_postgres.stop()
    _assert_unavailable(client.get("/"))
    _assert_unavailable(client.post("/account/signup", data={
        "email": "amina@example.org", "name": "Amina Haddad",
        "password": "correct-horse-battery", "confirm": "correct-horse-battery"}))

    throwaway_postgres.start()
    response = client.get("/")
    assert response.status_code == 200 and "Ocean Forum" in response.data.decode()
    with app.app_context():
        db.engine.dispose()


def test_an_unreachable_sqlite_database_gives_503_not_a_bare_error(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path}/missing/dir/eventsite.sqlite", tmp_path))
    client = app.test_client()
    _assert_unavailable(client.get("/"))
    _assert_unavailable(client.post("/account/login", data={"email": "a@example.org", "password": "x"}))


def test_a_broken_rule_in_the_database_is_still_a_500_not_a_503(tmp_path):
    from sqlalchemy.exc import IntegrityError
    app = create_app(make_test_config(f"sqlite:///{tmp_path}/eventsite.sqlite", tmp_path))

    def clash():
        raise IntegrityError("INSERT INTO registrations", {}, Exception("UNIQUE constraint failed"))
    app.add_url_rule("/clash", view_func=clash)
    response = app.test_client().get("/clash")
    assert response.status_code == 500 and "Retry-After" not in response.headers
