#!/usr/bin/env python3
"""Eventsite on the shared forum workload, measured beside its floors in one run.

    make bench            (or: .venv/bin/python bench/forum_bench.py [--seconds 15])

Loads ../shared/bench's workload (200 events x 6 agenda items x 5 speakers x 100
registrants) into a fresh SQLite database, then measures on this machine, now:

* the forum feed (and the feed with its 1,200 agenda items) built from the database,
  against floor_ical.py: the icalendar library alone serialising the same events;
* the same feed over HTTP when cached, and a conditional request that gets a 304;
* the event page, the programme page and a registration POST under gunicorn with
  2 sync workers (wrk -t2 -c8), against the bare Flask "hello world" under the same server;
* the resident memory of each worker after the load.

It prints ratios, which hold across machines better than absolute numbers.
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


def prepare_database(workdir: Path, shared: Path):
    workload_file = workdir / "workload.json"
    run([sys.executable, str(shared / "forum_workload.py"), str(workload_file)])
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite'}"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdef0123456789")
    from flask_migrate import upgrade
    from eventsite import create_app
    from eventsite.demo.workload import load_workload
    from eventsite.extensions import db
    app = create_app()
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
    def __init__(self, name, app_spec, port, cwd, env=None):
        self.name, self.port = name, port
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
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


def wrk(url, seconds, script=None):
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"] + (["-s", script] if script else []) + [url]
    output = run(cmd)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if errors or socket_errors:
        raise SystemExit(f"wrk saw errors on {url}:\n{output}")
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
function setup(thread) thread_count = thread_count + 1; thread:set("id", thread_count) end
function init(args) counter = 0 end
function request()
  counter = counter + 1
  local body = "csrf_token={token}&name=Bench+Participant&organisation=UN+DESA&category=un_system" ..
               "&email=bench-" .. id .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/events/{event_slug}/register",
                    {{["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "{cookie}"}}, body)
end
""")
    return str(script)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "bench"), help="the shared bench folder")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--runs", type=int, default=9, help="runs per in-process timing (median)")
    args = parser.parse_args()
    shared = Path(args.shared).resolve()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="eventsite-bench-"))
    print(f"Loading the workload into {workdir} …", flush=True)
    app, workload_file, slug = prepare_database(workdir, shared)

    print("Timing feed builds in-process …", flush=True)
    ours = feed_build_times(app, slug, args.runs)
    floor = floor_times(shared, workload_file, args.runs)

    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "SECRET_KEY": os.environ["SECRET_KEY"],
           "MAIL_BACKEND": "console", "MAIL_DELIVERY": "outbox"}
    hello = Server("hello world", "floor_hello_wsgi:application", 18081, shared)
    site = Server("eventsite", "wsgi:app", 18080, ROOT, env)
    results = {}
    try:
        feed_path = f"/forums/{slug}.ics"
        full, status, size, etag = timed_get(18080, feed_path)
        conditional, status_304, _, _ = timed_get(18080, feed_path, {"If-None-Match": etag})
        assert status == 200 and status_304 == 304, (status, status_304)
        print("Load with wrk …", flush=True)
        results["hello"] = wrk("http://127.0.0.1:18081/", args.seconds)
        event_slug = f"{slug}-se001"
        results["event"] = wrk(f"http://127.0.0.1:18080/events/{event_slug}", args.seconds)
        results["programme"] = wrk(f"http://127.0.0.1:18080/forums/{slug}", args.seconds)
        results["register"] = wrk(f"http://127.0.0.1:18080/events/{event_slug}/register", args.seconds,
                                  registration_script(workdir, 18080, event_slug))
        memory, shared_memory = site.worker_memory_mib("Rss"), site.worker_memory_mib("Pss")
        hello_memory = hello.worker_memory_mib("Rss")
    finally:
        site.stop()
        hello.stop()

    h = results["hello"]
    rows = [
        ("event page vs hello world", f"{results['event']:.0f} vs {h:.0f} req/s = {results['event'] / h:.0%} "
                                      f"({h / results['event']:.1f}x slower)", "≥ 20%"),
        ("programme page vs hello world", f"{results['programme']:.0f} req/s = {results['programme'] / h:.0%} "
                                          f"({h / results['programme']:.1f}x slower)", "—"),
        ("registration POST vs hello world", f"{results['register']:.0f} req/s = {results['register'] / h:.0%} "
                                             f"({h / results['register']:.1f}x slower)", "≥ 10%"),
        ("forum feed (200 events) vs floor", f"{ours['parents'] * 1000:.0f} vs {floor['parents'] * 1000:.0f} ms = "
                                             f"{ours['parents'] / floor['parents']:.2f}x", "≤ 1.5x"),
        ("feed with 1,200 agenda items vs floor", f"{ours['agenda'] * 1000:.0f} vs {floor['agenda'] * 1000:.0f} ms = "
                                                  f"{ours['agenda'] / floor['agenda']:.2f}x", "≤ 1.5x"),
        ("memory per worker", f"{max(memory):.0f} MiB RSS, {max(shared_memory):.0f} MiB PSS "
                              f"(hello world {max(hello_memory):.0f} MiB RSS)", "< 80 MiB"),
    ]
    print()
    print(f"{'metric':<40} {'Eventsite (this run)':<44} {'target':<9} {'Indico 3.3':<22} pretalx 2026.2")
    for metric, value, target in rows:
        indico, pretalx = REFERENCE[metric]
        print(f"{metric:<40} {value:<44} {target:<9} {indico:<22} {pretalx}")
    print(f"{'304 for an unchanged forum feed':<40} {conditional * 1000:.1f} ms = {conditional / ours['parents']:.1%} "
          f"of a full build ({ours['parents'] * 1000:.0f} ms); a full response from the worker's cache: "
          f"{full * 1000:.1f} ms ({size // 1024} KiB)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
