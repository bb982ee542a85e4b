#!/usr/bin/env python3
"""Eventsite on the shared forum workload, measured beside its floors in one run.

    make bench            (or: .venv/bin/python bench/forum_bench.py [--seconds 15])

Loads ../shared/bench's workload (200 events x 6 agenda items x 5 speakers x 100
registrants) into a fresh SQLite database and into a throw-away PostgreSQL cluster (unix
socket only, as .ci/run starts one), then measures on this machine, now:

* the forum feed (and the feed with its 1,200 agenda items) built from the database,
  against floor_ical.py: the icalendar library alone serialising the same events;
* the same feed over HTTP when cached, and a conditional request that gets a 304;
* the event page, the programme page, the API's programme list and a registration POST under gunicorn with
  4 sync workers (wrk -t2 -c8, after a 2 s warm-up), against the bare Flask "hello world"
  under the same server with as many workers;
* the resident memory of each worker after the load;
* the same on PostgreSQL;
* at --scale 10 (2,000 events, 200,000 registrants, SQLite): an event page, a registration
  POST, the 304 and the whole-forum pages, each relative to scale 1.

It prints ratios, which hold across machines better than absolute numbers, the load average
beside each part (a busy machine shows), and at the end one table of every figure for the README.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = {  # from ../shared/bench/README.md: the same workload on Indico 3.3.14 and pretalx 2026.2.1
    "event page vs hello world": ("153x slower", "148-190x slower"),
    "programme page vs hello world": ("198x slower", "130-135x slower"),
    "registration POST vs hello world": ("135x slower", "—"),
    "forum feed (200 events) vs floor": ("3.2x", "—"),
    "feed with 1,200 agenda items vs floor": ("~54x (200 requests)", "4.3-6.4x"),
    "memory per worker": ("~283 MiB", "~237 MiB"),
}


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs).stdout


def median_seconds(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepare_database(workdir: Path, shared: Path, database_url: str | None = None, scale: int = 1):
    workload_file = workdir / f"workload-{scale}.json"
    run([sys.executable, str(shared / "forum_workload.py"), str(workload_file), "--scale", str(scale)])
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / f'bench-{scale}.sqlite'}"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdef0123456789")
    from flask_migrate import upgrade
    from eventsite import create_app
    from eventsite.demo.workload import load_workload
    from eventsite.extensions import db
    app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"]})
    with app.app_context():
        upgrade()
        forum = load_workload(json.loads(workload_file.read_text()))
        db.session.commit()
        slug = forum.slug
    return app, workload_file, slug


def feed_build_times(app, slug, runs):
    from eventsite.extensions import db
    from eventsite.feeds import queries
    from eventsite.feeds.calendar import build_calendar, current_site
    result = {}
    with app.test_request_context():
        forum = queries.forum_head(slug)
        for label, with_agenda in (("parents", False), ("agenda", True)):
            def build():
                db.session.expire_all()
                build_calendar(queries.feed_snapshot(queries.forum_condition(forum.id)), current_site(),
                               name=forum.name, with_agenda=with_agenda)
            result[label] = median_seconds(build, runs)
    return result


def floor_times(shared, workload_file, runs):
    parents = json.loads(run([sys.executable, str(shared / "floor_ical.py"), str(workload_file), "--runs", str(runs),
                              "--parents-only"]))
    agenda = json.loads(run([sys.executable, str(shared / "floor_ical.py"), str(workload_file), "--runs", str(runs)]))
    return {"parents": parents["build_and_serialize_median_s"], "agenda": agenda["build_and_serialize_median_s"]}


class Server:
    def __init__(self, name, app_spec, port, cwd, env=None, workers=2):
        self.name, self.port = name, port
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", app_spec], cwd=cwd, env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{name} did not start")

    def worker_memory_mib(self, field: str) -> list[float]:
        """Each worker's RSS (all its resident pages) or PSS (shared pages split between sharers)."""
        pids = run(["ps", "--ppid", str(self.process.pid), "-o", "pid="]).split()
        return [int(Path(f"/proc/{pid}/smaps_rollup").read_text().split(f"{field}:")[1].split()[0]) / 1024
                for pid in pids]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


WARNINGS: list[str] = []
CURRENT = ["—"]  # the part being measured, for the warnings


def wrk(url, seconds, script=None):
    """Requests per second over seconds, after a short warm-up (each worker's first requests load
    templates, forms and catalogues). Errors are reported with the figures rather than ending the run."""
    base = ["wrk", "-t2", "-c8", "--timeout", "10s", "--latency"] + (["-s", script] if script else [])
    run(base + ["-d2s", url])  # warm-up, not counted
    output = run(base + [f"-d{seconds}s", url])
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    statuses = re.findall(r"not redirected: \d+, last status \d+", output)
    if errors or socket_errors:
        if statuses:
            WARNINGS.append(f"{CURRENT[0]}: registration POSTs " + "; ".join(statuses))
            return rate
        try:
            status = urllib.request.urlopen(url, timeout=30).status
        except urllib.error.HTTPError as error:
            status = f"{error.code} {error.read()[:200]!r}"
        except OSError as error:
            status = repr(error)
        WARNINGS.append(f"{CURRENT[0]}: wrk saw errors on {url}: "
                        + "; ".join(m.group(0) for m in (errors, socket_errors) if m)
                        + f" (a GET after it: {status})")
    return rate


def timed_get(port, path, headers=None, runs=20):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    status, times, size, etag = None, [], 0, None
    for n in range(runs + 2):
        start = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        if n >= 2:
            times.append(time.perf_counter() - start)
        status, size, etag = response.status, len(body), response.getheader("ETag")
    return statistics.median(times), status, size, etag


BENCH_STAFF = ("bench-staff@example.org", "bench-staff-password-0123")


def dashboard_compute_time(app, slug, runs):
    """The forum dashboard's figures counted afresh (its cache emptied each time), in-process, and the statements
    it takes; a staff account for the HTTP part."""
    from sqlalchemy import event as sa_event
    from eventsite.accounts.services import create_user
    from eventsite.dashboards import services
    from eventsite.events.queries import forum_by_slug
    from eventsite.extensions import db
    with app.test_request_context():
        if db.session.scalar(db.text("SELECT count(*) FROM users WHERE email = :e"), {"e": BENCH_STAFF[0]}) == 0:
            create_user(email=BENCH_STAFF[0], name="Bench Staff", password=BENCH_STAFF[1], is_staff=True,
                        verified=True, hash_method="pbkdf2:sha256:1000")
            db.session.commit()
        forum = forum_by_slug(slug)
        statements = []

        def build():
            services._cache.clear()
            db.session.expire_all()
            services.forum_dashboard(forum, services.forum_figures(forum, summary_due_days=2))
        sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        build()
        count = len(statements)
        return {"seconds": median_seconds(build, max(3, runs // 3)), "statements": count}


def staff_cookie(port: int) -> str:
    """A signed-in staff session's cookie, for the dashboard."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar)
    page = opener.open(f"http://127.0.0.1:{port}/account/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": BENCH_STAFF[0], "password": BENCH_STAFF[1]})
    opener.open(f"http://127.0.0.1:{port}/account/login", data=body.encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar.cookiejar)


def registration_script(workdir: Path, port: int, event_slug: str) -> str:
    """A wrk script POSTing the registration form with a fresh e-mail each time, as one session."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(f"http://127.0.0.1:{port}/events/{event_slug}/register").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in opener.handlers[-1].cookiejar) \
        if hasattr(opener.handlers[-1], "cookiejar") else ""
    for handler in opener.handlers:
        if isinstance(handler, urllib.request.HTTPCookieProcessor):
            cookie = "; ".join(f"{c.name}={c.value}" for c in handler.cookiejar)
    script = workdir / "register.lua"
    script.write_text(f"""
local thread_count = 0
local threads = {{}}
function setup(thread) thread_count = thread_count + 1; thread:set("id", thread_count); table.insert(threads, thread) end
function init(args) counter = 0; run = os.time(); other = 0; last = 0 end  -- warm-up and run use other addresses
function response(status, headers, body) if status ~= 302 then other = other + 1; last = status end end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("other") > 0 then io.write("not redirected: " .. thread:get("other") .. ", last status " .. thread:get("last") .. "\\n") end
  end
end
function request()
  counter = counter + 1
  local body = "csrf_token={token}&name=Bench+Participant&organisation=UN+DESA&category=un_system" ..
               "&email=bench-" .. run .. "-" .. id .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/events/{event_slug}/register",
                    {{["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "{cookie}"}}, body)
end
""")
    return str(script)


class PostgreSQL:
    """A throw-away cluster on a unix socket only, started and stopped as .ci/run does."""

    def __init__(self):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="eventsite-bench-pg-"))
        self._as_root(["chown", "postgres", str(self.dir)])
        self._as_pg(f"{self.bin}/initdb -D {self.dir}/data -A trust -U postgres >/dev/null")
        self._as_pg(f"{self.bin}/pg_ctl -D {self.dir}/data -l {self.dir}/log -o \"-k {self.dir} "
                    f"-c listen_addresses='' -c fsync=off\" -w start >/dev/null")

    def _as_root(self, cmd):
        subprocess.run(cmd if os.geteuid() == 0 else ["sudo", *cmd], check=True)

    def _as_pg(self, command):
        self._as_root(["su", "postgres", "-s", "/bin/bash", "-c", command])

    def database(self, name) -> str:
        self._as_pg(f"{self.bin}/createdb -h {self.dir} {name}")
        return f"postgresql+psycopg://postgres@/{name}?host={self.dir}"

    def stop(self):
        self._as_pg(f"{self.bin}/pg_ctl -D {self.dir}/data -m fast -w stop >/dev/null")
        self._as_root(["rm", "-rf", str(self.dir)])


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("Installing wrk (Debian package) …", flush=True)
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)


def measure_site(label, database_url, workdir, shared, args, workers, scale=1, hello=None):
    """Load the workload into one database and measure the site under gunicorn beside the floor."""
    print(f"[{label}] loading the workload (scale {scale}) …", flush=True)
    CURRENT[0] = label
    app, workload_file, slug = prepare_database(workdir, shared, database_url, scale)
    database_url = os.environ["DATABASE_URL"]  # SQLite: the file prepare_database chose
    result = {"workers": workers, "load_before": os.getloadavg()}
    if scale == 1:
        print(f"[{label}] timing feed builds in-process, three consecutive runs …", flush=True)
        result["feeds"] = [(feed_build_times(app, slug, args.runs), floor_times(shared, workload_file, args.runs))
                           for _ in range(3)]
    result["dashboard_compute"] = dashboard_compute_time(app, slug, args.runs)
    with app.app_context():
        from eventsite.extensions import db
        db.engine.dispose()
    env = {"DATABASE_URL": database_url, "SECRET_KEY": os.environ["SECRET_KEY"], "MAIL_BACKEND": "console"}
    site = Server("eventsite", "wsgi:app", args.port, ROOT, env, workers=workers)
    own_hello = hello is None
    hello = hello or Server("hello world", "floor_hello_wsgi:application", args.port + 1, shared, workers=workers)
    try:
        feed_path = f"/forums/{slug}.ics"
        result["feed_http"], status, result["feed_size"], etag = timed_get(args.port, feed_path)
        result["conditional"], status_304, _, _ = timed_get(args.port, feed_path, {"If-None-Match": etag})
        assert status == 200 and status_304 == 304, (status, status_304)
        print(f"[{label}] load with wrk …", flush=True)
        result["hello"] = wrk(f"http://127.0.0.1:{hello.port}/", args.seconds)
        event_slug = f"{slug}-se001"
        result["event"] = wrk(f"http://127.0.0.1:{args.port}/events/{event_slug}", args.seconds)
        result["programme"] = wrk(f"http://127.0.0.1:{args.port}/forums/{slug}", args.seconds)
        api_path = f"/api/v1/events?forum={slug}&limit=200"
        result["api_http"], status, result["api_size"], etag = timed_get(args.port, api_path)
        result["api_304"], status_304, _, _ = timed_get(args.port, api_path, {"If-None-Match": etag})
        assert status == 200 and status_304 == 304, (status, status_304)
        result["api"] = wrk(f"http://127.0.0.1:{args.port}{api_path}", args.seconds)
        cookie = {"Cookie": staff_cookie(args.port)}
        dashboard_path = f"/forums/{slug}/dashboard"
        result["dashboard_http"], status, result["dashboard_size"], etag = timed_get(args.port, dashboard_path, cookie)
        result["dashboard_304"], status_304, _, _ = timed_get(args.port, dashboard_path, {**cookie, "If-None-Match": etag})
        assert status == 200 and status_304 == 304, (status, status_304)
        result["register"] = wrk(f"http://127.0.0.1:{args.port}/events/{event_slug}/register", args.seconds,
                                 registration_script(workdir, args.port, event_slug))
        result["rss"], result["pss"] = site.worker_memory_mib("Rss"), site.worker_memory_mib("Pss")
        result["hello_rss"] = hello.worker_memory_mib("Rss")
        result["load_after"] = os.getloadavg()
    finally:
        site.stop()
        if own_hello:
            hello.stop()
    return result


def _load(r):
    return f"{r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after (1-minute, {os.cpu_count()} cores)"


def ratio(value, floor):
    return f"{value:.0f} vs {floor:.0f} req/s = {value / floor:.1%} ({floor / value:.0f}x slower)"


def report(label, r):
    h = r["hello"]
    print()
    print(f"== {label}, gunicorn {r['workers']} sync workers, hello world under the same server; "
          f"load average {_load(r)}")
    print(f"{'metric':<40} {'Eventsite (this run)':<50} {'target':<9} {'Indico 3.3':<22} pretalx 2026.2")
    rows = [("event page vs hello world", ratio(r["event"], h), "≥ 20%"),
            ("programme page vs hello world", ratio(r["programme"], h), "—"),
            ("API programme list (200 events) vs hello", ratio(r["api"], h), "—"),
            ("registration POST vs hello world", ratio(r["register"], h), "≥ 10%")]
    for n, (ours, floor) in enumerate(r["feeds"], 1):
        rows.append(("forum feed (200 events) vs floor" + ("" if n == 1 else f" #{n}"),
                     f"{ours['parents'] * 1000:.0f} vs {floor['parents'] * 1000:.0f} ms = "
                     f"{ours['parents'] / floor['parents']:.2f}x", "≤ 1.5x"))
    for n, (ours, floor) in enumerate(r["feeds"], 1):
        rows.append(("feed with 1,200 agenda items vs floor" + ("" if n == 1 else f" #{n}"),
                     f"{ours['agenda'] * 1000:.0f} vs {floor['agenda'] * 1000:.0f} ms = "
                     f"{ours['agenda'] / floor['agenda']:.2f}x", "≤ 1.5x"))
    rows.append(("memory per worker", f"{max(r['rss']):.0f} MiB RSS, {max(r['pss']):.0f} MiB PSS "
                                      f"(hello world {max(r['hello_rss']):.0f} MiB RSS)", "≤ 64 MiB"))
    for metric, value, target in rows:
        indico, pretalx = REFERENCE.get(metric.split(" #")[0], ("", ""))
        print(f"{metric:<40} {value:<50} {target:<9} {indico:<22} {pretalx}")
    print(f"{'304 for an unchanged API list':<40} {r['api_304'] * 1000:.1f} ms; a full response from the "
          f"worker's cache: {r['api_http'] * 1000:.1f} ms ({r['api_size'] // 1024} KiB)")
    d = r["dashboard_compute"]
    print(f"{'forum dashboard':<40} counted afresh in-process {d['seconds'] * 1000:.0f} ms in {d['statements']} "
          f"statements; from the worker's cache {r['dashboard_http'] * 1000:.1f} ms "
          f"({r['dashboard_size'] // 1024} KiB); 304 {r['dashboard_304'] * 1000:.1f} ms")
    print(f"{'304 for an unchanged forum feed':<40} {r['conditional'] * 1000:.1f} ms; a full response from the "
          f"worker's cache: {r['feed_http'] * 1000:.1f} ms ({r['feed_size'] // 1024} KiB)")


def growth(one, ten) -> dict:
    """What a page costs at scale 10 over what it costs at scale 1, each against its own hello-world run."""
    cost = {key: (ten["hello"] / ten[key]) / (one["hello"] / one[key]) for key in ("event", "register", "programme")}
    return {**cost, "conditional": ten["conditional"] / one["conditional"], "feed_http": ten["feed_http"] / one["feed_http"],
            "feed_sizes": (one["feed_size"] // 1024, ten["feed_size"] // 1024)}


GROWTH_ROWS = (("event", "event page", "≤ 1.2x"), ("register", "registration POST", "≤ 1.2x"),
               ("conditional", "304 for the forum feed", "≤ 1.2x"),
               ("programme", "programme page (whole forum)", "≤ 10x"),
               ("feed_http", "full forum feed from cache", "≤ 10x"))


def report_growth(label, one, ten):
    g = growth(one, ten)
    print()
    print(f"== {label}: cost at --scale 10 (2,000 events, 200,000 registrations) relative to scale 1, "
          f"each against its own hello-world run; load average {_load(ten)}")
    for key, name, target in GROWTH_ROWS:
        print(f"{name:<40} {g[key]:.2f}x  (target {target})")
    print(f"{'forum feed size':<40} {g['feed_sizes'][0]} → {g['feed_sizes'][1]} KiB (the forum grew 10x)")
    one_d, ten_d = one["dashboard_compute"], ten["dashboard_compute"]
    print(f"{'forum dashboard counted afresh':<40} {one_d['seconds'] * 1000:.0f} → {ten_d['seconds'] * 1000:.0f} ms, "
          f"{one_d['statements']} → {ten_d['statements']} statements; from the worker's cache "
          f"{one['dashboard_http'] * 1000:.0f} → {ten['dashboard_http'] * 1000:.0f} ms; 304 "
          f"{one['dashboard_304'] * 1000:.1f} → {ten['dashboard_304'] * 1000:.1f} ms")
    return g


def markdown_table(results: dict, grown: dict | None) -> str:
    """Every figure of the run in one table, to paste into the README."""
    labels = list(results)
    head = ["metric"] + [f"{label}, {results[label]['workers']} workers" for label in labels] + \
        ["target", "Indico 3.3", "pretalx 2026.2"]
    rows = []

    def row(metric, values, target, reference=""):
        indico, pretalx = REFERENCE.get(reference, ("", ""))
        rows.append([metric, *values, target, indico, pretalx])

    for key, metric, target, reference in (
            ("event", "event page vs hello world", "≥ 20%", "event page vs hello world"),
            ("programme", "programme page (200 events) vs hello world", "—", "programme page vs hello world"),
            ("api", "API programme list (200 events, `/api/v1/events`) vs hello world", "—", ""),
            ("register", "registration POST vs hello world", "≥ 10%", "registration POST vs hello world")):
        row(metric, [f"{r[key]:.0f} vs {r['hello']:.0f} req/s = **{r[key] / r['hello']:.1%}**"
                     for r in results.values()], target, reference)
    for part, metric, reference in (
            ("parents", "forum feed, 200 events, vs `floor_ical.py --parents-only`, three runs",
             "forum feed (200 events) vs floor"),
            ("agenda", "feed with the 1,200 agenda items vs `floor_ical.py`, three runs",
             "feed with 1,200 agenda items vs floor")):
        row(metric, ["**" + ", ".join(f"{ours[part] / floor[part]:.2f}x" for ours, floor in r["feeds"]) + "**"
                     for r in results.values()], "≤ 1.5x", reference)
    row("304 for an unchanged API list (200 events)",
        [f"{r['api_304'] * 1000:.1f} ms (full response from the worker's cache {r['api_http'] * 1000:.0f} ms, "
         f"{r['api_size'] // 1024} KiB)" for r in results.values()], "small")
    row("304 for an unchanged forum feed",
        [f"{r['conditional'] * 1000:.1f} ms (full response from the worker's cache {r['feed_http'] * 1000:.0f} ms, "
         f"{r['feed_size'] // 1024} KiB)" for r in results.values()], "small")
    row("forum dashboard (staff): counted afresh in-process / rendered from the worker's cache / 304",
        [f"{r['dashboard_compute']['seconds'] * 1000:.0f} ms in {r['dashboard_compute']['statements']} statements / "
         f"{r['dashboard_http'] * 1000:.0f} ms ({r['dashboard_size'] // 1024} KiB) / {r['dashboard_304'] * 1000:.1f} ms"
         for r in results.values()], "constant statements")
    row("memory per worker after the load",
        [f"**{max(r['rss']):.0f} MiB RSS**, {max(r['pss']):.0f} MiB PSS (hello world {max(r['hello_rss']):.0f})"
         for r in results.values()], "≤ 64 MiB", "memory per worker")
    if grown:
        for key, name, target in GROWTH_ROWS:
            row(f"scale 10 vs scale 1: {name}", [f"{grown[key]:.2f}x" if label == "SQLite" else "—"
                                                  for label in labels], target)
    row("load average during the run (1-minute)", [f"{r['load_before'][0]:.1f} → {r['load_after'][0]:.1f}"
                                                   for r in results.values()], "quiet")
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "bench"), help="the shared bench folder")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--runs", type=int, default=9, help="runs per in-process timing (median)")
    parser.add_argument("--port", type=int, default=18080, help="the site's port; the floor uses the next one")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which databases to measure")
    parser.add_argument("--no-scale-10", action="store_true", help="skip the scale-10 load (it takes minutes)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, for the site and the floor")
    args = parser.parse_args()
    shared = Path(args.shared).resolve()
    ensure_wrk()
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdef0123456789")
    workdir = Path(tempfile.mkdtemp(prefix="eventsite-bench-"))
    results, grown = {}, None
    try:
        if "sqlite" in args.databases:
            results["SQLite"] = measure_site("SQLite", None, workdir, shared, args, workers=args.workers)
            report("SQLite", results["SQLite"])
        if "postgresql" in args.databases:
            cluster = PostgreSQL()
            try:
                results["PostgreSQL"] = measure_site("PostgreSQL", cluster.database("bench"), workdir, shared,
                                                     args, workers=args.workers)
                report("PostgreSQL", results["PostgreSQL"])
            finally:
                cluster.stop()
        if "sqlite" in args.databases and not args.no_scale_10:  # last: loading 200,000 registrations takes minutes
            ten = measure_site("SQLite, scale 10", None, workdir, shared, args, workers=args.workers, scale=10)
            grown = report_growth("SQLite", results["SQLite"], ten)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if results:
        print()
        print(f"== All figures of this run (wrk {args.seconds} s per page, {args.runs} runs per feed timing), "
              "for the README")
        print(markdown_table(results, grown))
    for warning in WARNINGS:
        print(f"warning: {warning}")


if __name__ == "__main__":
    main()
