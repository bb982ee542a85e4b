"""Names in every script: sorted the Unicode way, made into readable addresses, and found by search."""
from flask_babel import force_locale

from eventsite.core.collation import in_order, search_fold
from eventsite.core.labels import country_choices
from eventsite.core.slugs import slugify
from eventsite.events import queries
from eventsite.events.models import OrganisationKind, Status
from eventsite.extensions import db
from eventsite.speakers import services as speakers
from tests.factories import make_event, make_forum, make_user


def _names_in(locale):
    with force_locale(locale):
        return [name for code, name in country_choices() if code]


def test_french_countries_put_egypte_among_the_e_and_never_after_zimbabwe(ctx):
    names = _names_in("fr")
    e_names = [n for n in names if search_fold(n).startswith("e")]
    assert names.index("Égypte") < names.index("Zimbabwe")
    assert names.index("Danemark") < names.index("Égypte") < names.index("Espagne")
    assert names[names.index(e_names[0]):names.index(e_names[-1]) + 1] == e_names  # the E's stand together
    assert "Égypte" in e_names and names.index("États-Unis") < names.index("Éthiopie")


def test_russian_arabic_and_chinese_countries_follow_their_alphabet(ctx):
    russian = _names_in("ru")
    assert russian[0] == "Австралия"
    assert russian.index("Германия") < russian.index("Египет") < russian.index("Япония")
    assert russian[-3:] == ["Южный Судан", "Ямайка", "Япония"]
    arabic = _names_in("ar")
    assert [n for n in arabic if n in {"مصر", "اليمن", "ألمانيا", "الأردن", "بلجيكا"}] == [
        "ألمانيا", "الأردن", "اليمن", "بلجيكا", "مصر"]  # the article counts, as in the UN's Arabic lists
    assert arabic[:2] == ["آيسلندا", "أذربيجان"]
    chinese = _names_in("zh_Hans")
    assert chinese == in_order(chinese)  # radical-stroke (the Unicode order), not the order CLDR lists them
    assert chinese.index("中国") < chinese.index("日本") < chinese.index("美国")


def test_names_sort_by_family_then_given_name_with_accents_after_letters(ctx):
    people = [("Élan", "Zoé"), ("Eastwood", "Al"), ("Ezra", "Béa"), ("élan", "Anna"), ("Ёлкин", "Ф"), ("Егоров", "А"),
              ("Жуков", "Б")]
    assert in_order(people, key=lambda p: p) == [("Eastwood", "Al"), ("élan", "Anna"), ("Élan", "Zoé"),
                                                 ("Ezra", "Béa"), ("Егоров", "А"), ("Ёлкин", "Ф"), ("Жуков", "Б")]


def test_titles_in_every_script_make_readable_ascii_addresses():
    assert slugify("Égypte : l’avenir de l’IA") == "egypte-l-avenir-de-l-ia"
    assert slugify("Искусственный интеллект и цели устойчивого развития") == \
        "iskusstvennyi-intellekt-i-tseli-ustoichivogo-razvitiia"
    assert slugify("人工智能促进可持续发展") == "ren-gong-zhi-neng-cu-jin-ke-chi-xu-fa-zhan"
    assert slugify("الذكاء الاصطناعي من أجل التنمية المستدامة") == "al-dhka-al-astnay-mn-ajl-al-tnmya-al-mstdama"
    assert slugify("مؤتمر ٢٠٣٠") == "mtmr-2030"
    assert slugify("!!!") == "event"


def test_events_titled_in_arabic_russian_and_chinese_get_distinct_addresses(ctx):
    forum = make_forum()
    titles = ["الذكاء الاصطناعي من أجل التنمية المستدامة", "Искусственный интеллект", "人工智能促进可持续发展",
              "人工智能促进可持续发展"]
    slugs = [make_event(forum, title=title, room=None).slug for title in titles]
    assert slugs == ["al-dhka-al-astnay-mn-ajl-al-tnmya-al-mstdama", "iskusstvennyi-intellekt",
                     "ren-gong-zhi-neng-cu-jin-ke-chi-xu-fa-zhan", "ren-gong-zhi-neng-cu-jin-ke-chi-xu-fa-zhan-2"]


def test_search_folds_accents_arabic_marks_and_tatweel_and_yo():
    assert search_fold("Égypte") == search_fold("egypte") == "egypte"
    assert search_fold("مِصْرُ الجـــديدة") == search_fold("مصر الجديدة")
    assert search_fold("أمن") == search_fold("امن")
    assert search_fold("Ёлка") == search_fold("елка") == "елка"
    assert search_fold("人工智能") == "人工智能"


def test_programme_search_finds_titles_whatever_accents_marks_or_yo_are_typed(ctx):
    forum = make_forum()
    titles = {"fr": "L’Égypte et la science", "ar": "مُسْتَقْبَلُ الطـاقة", "ru": "Зелёная энергетика",
              "zh": "人工智能促进可持续发展"}
    for title in titles.values():
        make_event(forum, title=title, status=Status.PUBLISHED, room=None)
    db.session.commit()

    def found(text):
        return [e.title for _, events in queries.programme(forum, queries.ProgrammeFilters(text=text)) for e in events]
    assert found("egypte") == [titles["fr"]]
    assert found("ÉGYPTE") == [titles["fr"]]
    assert found("مستقبل الطاقة") == [titles["ar"]]
    assert found("зеленая") == found("Зелёная") == [titles["ru"]]
    assert found("智能") == [titles["zh"]]


def test_the_speaker_directory_finds_and_lists_people_in_the_unicode_order(ctx):
    user = make_user()
    for given, family in (("Zoé", "Écija"), ("Ana", "Zapata"), ("Omar", "Eastman"), ("Алёна", "Ёлкина")):
        speakers.create_person(speakers.PersonInput(given_name=given, family_name=family, organisation="UNESCO",
                                                    organisation_kind=OrganisationKind.UN_ENTITY,
                                                    email=f"{given.lower()}@example.org"), user=user)
    db.session.commit()
    assert [p.family_name for p in speakers.search_people("unesco", user=user)] == [
        "Eastman", "Écija", "Zapata", "Ёлкина"]
    assert [p.family_name for p in speakers.search_people("ecija", user=user)] == ["Écija"]
    assert [p.given_name for p in speakers.search_people("алена", user=user)] == ["Алёна"]
