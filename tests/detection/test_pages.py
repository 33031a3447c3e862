"""Pages and API of the model registry: who may see and do what; the declaration panel's three
scores for officers and nothing for traders."""

from __future__ import annotations

import json

import pytest

from tradewinds.core.models import AuditEntry
from tradewinds.declarations.models import Declaration
from tradewinds.detection.models import DetectionSettings, ModelVersion


@pytest.mark.parametrize("username", ["lca.risk", "lca.manager"])
def test_officers_and_managers_see_the_registry_pages(client_as, username, active_version):
    client = client_as(username)
    listing = client.get("/detection/models/")
    assert listing.status_code == 200 and b'data-testid="versions"' in listing.content
    detail = client.get(f"/detection/models/{active_version.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and 'data-testid="metrics"' in body and "chart-4.6.1.umd.js" in body
    assert 'id="curve-data"' in body and 'data-testid="log"' in body
    assert client.get("/detection/models/compare/").status_code == 200
    assert client.get("/detection/settings/").status_code == 200


@pytest.mark.parametrize("username", ["lca.examiner", "lca.clearance", "lca.aeo", "lca.trader", "region.analyst"])
def test_other_roles_are_refused(client_as, username, active_version):
    client = client_as(username)
    for url in ("/detection/models/", f"/detection/models/{active_version.pk}/", "/detection/settings/"):
        assert client.get(url).status_code == 403, (username, url)
    assert client.post("/detection/models/train/").status_code == 403


def test_training_from_the_page_shows_progress(client_as, immediate_tasks):
    client = client_as("lca.risk")
    response = client.post("/detection/models/train/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="training-run"' in body
    assert 'data-status="succeeded"' in body and "<progress" in body and "hx-trigger" not in body


def test_compare_and_settings_pages(client_as, demo_user, immediate_tasks, active_version):
    from tradewinds.detection import services

    newer = services.start_training(demo_user("lca.risk")).model_version
    client = client_as("lca.manager")
    page = client.get(f"/detection/models/compare/?a={active_version.pk}&b={newer.pk}")
    assert page.status_code == 200 and b'data-testid="compare"' in page.content
    response = client.post(
        "/detection/settings/",
        {"exploration_share": "0.15", "uncertain_share": "0.5", "min_probability": "0.05", "exploration_lane": "red"},
    )
    assert response.status_code == 302
    chosen = DetectionSettings.objects.get(administration=active_version.administration)
    assert (chosen.exploration_share, chosen.exploration_lane) == (0.15, "red")
    activate = client.post(f"/detection/models/{newer.pk}/activate/")
    assert activate.status_code == 302
    assert ModelVersion.objects.get(pk=newer.pk).is_active


def test_declaration_panel_shows_three_scores_to_officers_and_nothing_to_traders(client_as, demo_user, lca):
    trader = demo_user("lca.trader")
    declaration = Declaration.objects.filter(administration=lca, importer_code=trader.company.tax_id).first()
    assert declaration is not None
    url = f"/declarations/{declaration.pk}/"
    for officer in ("lca.examiner", "lca.risk"):
        body = client_as(officer).get(url).content.decode()
        assert 'data-testid="detection-panel"' in body, officer
        for key in ("fraud", "critical", "expected_revenue"):
            assert f'data-testid="score-{key}"' in body
    trader_view = client_as("lca.trader").get(url)
    assert trader_view.status_code == 200
    assert b"detection-panel" not in trader_view.content


def test_api_lists_reads_trains_and_activates(client_as, active_version, immediate_tasks):
    client = client_as("lca.risk")
    listed = client.get("/api/v1/detection/models").json()
    assert [row["id"] for row in listed if row["status"] == "active"] == [active_version.pk]
    one = client.get(f"/api/v1/detection/models/{active_version.pk}").json()
    assert one["metrics"]["evaluation"]["declarations"] > 0 and one["curve"]
    started = client.post("/api/v1/detection/training", json.dumps({}), content_type="application/json")
    assert started.status_code == 202 and started.json()["status"] == "succeeded"
    new_id = started.json()["model_version"]
    run = client.get(f"/api/v1/detection/training/{started.json()['id']}").json()
    assert run["progress"] == 100 and run["log"]
    audited = AuditEntry.objects.count()
    activated = client.post(f"/api/v1/detection/models/{new_id}/activate", "{}", content_type="application/json")
    assert activated.status_code == 200 and activated.json()["status"] == "active"
    assert AuditEntry.objects.count() == audited + 1
    assert client_as("lca.trader").get("/api/v1/detection/models").status_code == 403
