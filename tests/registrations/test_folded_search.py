"""At the door and on the organiser's list, a registration is found whatever accents, Arabic vowel marks,
tatweel or ё the organiser types or leaves out."""
from eventsite.extensions import db
from eventsite.registrations import reports, services
from tests.factories import make_user
from tests.registrations.helpers import open_event, register

NAMES = ["José Núñez", "Алёна Ёлкина", "مُحَمَّد الأمين", "Zoé Élan", "王小明"]


def _event_with_registrants(ctx):
    _, event = open_event(capacity=20)
    for n, name in enumerate(NAMES):
        register(event, make_user(f"r{n}@example.org", name=name))
    db.session.commit()
    return event


def test_check_in_search_folds_accents_arabic_marks_and_yo_and_lists_by_name(ctx):
    event = _event_with_registrants(ctx)

    def found(text):
        return [r.name for r in services.search_confirmed(event, text)]
    assert found("jose nunez") == found("JOSÉ") == ["José Núñez"]
    assert found("елкина") == found("алена") == ["Алёна Ёлкина"]
    assert found("محمد الامين") == found("مـحـمـد") == ["مُحَمَّد الأمين"]
    assert found("小明") == ["王小明"]
    assert found("itu") == ["José Núñez", "Zoé Élan", "Алёна Ёлкина", "مُحَمَّد الأمين", "王小明"]


def test_the_registrations_list_filter_folds_the_same_way(ctx):
    event = _event_with_registrants(ctx)
    assert [r.name for r in reports.registrations_of(event, reports.Filters(text="zoe elan"))] == ["Zoé Élan"]
    assert [r.name for r in reports.registrations_of(event, reports.Filters(text="r1@example"))] == ["Алёна Ёлкина"]
