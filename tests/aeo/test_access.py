"""A trader reaches only its own company's file; customs staff only their administration's."""

from __future__ import annotations

import json

import pytest

from tests.aeo.conftest import start
from tradewinds.aeo.models import AeoApplication, AeoCertificate, AeoFinding
from tradewinds.aeo.services import conversation, portal
from tradewinds.core.models import AuditEntry
from tradewinds.errors import NotFound


@pytest.fixture
def other_application(db):
    """An application of another Saint Lucia company (same administration as the trader)."""
    return AeoApplication.objects.filter(administration__code="lca", status="validation").first()


def test_a_trader_cannot_reach_another_companys_application(client_as, other_application):
    client = client_as("lca.trader")
    audited = AuditEntry.objects.count()
    for path in ("", "questionnaire/", "profile/"):
        assert client.get(f"/aeo/applications/{other_application.pk}/{path}").status_code in (403, 404), path
    assert client.post(f"/aeo/applications/{other_application.pk}/withdraw/", {"reason": "x"}).status_code == 404
    finding = AeoFinding.objects.filter(application=other_application).first()
    assert client.post(f"/aeo/findings/{finding.pk}/answer/", {"body": "ours now"}).status_code == 404
    certificate = AeoCertificate.objects.filter(administration__code="lca").first()
    assert client.get(f"/aeo/certificates/{certificate.pk}/").status_code == 404
    assert client.get(f"/aeo/certificates/{certificate.pk}/pdf/").status_code == 404
    assert client.get(f"/api/v1/aeo/applications/{other_application.pk}").status_code == 404
    response = client.post(
        f"/api/v1/aeo/applications/{other_application.pk}/messages",
        json.dumps({"body": "hello"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert AuditEntry.objects.count() == audited
    other_application.refresh_from_db()
    assert other_application.status == "validation"


def test_services_refuse_another_companys_application(demo_user, other_application):
    trader = demo_user("lca.trader")
    with pytest.raises(NotFound):
        portal.save_questionnaire(trader, other_application.pk, {})
    with pytest.raises(NotFound):
        conversation.post_message(trader, other_application.company_id, "hello")


def test_api_lists_only_the_traders_own_applications(client_as, trader):
    own = start(trader)
    items = client_as("lca.trader").get("/api/v1/aeo/applications").json()["items"]
    assert [item["id"] for item in items] == [own.pk]
    officer_items = client_as("lca.aeo").get("/api/v1/aeo/applications").json()["items"]
    assert len(officer_items) == AeoApplication.objects.filter(administration__code="lca").count()
    assert client_as("lca.risk").get("/api/v1/aeo/applications").status_code == 403


def test_manager_reads_but_cannot_act(client_as, other_application):
    client = client_as("lca.manager")
    assert client.get(f"/aeo/applications/{other_application.pk}/").status_code == 200
    assert client.post(f"/aeo/applications/{other_application.pk}/decide/", {"outcome": "refuse"}).status_code == 403
