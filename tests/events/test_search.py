"""Find anything: search across every forum from the home page, and the archive of past forums."""
import re
from datetime import date, timedelta

from eventsite.accounts.models import Role
from eventsite.core.time import utcnow
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.speakers import services as speaker_services
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from eventsite.summaries.models import Summary, SummaryStatus
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.data.decode()))


def _speaker(event, given, family, *, status=InvitationStatus.CONFIRMED, organiser=None):
    organiser = organiser or make_staff()
    added = speaker_services.add_new_speaker(event, speaker_services.PersonInput(given, family, organisation="UNCTAD"),
                                             SpeakerRole.PANELLIST, user=organiser)
    added.assignment.status = status
    db.session.flush()
    return added.assignment


def _two_forums_with_one_speaker():
    hlpf_2024 = make_forum(name="HLPF 2024", starts_on=date(2024, 7, 8), ends_on=date(2024, 7, 17))
    sti_2025 = make_forum(name="STI Forum 2025")
    old = make_event(hlpf_2024, title="Oceans and data", status=Status.HELD, day=date(2024, 7, 9))
    new = make_event(sti_2025, title="AI for capacity building", status=Status.PUBLISHED)
    other = make_event(sti_2025, title="Open science", status=Status.PUBLISHED, day=date(2025, 5, 7))
    for event in (old, new):
        _speaker(event, "Amína", "Ḥaddād")
    _speaker(other, "Someone", "Else")
    db.session.commit()
    return hlpf_2024, sti_2025, old, new, other


def test_searching_the_home_page_for_a_speakers_name_finds_their_events_in_every_forum(client, ctx):
    hlpf_2024, sti_2025, old, new, other = _two_forums_with_one_speaker()
    home = client.get("/").data.decode()
    form = re.search(r'<form method="get" action="(/search)"[^>]*role="search"', home)
    assert form and 'name="q"' in home
    page = _text(client.get(form.group(1), query_string={"q": "amina haddad"}))  # typed without accents
    assert "2 side events found" in page
    assert [t for t in (new.title, old.title, other.title) if t in page] == [new.title, old.title]
    # grouped by forum, newest first, each labelled with its year
    assert page.index("STI Forum 2025 · 2025") < page.index(new.title) < page.index("HLPF 2024 · 2024") \
        < page.index(old.title)
    assert "Speakers: Amína Ḥaddād" in page


def test_search_matches_titles_organisers_and_concept_notes_folded(client, ctx):
    forum = make_forum()
    event = make_event(forum, title="Égalité numérique", status=Status.PUBLISHED,
                       organisers=(("Permanent Mission of Côte d'Ivoire", "member_state", "CI"),))
    db.session.commit()
    for words in ("egalite", "COTE D'IVOIRE", "why this event matters"):
        assert event.title in _text(client.get("/search", query_string={"q": words})), words
    assert "No side event you may see matches" in _text(client.get("/search?q=nothing-like-it"))


def test_an_invited_speaker_not_yet_confirmed_does_not_find_the_event(client, ctx):
    event = make_event(make_forum(), title="Quiet panel", status=Status.PUBLISHED)
    _speaker(event, "Hidden", "Person", status=InvitationStatus.INVITED)
    db.session.commit()
    assert event.title not in _text(client.get("/search?q=hidden+person"))


def test_drafts_are_found_by_their_team_and_staff_only(app, ctx):
    forum = make_forum()
    owner, stranger, co_organiser, staff = make_user(), make_user(), make_user(), make_staff()
    draft = make_event(forum, organiser=owner, title="Draft about oceans")
    add_member(draft, co_organiser, Role.CO_ORGANISER)
    published = make_event(forum, title="Published about oceans", status=Status.PUBLISHED, room=None)
    db.session.commit()

    def found(user):
        client = app.test_client()
        if user is not None:
            login(client, user.email)
        page = _text(client.get("/search?q=oceans"))
        return [t for t in (draft.title, published.title) if t in page]

    assert found(None) == [published.title]
    assert found(stranger) == [published.title]
    assert found(owner) == [draft.title, published.title]
    assert found(co_organiser) == [draft.title, published.title]
    assert found(staff) == [draft.title, published.title]


def test_results_come_a_page_at_a_time_and_the_links_keep_the_search(client, ctx):
    forum = make_forum(starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 30))
    for n in range(23):
        make_event(forum, title=f"Water dialogue {n:02d}", status=Status.PUBLISHED, day=date(2025, 5, 1 + n),
                   concept_note=False)
    db.session.commit()
    first = client.get("/search?q=water&service=wheelchair").data.decode()
    assert "No side event you may see matches" in first  # nobody offers wheelchair access yet
    first = client.get("/search?q=water").data.decode()
    assert first.count('class="event-item') == 20 and "Page 1 of 2" in first
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=water" in following
    second = client.get(following).data.decode()
    assert second.count('class="event-item') == 3 and "Water dialogue 22" in second
    assert client.get("/search?q=water&page=99999999999999999999").status_code == 200


def test_a_search_costs_as_many_queries_for_thirty_results_as_for_one(client, ctx, count_queries):
    forum = make_forum(starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 30))
    staff = make_staff()

    def add(n):
        event = make_event(forum, title=f"Energy talk {n}", status=Status.PUBLISHED, day=date(2025, 5, 1 + n % 29),
                           concept_note=False, room=None, organisers=((f"Organisation {n}", "academia", "KE"),
                                                           ("UN DESA", "un_entity", None)))
        _speaker(event, f"Speaker{n}", "Energy", organiser=staff)
        event.captioning = True

    add(0)
    db.session.commit()
    with count_queries() as one:
        assert client.get("/search?q=energy&service=captioning").status_code == 200
    for n in range(1, 30):
        add(n)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/search?q=energy&service=captioning").data.decode()
    assert page.count('class="event-item') == 20
    assert len(many) == len(one)


def test_a_search_result_is_not_served_for_another_search(client, ctx):
    hlpf_2024, sti_2025, old, new, other = _two_forums_with_one_speaker()
    first = client.get("/search?q=haddad")
    second = client.get("/search?q=open+science")
    assert new.title in _text(first) and new.title not in _text(second) and other.title in _text(second)
    assert first.headers["ETag"] != second.headers["ETag"]
    again = client.get("/search?q=haddad", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_archive_lists_past_forums_by_year_with_their_outcome_reports(client, ctx):
    today = utcnow().date()
    hlpf_2024 = make_forum(name="HLPF 2024", starts_on=date(2024, 7, 8), ends_on=date(2024, 7, 17))
    sti_2025 = make_forum(name="STI Forum 2025")
    coming = make_forum(name="Forum to come", starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=31))
    held = make_event(hlpf_2024, title="Oceans and data", status=Status.HELD, day=date(2024, 7, 9))
    db.session.add(Summary(event=held, template_key="sti-side-event", status=SummaryStatus.PUBLISHED,
                           sections={"key_issues": ["Ocean data is scattered"],
                                     "recommendations": ["Share ocean data openly"]}))
    db.session.commit()
    home = client.get("/").data.decode()
    assert 'href="/archive"' in home
    page = _text(client.get("/archive"))
    assert page.index("2025") < page.index("STI Forum 2025") < page.index("2024") < page.index("HLPF 2024")
    assert coming.name not in page
    assert "Outcome report (1 published summary)" in page
    assert "No summary has been published yet." in page  # the 2025 forum
    outcome = client.get(f"/forums/{hlpf_2024.slug}/outcome")  # anonymous: the forum is over
    assert outcome.status_code == 200 and "Share ocean data openly" in _text(outcome)
    assert client.get(f"/forums/{hlpf_2024.slug}/outcome.pdf").status_code == 200
    assert client.get(f"/forums/{coming.slug}/outcome").status_code == 302  # not yet: sign in
    assert sti_2025.name in page


def test_the_public_outcome_report_leaves_out_events_no_longer_listed(client, ctx):
    forum = make_forum(name="HLPF 2024", starts_on=date(2024, 7, 8), ends_on=date(2024, 7, 17))
    event = make_event(forum, title="Withdrawn after the fact", status=Status.HELD, day=date(2024, 7, 9))
    db.session.add(Summary(event=event, template_key="sti-side-event", status=SummaryStatus.PUBLISHED,
                           sections={"recommendations": ["A recommendation"]}))
    event.status = Status.REJECTED
    db.session.commit()
    assert "A recommendation" not in _text(client.get(f"/forums/{forum.slug}/outcome"))
