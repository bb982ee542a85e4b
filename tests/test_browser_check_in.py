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


# Chromium on Linux has no BarcodeDetector; this one stands in for it and "sees" the code it is given
# once the camera's video plays, so the page's own script (camera, scan, send, camera again) is what runs.
FAKE_DETECTOR = """
window.__scannedCode = null;
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(source) {
    if (!(source instanceof HTMLVideoElement) || !source.srcObject || source.readyState < 2) return [];
    const code = sessionStorage.getItem("fake-qr");
    return code ? [{ rawValue: code, format: "qr_code" }] : [];
  }
};
"""


def test_a_phone_camera_scan_checks_in_and_the_next_scan_of_the_same_code_says_already_checked_in(chromium, tmp_path):
    from tests.conftest import chromium_path
    with serving_demo(tmp_path) as url:
        app = create_app(make_test_config(f"sqlite:///{tmp_path / 'demo.sqlite'}", tmp_path))
        with app.app_context():
            event = db.session.scalar(select(Event).where(Event.slug == SLUG))
            db.session.add(Registration(event=event, name="Ольга Смирнова", email="olga@example.org", organisation="МГУ",
                                        country="RU", category=Category.ACADEMIA, status=RegistrationStatus.CONFIRMED,
                                        arrival=1, token="cam-token", checkin_code="cam0001code"))
            organiser = db.session.scalar(select(Membership).where(Membership.event_id == event.id,
                                                                   Membership.role == Role.ORGANISER)).user.email
            db.session.commit()
            db.engine.dispose()
        # a browser of its own, with a fake camera that needs no permission prompt
        browser = chromium._browser.browser_type.launch(
            executable_path=chromium_path(), args=["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          permissions=["camera"])
            context.add_init_script(FAKE_DETECTOR)
            page = context.new_page()
            errors = []
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.goto(url + "/account/login")
            page.get_by_label("E-mail").fill(organiser)
            page.get_by_label("Password").fill(demo_data()["password"])
            page.get_by_role("button", name="Sign in").click()
            page.goto(f"{url}/events/{SLUG}/check-in")
            page.evaluate("sessionStorage.setItem('fake-qr', 'cam0001code')")
            page.get_by_role("button", name="Scan with the camera").click()
            page.locator(".checkin-result .checkin-state").wait_for()
            assert page.locator(".checkin-result .checkin-name").inner_text() == "Ольга Смирнова"
            assert page.locator(".checkin-result .checkin-state").inner_text() == "Checked in"
            # the camera started again by itself; the same badge still in view is not sent twice
            page.locator("[data-scan-video]").wait_for(state="visible")
            page.wait_for_timeout(800)
            assert page.locator(".checkin-result .checkin-state").inner_text() == "Checked in"
            # the badge leaves the view and is shown again: already checked in
            page.evaluate("sessionStorage.removeItem('fake-qr')")
            for _ in range(50):
                if page.evaluate("sessionStorage.getItem('eventsite-check-in-last')") is None:
                    break
                page.wait_for_timeout(100)
            page.evaluate("sessionStorage.setItem('fake-qr', 'cam0001code')")
            page.locator(".checkin-result.checkin-repeat").wait_for()
            assert page.locator(".checkin-result .checkin-state").inner_text() == "Already checked in"
            page.evaluate("sessionStorage.removeItem('fake-qr')")
            page.get_by_role("button", name="Stop the camera").click()
            assert page.locator("[data-scan-video]").is_hidden()
            assert page.get_by_role("button", name="Scan with the camera").is_visible()
            assert not [error for error in errors if "Content Security Policy" in error], errors
            context.close()
        finally:
            browser.close()
