"""Arabic pages run right to left: the stylesheets say start and end, never left and right; arrows turn
round; values set inside sentences are isolated; every page names its language the way HTML does."""
import re
from pathlib import Path

import pytest

from eventsite.core.languages import arrow, isolate, speaking
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_user

CSS_DIR = Path(__file__).resolve().parents[2] / "static" / "css"

# Shorthands whose second and fourth values are the right and left sides (top right bottom left).
FOUR_SIDED = {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin",
              "scroll-padding"}


def physical_sides(css: str) -> list[str]:
    """Each declaration in css that names a left or right side, or gives the two sides different values."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for property_, value in re.findall(r"([\w-]+)\s*:\s*([^;{}]+)", css):
        property_, value = property_.strip().lower(), value.strip()
        if re.search(r"(^|-)(left|right)(-|$)", property_):
            found.append(f"{property_}: {value}")
        elif property_ in {"float", "clear", "text-align", "text-align-last", "caption-side", "resize",
                           "justify-content", "justify-items", "justify-self", "background-position",
                           "background-position-x", "object-position", "transform-origin", "perspective-origin",
                           "background", "mask-position", "offset-position"} \
                and re.search(r"\b(left|right)\b", value.lower()):
            found.append(f"{property_}: {value}")
        elif property_ in FOUR_SIDED:
            parts = value.replace("!important", "").split()
            if len(parts) == 4 and parts[1] != parts[3]:
                found.append(f"{property_}: {value}")
        elif property_ == "border-radius":
            corners = value.split("/")[0].split()
            if (len(corners) == 2 and corners[0] != corners[1]) or (len(corners) == 3 and corners[0] != corners[1]) \
                    or (len(corners) == 4 and (corners[0] != corners[1] or corners[2] != corners[3])):
                found.append(f"{property_}: {value}")
    return found


@pytest.mark.parametrize("sheet", sorted(p.name for p in CSS_DIR.glob("*.css")))
def test_stylesheet_uses_logical_properties_only(sheet):
    assert physical_sides((CSS_DIR / sheet).read_text()) == []


def test_the_check_finds_each_kind_of_physical_side():
    css = """a { margin-left: 1rem; padding: 0 1rem 0 2rem; float: right; text-align: left;
             border-right: 1px solid; inset: 0 auto 0 0; border-radius: 4px 0; left: 0 }
             b { margin: 0 1rem; padding-inline-start: 1rem; float: inline-start; text-align: start; inset-inline-end: 0 }"""
    assert physical_sides(css) == ["margin-left: 1rem", "padding: 0 1rem 0 2rem", "float: right", "text-align: left",
                                   "border-right: 1px solid", "inset: 0 auto 0 0", "border-radius: 4px 0", "left: 0"]


def test_an_arabic_page_runs_right_to_left_and_a_chinese_one_is_tagged_zh_hans(client, app):
    arabic = client.get("/?lang=ar").get_data(as_text=True)
    chinese = client.get("/?lang=zh_Hans").get_data(as_text=True)
    french = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="zh-Hans" dir="ltr">' in chinese
    assert '<html lang="fr" dir="ltr">' in french


def test_the_language_switcher_offers_the_six_un_languages_named_in_themselves(client):
    html = client.get("/").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)</option>', html)
    assert options == [("ar", "ar", "العربية"), ("zh_Hans", "zh-Hans", "中文"), ("en", "en", "English"),
                       ("fr", "fr", "Français"), ("ru", "ru", "Русский"), ("es", "es", "Español")]


def test_a_language_picked_in_the_switcher_stays_and_replaces_the_one_in_the_address(client):
    response = client.get("/language?lang=ru&next=/%3Flang%3Dar%26page%3D2")
    assert response.status_code == 302 and response.headers["Location"] == "/?page=2"
    assert '<html lang="ru"' in client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans"' in client.get("/language?lang=zh-Hans&next=/", follow_redirects=True) \
        .get_data(as_text=True)


def test_a_browser_asking_for_chinese_or_arabic_gets_it(client):
    assert '<html lang="zh-Hans"' in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in client.get("/", headers={"Accept-Language": "ar-EG"}).get_data(as_text=True)


def test_names_and_times_inside_sentences_are_isolated_and_arrows_turn_round_in_arabic(client, ctx):
    organiser = make_user("organiser@example.org", name="Amina Diallo")
    event = make_event(make_forum(), organiser=organiser, title="Data for Development 2030")
    db.session.commit()
    login(client, "organiser@example.org")
    edit = client.get(f"/events/{event.slug}/edit?lang=ar").get_data(as_text=True)
    assert "<bdi>Data for Development 2030</bdi>" in edit
    with speaking("ar"):
        assert (arrow(), isolate("11:45–13:00 EDT")) == ("←", "\u206811:45–13:00 EDT\u2069")
    with speaking("fr"):
        assert (arrow(), isolate("11:45–13:00 EDT")) == ("→", "11:45–13:00 EDT")
