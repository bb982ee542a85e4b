"""The goals by their UN names in the reader's language, wherever an event's SDGs are shown."""
from eventsite.core.sdgs import GOAL, NAMES, sdg_name, sdg_title
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.factories import make_event, make_forum


def test_each_language_names_all_seventeen_goals():
    assert sorted(NAMES) == sorted(GOAL) == ["ar", "en", "es", "fr", "ru", "zh_Hans"]
    for names in NAMES.values():
        assert len(names) == len(set(names)) == 17


def test_goal_nine_reads_as_the_un_writes_it_in_each_language():
    assert sdg_title(9, "en") == "Goal 9: Industry, Innovation and Infrastructure"
    assert sdg_title(9, "fr") == "Objectif 9 : Industrie, innovation et infrastructure"
    assert sdg_title(9, "es") == "Objetivo 9: Industria, innovación e infraestructura"
    assert sdg_title(9, "ru") == "Цель 9: Индустриализация, инновации и инфраструктура"
    assert sdg_title(9, "zh_Hans") == "目标9：产业、创新和基础设施"
    assert sdg_title(9, "ar") == "الهدف 9: الصناعة والابتكار والهياكل الأساسية"
    assert sdg_name(17, "zh-Hans") == sdg_name(17, "zh_Hans") == "促进目标实现的伙伴关系"


def test_event_page_programme_and_calendar_name_the_goals_in_the_readers_language(app, client):
    with app.test_request_context():  # the pages are read outside it: each request finds its own language
        forum = make_forum()
        event = make_event(forum, status=Status.PUBLISHED, sdgs=(9, 17))
        db.session.commit()
        slug, forum_slug = event.slug, forum.slug
    client.get("/language?lang=fr&next=/")
    page = client.get(f"/events/{slug}").data.decode()
    assert "Objectif 9 : Industrie, innovation et infrastructure" in page and "SDG 9" not in page
    programme = client.get(f"/forums/{forum_slug}").data.decode()
    assert "Objectif 17 : Partenariats pour la réalisation des objectifs" in programme
    client.get("/language?lang=ar&next=/")
    assert "الهدف 9: الصناعة والابتكار والهياكل الأساسية" in client.get(f"/events/{slug}").data.decode()
    feed = client.get(f"/events/{slug}.ics?lang=es").data.decode().replace("\r\n ", "")
    assert "CATEGORIES:Objetivo 9: Industria\\, innovación e infraestructura,Objetivo 17: Alianzas para" in feed
