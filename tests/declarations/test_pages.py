"""The declaration pages as officers and traders use them."""

from __future__ import annotations

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradewinds.core.dashboard import collect_cards
from tradewinds.declarations.models import Declaration, ImportProfile

from .conftest import VALID_CONTAINER

LIST = "/declarations/"


def numbers_on(response) -> list[str]:
    body = response.content.decode()
    return [d.number for d in Declaration.objects.filter(administration__code="lca") if f">{d.number}</a>" in body]


def test_list_filters_by_lane_kind_hs_origin_and_company(client_as):
    client = client_as("lca.risk")
    Declaration.objects.filter(number="LCA-C00001").update(lane="red")
    red = client.get(LIST, {"lane": "red", "page": 1}).context["page"]
    assert red.paginator.count == Declaration.objects.filter(administration__code="lca", lane="red").count()
    assert "LCA-C00001" in numbers_on(client.get(LIST, {"lane": "red", "number": "LCA-C00001"}))
    assert all(d.lane == "red" for d in red)
    postal = client.get(LIST, {"kind": "postal"})
    assert (
        postal.context["page"].paginator.count
        == Declaration.objects.filter(administration__code="lca", kind="postal").count()
    )
    phones = client.get(LIST, {"hs": "851713"}).context["page"]
    assert (
        phones.paginator.count
        == Declaration.objects.filter(administration__code="lca", items__hs_code="851713").distinct().count()
    )
    from_japan = client.get(LIST, {"origin": "JP"}).context["page"]
    assert all(d.items.filter(origin_country="JP").exists() for d in from_japan)
    mine = client.get(LIST, {"company": "Castries Trading"}).context["page"]
    assert mine.paginator.count > 0 and all("LC100200" in (d.importer_code, d.declarant_code) for d in mine)


def test_list_period_and_paging(client_as):
    client = client_as("lca.manager")
    first = client.get(LIST).context["page"]
    assert len(first) == 25 and first.paginator.count == Declaration.objects.filter(administration__code="lca").count()
    second = client.get(LIST, {"page": 2}).context["page"]
    assert not {d.pk for d in first} & {d.pk for d in second}
    newest = first[0].lodged_at.date()
    today_only = client.get(LIST, {"date_from": newest.isoformat(), "date_to": newest.isoformat()}).context["page"]
    assert 0 < today_only.paginator.count < 600


def test_csv_export_holds_the_filtered_list(client_as):
    response = client_as("lca.risk").get("/declarations/export.csv", {"kind": "postal"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    postal = Declaration.objects.filter(administration__code="lca", kind="postal").count()
    assert rows[0][0] == "Number" and len(rows) == postal + 1
    assert {row[1] for row in rows[1:]} == {"postal"}


def test_list_page_makes_the_same_queries_for_5_or_25_rows(client_as):
    client = client_as("lca.risk")
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST, {"number": "LCA-C0000"}).context["page"]) == 9
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).context["page"]) == 25
    assert len(many) == len(few) <= 12


def test_detail_shows_items_timeline_versions_and_parties(client_as):
    declaration = Declaration.objects.filter(administration__code="lca", version=2).first()
    body = client_as("lca.examiner").get(f"/declarations/{declaration.pk}/").content.decode()
    for part in ('data-testid="items"', 'data-testid="timeline"', 'data-testid="versions"', "changed: items"):
        assert part in body
    assert declaration.items.first().hs_code in body and declaration.importer_code in body


def test_detail_of_a_declaration_costs_a_fixed_number_of_queries(client_as):
    client = client_as("lca.examiner")
    small, large = (
        Declaration.objects.filter(administration__code="lca", kind="cargo").order_by(order).first()
        for order in ("items__line_number", "-items__line_number")
    )
    counts = []
    for declaration in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/declarations/{declaration.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_trader_lodges_on_the_form_and_sees_errors_on_the_fields(client_as):
    client = client_as("lca.trader")
    form = {
        "number": "LCA-WEB-1",
        "declaration_type": "import",
        "importer_code": "LC100200",
        "transport_mode": "sea",
        "port_of_discharge": "LCCAS",
        "containers": "MSCU1234565",
        "currency": "XCD",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50",
        "items-0-hs_code": "870323",
        "items-0-origin_country": "JP",
        "items-0-customs_value": "30000",
        "items-1-hs_code": "851712",
        "items-1-origin_country": "CN",
        "items-1-customs_value": "500",
    }
    response = client.post("/declarations/new/", form)
    assert response.status_code == 200
    assert "check digit should be 6" in str(response.context["form"].errors["containers"])
    assert "851712" in str(response.context["items"].forms[1].errors["hs_code"])
    assert not Declaration.objects.filter(number="LCA-WEB-1").exists()
    form.update({"containers": VALID_CONTAINER, "items-1-hs_code": "851713"})
    response = client.post("/declarations/new/", form)
    declaration = Declaration.objects.get(number="LCA-WEB-1")
    assert response.status_code == 302 and declaration.items.count() == 2 and declaration.source == "web"


def test_trader_sees_only_its_own_companys_declarations(client_as, demo_user):
    tax_id = demo_user("lca.trader").company.tax_id
    page = client_as("lca.trader").get(LIST, {"page": 1}).context["page"]
    assert page.paginator.count > 0
    assert all(tax_id in (d.importer_code, d.declarant_code) for d in page.paginator.object_list)
    foreign = Declaration.objects.filter(administration__code="lca").exclude(importer_code=tax_id)
    foreign = foreign.exclude(declarant_code=tax_id).first()
    assert client_as("lca.trader").get(f"/declarations/{foreign.pk}/").status_code == 404


def test_profile_mapping_is_checked_column_by_column(client_as):
    client = client_as("lca.manager")
    profile = ImportProfile.objects.get(administration__code="lca", name="kcs-synthetic")
    mapping = {**profile.mapping, "columns": {**profile.mapping["columns"], "Colour": "paint_colour"}}
    data = {"name": "kcs-synthetic", "file_format": "csv", "mapping": json.dumps(mapping)}
    response = client.post(f"/declarations/profiles/{profile.pk}/", data)
    assert response.status_code == 200
    assert "unknown target field paint_colour" in str(response.context["form"].errors["mapping"])
    response = client.post(f"/declarations/profiles/{profile.pk}/", {**data, "mapping": "{not json"})
    assert "Not valid JSON" in str(response.context["form"].errors["mapping"])
    mapping["columns"].pop("Colour")
    mapping["columns"]["Arrival"] = "arrival_date"
    response = client.post(f"/declarations/profiles/{profile.pk}/", {**data, "mapping": json.dumps(mapping)})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.mapping["columns"]["Arrival"] == "arrival_date"
    assert client_as("lca.trader").post(f"/declarations/profiles/{profile.pk}/", data).status_code == 403


def test_dashboard_cards_count_real_declarations(demo_user):
    staff = {card.title: card.value for card in collect_cards(demo_user("lca.manager"))}
    assert staff["Lodged in the last 7 days"] > 0 and isinstance(staff["Median hours, lodgement to release"], float)
    trader = {card.title: card.value for card in collect_cards(demo_user("lca.trader"))}
    assert trader["Your declarations, last 30 days"] > 0
