"""The risk officer's path end to end in a real browser on the real server (`tradewinds serve --demo`):
write a rule, backtest it, activate it; a partner's system lodges a declaration through the API and it
lands in the rule's lane with the reason on the declaration page; the examination officer records the
outcome; the performance page counts it."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser import browser_page, log_in, log_out

pytestmark = pytest.mark.browser

RULE = "Toys from one forwarder (browser test)"


def lodge(base_url: str) -> dict:
    payload = {
        "number": "BROWSER-RISK-0001",
        "kind": "cargo",
        "declaration_type": "import",
        "office_code": "LCCAS",
        "importer_code": "LC777001",
        "transport_mode": "sea",
        "port_of_loading": "USMIA",
        "port_of_discharge": "LCCAS",
        "departure_country": "US",
        "items": [
            {
                "hs_code": "950300",
                "description": "Toys",
                "origin_country": "CN",
                "quantity": 100,
                "net_mass_kg": 250,
                "gross_mass_kg": 270,
                "customs_value": 4000,
                "duty_rate": 20,
            }
        ],
    }
    request = urllib.request.Request(
        base_url + "/api/v1/declarations",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": "Bearer tw_demo_lca_partner_key", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def write_rule(page, base_url: str) -> None:
    page.goto(base_url + "/risk/rules/")
    page.get_by_test_id("new-rule").click()
    page.fill("input[name=name]", RULE)
    page.fill("textarea[name=rationale]", "Intelligence: toys hide counterfeit goods this season.")
    page.select_option("select[name=lane]", "red")
    page.fill("input[name=weight]", "10")
    page.select_option("select[name=criteria-0-field]", "hs_code")
    page.select_option("select[name=criteria-0-operator]", "hs_prefix")
    page.fill("input[name=criteria-0-value]", "9503")
    page.get_by_test_id("add-criterion").click()  # htmx brings a second row
    page.wait_for_selector("select[name=criteria-1-field]")
    page.select_option("select[name=criteria-1-field]", "origin_country")
    page.select_option("select[name=criteria-1-operator]", "equals")
    page.fill("input[name=criteria-1-value]", "cn")
    page.get_by_test_id("backtest").click()
    page.wait_for_selector("[data-testid=backtest-draft]")
    assert page.get_by_test_id("bt-fired").inner_text().isdigit()
    page.get_by_test_id("save-rule").click()
    page.wait_for_selector("[data-testid=activate]")
    page.get_by_test_id("activate").click()
    page.wait_for_selector("[data-testid=rule-status]")
    assert "Active" in page.get_by_test_id("rule-status").inner_text()


def test_officers_path_from_rule_to_performance(served_demo):
    with browser_page() as page:
        log_in(page, served_demo, "lca.risk")
        write_rule(page, served_demo)
        declaration = lodge(served_demo)
        detail = f"{served_demo}/declarations/{declaration['id']}/"
        page.goto(detail)
        assert page.get_by_test_id("decision-lane").get_attribute("data-lane") == "red"
        assert RULE in page.get_by_test_id("reasons").inner_text()
        log_out(page)

        log_in(page, served_demo, "lca.examiner")
        page.goto(detail)
        form = page.get_by_test_id("outcome-form")
        form.locator("input[name=result][value=discrepancy]").check()
        form.locator("input[name=discrepancy_types][value=counterfeit]").check()
        form.locator("input[name=extra_duty]").fill("350")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=outcome]")
        assert "Counterfeit" in page.get_by_test_id("outcome").inner_text()
        log_out(page)

        log_in(page, served_demo, "lca.risk")
        page.goto(served_demo + "/risk/performance/")
        row = page.get_by_test_id("rule-performance").locator("tr", has_text=RULE)
        assert row.locator("td").nth(1).inner_text() == "1"  # fired
        assert row.locator("td").nth(3).inner_text() == "1"  # hits
        assert page.locator("#rates-chart").is_visible()
