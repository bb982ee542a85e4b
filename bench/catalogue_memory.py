#!/usr/bin/env python3
"""What the six languages cost a web worker in memory.

    .venv/bin/python bench/catalogue_memory.py

Loads the demo into a throw-away SQLite database, then in one process serves the home, forum,
event, summary and sign-in pages in English until the resident memory settles, and the same pages in
each of the other five languages (each loads its catalogue, Babel's locale data and WTForms'
messages for that language). Prints the resident memory after English alone and after all six;
the target is at most 5 MiB more.
"""
import gc
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = ["/", "/forums/sti-forum-2025", "/events/from-divide-to-synergy", "/events/from-divide-to-synergy/summary",
         "/events/ai-capacity-building-one-year-on", "/account/login", "/account/signup"]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve(client, language, rounds):
    for _ in range(rounds):
        for path in PAGES:
            response = client.get(f"{path}?lang={language}")
            assert response.status_code == 200, (path, language, response.status_code)
    gc.collect()
    return rss_mib()


def main():
    from eventsite import create_app
    from eventsite.core.languages import LANGUAGES

    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite",
                          "SECRET_KEY": "bench", "JOBS_URL": "immediate", "MAIL_BACKEND": "console",
                          "PAGE_CACHE": False})
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert runner.invoke(args=["demo"]).exit_code == 0
        client = app.test_client()
        english = [serve(client, "en", 20) for _ in range(3)][-1]  # settled: caches filled, arenas grown
        for language in LANGUAGES:
            everything = serve(client, language, 5)
        everything = serve(client, "en", 5)
    print(f"RSS after English pages only: {english:.1f} MiB")
    print(f"RSS after the same pages in all six languages: {everything:.1f} MiB "
          f"({everything - english:+.1f} MiB; target at most +5 MiB)")


if __name__ == "__main__":
    main()
