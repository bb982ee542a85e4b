"""The role matrix of the pages, for the API: each role with a read-and-write token (anonymous with none)."""
import pytest
from sqlalchemy import select

from eventsite.accounts.models import TokenScope, User
from eventsite.accounts.tokens import create_token
from eventsite.extensions import db
from tests.test_role_matrix import EDITORS, ROLES, _agenda_item_added, _checked_in, world  # noqa: F401

TEAM_AT_THE_DOOR = {"co_organiser", "organiser", "forum_organiser", "staff"}

# (method, path, json, {role: expected status}); roles not named expect "others".
API_MATRIX = [
    ("GET", "/api/v1/events/{draft}", None, {"others": 404}),  # the public API shows listed events only
    ("GET", "/api/v1/events/{published}", None, {"others": 200}),
    ("GET", "/api/v1/me/events", None, {"others": 200, "anonymous": 401}),
    ("GET", "/api/v1/events/{published}/registrations", None,
     {"others": 403, "anonymous": 401, "co_organiser": 200, "organiser": 200, "forum_organiser": 200, "staff": 200}),
    ("GET", "/api/v1/events/{draft}/registrations", None,
     {"others": 403, "anonymous": 401, "participant": 404, "co_organiser": 200, "organiser": 200,
      "forum_organiser": 200, "staff": 200}),
    # the matrix's forum (May 2025) is over: its outcome report is public, as in the site's archive
    ("GET", "/api/v1/forums/{forum}/outcome", None, {"others": 200, "anonymous": 401}),
    ("POST", "/api/v1/events/{published}/check-in", {"code": "matrix"},
     {"others": 403, "anonymous": 401, "co_organiser": 200, "organiser": 200, "forum_organiser": 200, "staff": 200}),
    ("POST", "/api/v1/events/{draft}/agenda", {"title": "Opening", "kind": "opening", "start": "11:45", "minutes": 10},
     {"others": 403, "anonymous": 401, "participant": 404, "co_organiser": 201, "organiser": 201,
      "forum_organiser": 201, "staff": 201}),
]
EFFECTS = {
    "/api/v1/events/{published}/check-in": (_checked_in, TEAM_AT_THE_DOOR),
    "/api/v1/events/{draft}/agenda": (_agenda_item_added, EDITORS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,body,expected", API_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in API_MATRIX])
def test_api_role_matrix(client, world, role, method, path, body, expected):  # noqa: F811
    headers = {}
    if role != "anonymous":
        user = db.session.scalar(select(User).where(User.email == world["users"][role]))
        _, token = create_token(user=user, name="matrix", scope=TokenScope.READ_WRITE)
        db.session.commit()
        headers["Authorization"] = f"Bearer {token}"
    url = path.format(**world["paths"])
    response = client.open(url, method=method, json=body, headers=headers)
    assert response.status_code == expected.get(role, expected["others"]), f"{role} {method} {url}"
    assert response.mimetype == "application/json"
    if method == "POST":
        changed, roles_that_change_it = EFFECTS[path]
        db.session.expire_all()
        assert changed(world["paths"]) == (role in roles_that_change_it), f"effect of {role} {method} {url}"


def test_every_api_post_row_states_its_effect():
    assert {path for method, path, _, _ in API_MATRIX if method == "POST"} == set(EFFECTS)
