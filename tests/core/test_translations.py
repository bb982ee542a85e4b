"""The catalogues are complete in every language the site offers, and up to date with the code."""
from gettext import c2py
from io import BytesIO
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.checkers import checkers
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from eventsite.config import build_config

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "eventsite" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "lazy_pgettext": ((1, "c"), 2)}
TRANSLATED = [code for code in build_config(ROOT / "instance", environ={})["LANGUAGES"] if code != "en"]


def _key(message_id, context):
    return (message_id if isinstance(message_id, str) else message_id[0], context)


def _text(string):
    return string if isinstance(string, str) else list(string)


def _template():
    with open(CATALOGUES / "messages.pot", encoding="utf-8") as pot:
        return read_po(pot)


def _catalogue(code):
    with open(CATALOGUES / code / "LC_MESSAGES" / "messages.po", encoding="utf-8") as po:
        return read_po(po, locale=code)


def test_the_template_holds_exactly_the_strings_of_the_code():
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    in_code = {_key(message, context) for _, _, message, _, context in
               extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)}
    in_template = {_key(m.id, m.context) for m in _template() if m.id}
    assert sorted(in_code - in_template, key=str) == [], "run `make translations`"
    assert sorted(in_template - in_code, key=str) == [], "run `make translations`"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_with_its_placeholders_and_plural_forms(code):
    catalogue = _catalogue(code)
    template_ids = {_key(m.id, m.context) for m in _template() if m.id}
    entries = {_key(m.id, m.context): m for m in catalogue if m.id}
    assert sorted(template_ids - entries.keys(), key=str) == []
    untranslated = [m.id for m in entries.values()
                    if m.fuzzy or not (all(m.string) if m.pluralizable else m.string)]
    assert untranslated == []
    # Counts up to 1,000 fall into the catalogue's forms exactly as into the language's CLDR categories.
    form, category = c2py(catalogue.plural_expr), Locale.parse(code).plural_form
    pairs = {(category(n), form(n)) for n in range(1001)}
    assert len(pairs) == len({c for c, _ in pairs}) == len({f for _, f in pairs})
    assert [m.id for m in entries.values() if m.pluralizable and len(m.string) != catalogue.num_plurals] == []
    problems = []
    for message in entries.values():
        for check in checkers:
            try:
                check(catalogue, message)
            except Exception as error:  # babel raises TranslationError per broken placeholder
                problems.append((message.id, str(error)))
    assert problems == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(code):
    source = {_key(m.id, m.context): _text(m.string) for m in _catalogue(code) if m.id and not m.fuzzy}
    compiled = read_mo(BytesIO((CATALOGUES / code / "LC_MESSAGES" / "messages.mo").read_bytes()))
    assert {_key(m.id, m.context): _text(m.string) for m in compiled if m.id} == source, "run `make translations`"
