"""Name badges: one per confirmed participant, in every script, with a QR code that the check-in page accepts."""
import io

import pytest
from sqlalchemy import select

from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.registrations.badges import qr_svg
from eventsite.registrations.models import Category, Registration, RegistrationStatus
from tests.conftest import login
from tests.pdf_reading import read_back

PEOPLE = [("Amina Haddad", "ITU", "MA", Category.UN_SYSTEM, RegistrationStatus.CONFIRMED),
          ("فاطمة الزهراء بنعلي", "جامعة القاهرة", "EG", Category.ACADEMIA, RegistrationStatus.CONFIRMED),
          ("王小明", "中国科学技术协会", "CN", Category.CIVIL_SOCIETY, RegistrationStatus.CONFIRMED),
          ("Ольга Смирнова", "МГУ", "RU", Category.MEMBER_STATE, RegistrationStatus.CONFIRMED),
          ("Waiting Person", "UNDP", "ZM", Category.UN_SYSTEM, RegistrationStatus.WAITLISTED),
          ("Gone Person", "UNEP", "KE", Category.OTHER, RegistrationStatus.CANCELLED)]


@pytest.fixture
def open_demo_event(app, ctx):
    """The demo's open event with four confirmed participants in four scripts, one waitlisted, one cancelled."""
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    event = db.session.scalar(select(Event).where(Event.slug == "ai-capacity-building-one-year-on"))
    for number, (name, organisation, country, category, status) in enumerate(PEOPLE, start=1):
        db.session.add(Registration(event=event, name=name, email=f"p{number}@example.org", organisation=organisation,
                                    country=country, category=category, status=status, arrival=number,
                                    token=f"badge-token-{number}", checkin_code=f"badge{number:04d}xyz"))
    db.session.commit()
    return event


def _organiser_client(app, event):
    from eventsite.accounts.models import Membership, Role
    client = app.test_client()
    lead = db.session.scalar(select(Membership).where(Membership.event_id == event.id,
                                                      Membership.role == Role.ORGANISER))
    login(client, lead.user.email, password=_demo_password())
    return client


def _demo_password():
    from eventsite.demo.loader import demo_data
    return demo_data()["password"]


def _qr_codes(pdf: bytes) -> list[str]:
    import pypdfium2
    import zxingcpp
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=300 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def test_the_sheet_has_one_badge_per_confirmed_participant_and_each_qr_checks_them_in(app, open_demo_event):
    client = _organiser_client(app, open_demo_event)
    page = client.get(f"/events/{open_demo_event.slug}/registrations").get_data(as_text=True)
    assert f"/events/{open_demo_event.slug}/badges.pdf" in page
    response = client.get(f"/events/{open_demo_event.slug}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = read_back(response.data)
    for name, organisation, _country, _category, status in PEOPLE:
        assert (text.count(name) == 1) == (status == RegistrationStatus.CONFIRMED), name
    assert "Egypt" in text and "Academia" in text and "China" in text
    confirmed = {r.checkin_code: r for r in db.session.scalars(select(Registration).where(
        Registration.event_id == open_demo_event.id, Registration.status == RegistrationStatus.CONFIRMED))}
    codes = _qr_codes(response.data)
    assert sorted(codes) == sorted(confirmed)
    # each decoded payload is what the check-in page accepts: it checks that very person in
    for code in codes:
        client.post(f"/events/{open_demo_event.slug}/check-in", data={"code": code})
    db.session.expire_all()
    assert all(registration.checked_in_at is not None for registration in confirmed.values())


def test_single_cards_are_one_page_each_and_a_card_of_someone_not_confirmed_is_not_found(app, open_demo_event):
    from pypdf import PdfReader
    client = _organiser_client(app, open_demo_event)
    cards = client.get(f"/events/{open_demo_event.slug}/badges.pdf?layout=card")
    assert len(PdfReader(io.BytesIO(cards.data)).pages) == 4
    arabic = db.session.scalar(select(Registration).where(Registration.checkin_code == "badge0002xyz"))
    card = client.get(f"/events/{open_demo_event.slug}/registrations/{arabic.id}/badge.pdf")
    assert card.status_code == 200 and _qr_codes(card.data) == ["badge0002xyz"]
    assert "فاطمة" in read_back(card.data)
    waiting = db.session.scalar(select(Registration).where(Registration.checkin_code == "badge0005xyz"))
    assert client.get(f"/events/{open_demo_event.slug}/registrations/{waiting.id}/badge.pdf").status_code == 404


def test_the_qr_svg_encodes_the_code():
    assert qr_svg("ABC123").startswith("<svg")
