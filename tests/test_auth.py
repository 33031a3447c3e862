import pytest
from django.test import Client

from tradewinds.core.models import User


def test_passwords_are_hashed_with_argon2(db):
    assert User.objects.get(username="lca.manager").password.startswith("argon2")


@pytest.mark.parametrize("username", ["lca.manager", "lca.risk", "lca.trader", "region.analyst", "admin"])
def test_demo_users_log_in_and_see_their_home(db, username):
    from tradewinds.core.demo import DEMO_PASSWORD

    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == username
    assert "Welcome" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(db, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "lca.risk", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    from tradewinds.core.demo import DEMO_PASSWORD

    locked = client.post(
        "/accounts/login/", {"username": "lca.risk", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()


def test_login_form_needs_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "lca.risk", "password": "x"})
    assert response.status_code == 403


def test_demo_credentials_only_in_demo_mode(client, settings, db):
    settings.DEMO_MODE = False
    assert "lca.risk" not in client.get("/accounts/login/").content.decode()
    settings.DEMO_MODE = True
    assert "lca.risk" in client.get("/accounts/login/").content.decode()


def test_role_pages_deny_other_roles(client_as):
    assert client_as("lca.trader").get("/audit/").status_code == 403
    assert client_as("lca.manager").get("/audit/").status_code == 200
