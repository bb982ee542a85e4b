"""The door: checking people in on a phone-width screen, by camera where the browser reads QR codes, by typing elsewhere."""
import pytest
from sqlalchemy import select

from eventsite import create_app
from eventsite.accounts.models import Membership, Role
from eventsite.demo.loader import demo_data
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.registrations.models import Category, Registration, RegistrationStatus
from tests.conftest import make_test_config, serving_demo

pytestmark = pytest.mark.browser
SLUG = "ai-capacity-building-one-year-on"
NAME = "فاطمة الزهراء بنعلي"


def test_a_phone_checks_a_participant_in_by_the_code_and_a_repeat_says_already_checked_in(chromium, tmp_path):
    with serving_demo(tmp_path) as url:
        # a confirmed participant of the demo's open event, written into the served database
        app = create_app(make_test_config(f"sqlite:///{tmp_path / 'demo.sqlite'}", tmp_path))
        with app.app_context():
            event = db.session.scalar(select(Event).where(Event.slug == SLUG))
            db.session.add(Registration(event=event, name=NAME, email="fatima@example.org", organisation="Cairo University",
                                        country="EG", category=Category.ACADEMIA, status=RegistrationStatus.CONFIRMED,
                                        arrival=1, token="door-token", checkin_code="door0001code"))
            organiser = db.session.scalar(select(Membership).where(Membership.event_id == event.id,
                                                                   Membership.role == Role.ORGANISER)).user.email
            db.session.commit()
            db.engine.dispose()
        context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(url + "/account/login")
        page.get_by_label("E-mail").fill(organiser)
        page.get_by_label("Password").fill(demo_data()["password"])
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{url}/events/{SLUG}/check-in")
        scan = page.get_by_role("button", name="Scan with the camera")
        if page.evaluate("'BarcodeDetector' in window"):
            scan.wait_for(state="visible")  # the browser reads QR codes: the camera is offered
        else:
            assert scan.is_hidden()  # no QR reading here (headless Chromium on Linux): typing only
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

        page.get_by_label("QR code or registration code").fill("DOOR 0001 CODE")  # typed from the badge, with spaces and capitals
        page.get_by_label("QR code or registration code").press("Enter")
        result = page.locator(".checkin-result")
        assert result.locator(".checkin-name").inner_text() == NAME
        assert result.locator(".checkin-state").inner_text() == "Checked in"
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.checkin-name')).fontSize)")
        assert size >= 32  # readable at arm's length
        assert page.locator("[data-count='checked_in']").inner_text() == "1"

        page.get_by_label("QR code or registration code").fill("door0001code")
        page.get_by_role("button", name="Check in", exact=True).click()
        assert page.locator(".checkin-result .checkin-state").inner_text() == "Already checked in"
        assert page.locator(".checkin-result .checkin-name").inner_text() == NAME
        context.close()
