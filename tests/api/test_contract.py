"""Contract test: schemathesis generates requests from the served OpenAPI document and checks that no
answer is a server error or breaks the document (status, content type, headers, body schema)."""
import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from eventsite.accounts.models import Role, TokenScope  # noqa: E402
from eventsite.accounts.tokens import create_token  # noqa: E402
from eventsite.api.views import api  # noqa: E402
from eventsite.events.models import Status  # noqa: E402
from eventsite.extensions import db  # noqa: E402
from tests.factories import add_member, make_event, make_forum, make_user  # noqa: E402

# The document as /api/v1/openapi.json serves it (only the servers entry differs).
schema = schemathesis.openapi.from_dict(api.spec.to_dict())


@pytest.fixture
def calls(app):
    """An organiser's read-write token on a published event with an agenda, and the app to call."""
    with app.app_context():
        organiser = make_user()
        event = make_event(make_forum(), organiser=organiser, status=Status.PUBLISHED)
        add_member(event, organiser, Role.ORGANISER)
        _, token = create_token(user=organiser, name="contract", scope=TokenScope.READ_WRITE)
        db.session.commit()
    old = app.config["RATELIMIT_API_TOKEN"]
    app.config["RATELIMIT_API_TOKEN"] = "100000 per minute"
    yield app, {"Authorization": f"Bearer {token}"}
    app.config["RATELIMIT_API_TOKEN"] = old


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_answer_outside_the_document(case, calls):
    app, headers = calls
    case.operation.schema.app = app  # called in-process through the WSGI interface, as from_wsgi does
    # A cursor is opaque: a well-formed one the API never gave out is a 422 by design, which the
    # "schema-valid data is accepted" check would call a failure.
    excluded = [positive_data_acceptance] if case.operation.path == "/api/v1/events" else []
    case.call_and_validate(headers=headers, app=app, excluded_checks=excluded)
