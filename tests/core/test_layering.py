"""core/ holds what every domain shares, so it depends on none of them."""
import ast
from pathlib import Path

import eventsite

PACKAGE = Path(eventsite.__file__).parent
DOMAINS = {"accounts", "activity", "agenda", "api", "coorganisers", "dashboards", "demo", "events", "exports", "feeds",
           "notifications", "programme", "registrations", "series", "speakers", "summaries", "webhooks"}


def _imported_domains(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            if node.level == 2 and parts[0] in DOMAINS:  # from ..events import x
                found.add(parts[0])
            if node.level == 2 and not node.module:  # from .. import events
                found |= {alias.name for alias in node.names} & DOMAINS
            if node.level == 0 and parts[0] == "eventsite" and len(parts) > 1 and parts[1] in DOMAINS:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names
                      if a.name.startswith("eventsite.") and a.name.split(".")[1] in DOMAINS}
    return found


def test_core_imports_no_domain():
    imports = {path.name: _imported_domains(path) for path in sorted((PACKAGE / "core").glob("*.py"))}
    assert {name: domains for name, domains in imports.items() if domains} == {}


def test_the_list_of_domains_is_the_package_s_folders():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} - {"core", "jobs", "translations"}
    assert folders == DOMAINS
