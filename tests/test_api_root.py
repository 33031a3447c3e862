import json

from django.test import Client

from tradewinds.core import services
from tradewinds.core.models import ApiKey


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    with monkeypatch.context() as patch:  # a database that refuses connections
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_openapi_is_valid_openapi_3(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Tradewinds API"
    assert any(path.startswith("/api/v1/") for path in schema["paths"])
    from openapi_spec_validator import validate

    validate(schema)


def test_docs_page_uses_no_cdn(client, db):
    html = client.get("/api/docs").content.decode()
    assert "cdn." not in html and "unpkg" not in html


def test_anonymous_api_request_gets_401_in_the_error_shape(client, db):
    response = client.get("/api/v1/companies")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}
    assert response.json()["code"] == "not_authenticated"


def test_api_key_authenticates_and_revocation_stops_it(db, demo_user):
    manager, partner = demo_user("lca.manager"), demo_user("lca.partner")
    key, raw = services.create_api_key(manager, partner, "border system")
    assert raw not in ApiKey.objects.values_list("key_hash", flat=True)  # only the hash is kept
    client = Client()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["username"] == "lca.partner"
    assert client.get("/api/v1/me", HTTP_X_API_KEY=raw).status_code == 200
    services.revoke_api_key(manager, key.pk)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_invalid_company_gets_field_errors_and_writes_nothing(client_as):
    from tradewinds.core.models import Company

    client = client_as("lca.manager")
    before = Company.objects.count()
    response = client.post(
        "/api/v1/companies",
        json.dumps({"name": "Bad Co", "tax_id": "X1", "country": "ZZ", "kinds": ["smuggler"]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {error["field"] for error in body["errors"]} >= {"country", "kinds"}
    assert Company.objects.count() == before


def test_malformed_json_is_a_422_not_a_500(client_as):
    response = client_as("lca.manager").post("/api/v1/companies", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"detail", "code", "errors"}


def test_session_api_writes_need_the_csrf_token(db, demo_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("lca.manager"))
    response = client.post(
        "/api/v1/companies",
        json.dumps({"name": "No Csrf", "tax_id": "NC1", "country": "LC", "kinds": ["importer"]}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
