"""Backtest and performance figures checked against counts made independently in the test, on a small
history placed in 2020 so the demo's months do not mix in."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.risk.conftest import criterion, rule_data
from tradewinds.risk import performance, services
from tradewinds.risk.models import InspectionOutcome

# (hs code, origin, inspected?, discrepancy?)
HISTORY = [
    ("240220", "PA", True, True),
    ("240220", "PA", True, False),
    ("240220", "US", True, True),
    ("240220", "US", False, False),
    ("220830", "PA", True, True),
    ("220830", "GB", True, False),
    ("847130", "CN", True, False),
    ("847130", "PA", False, False),
    ("870323", "JP", True, True),
    ("870323", "JP", False, False),
    ("851713", "CN", True, False),
    ("240310", "CO", True, True),
]
START, END = dt.date(2020, 3, 1), dt.date(2020, 3, 31)


def lodged(index: int) -> dt.datetime:
    return dt.datetime(2020, 3, 2 + index, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def history(lca, make_declaration, demo_user):
    made = []
    for index, (hs, origin, inspected, hit) in enumerate(HISTORY):
        declaration = make_declaration(
            lca, [{"hs_code": hs, "origin_country": origin}], lodged_at=lodged(index), number=f"HIST-2020-{index:03d}"
        )
        made.append((declaration, hs, origin, inspected, hit))
    return made


def add_outcomes(made, examiner) -> None:
    for declaration, _hs, _origin, inspected, hit in made:
        if inspected:
            InspectionOutcome.objects.create(
                administration_id=declaration.administration_id,
                declaration=declaration,
                examiner=examiner,
                result="discrepancy" if hit else "no_discrepancy",
                discrepancy_types=["other"] if hit else [],
                extra_duty=Decimal(0),
                recorded_at=declaration.lodged_at,
            )


def draft_fires(hs: str, origin: str) -> bool:
    return hs.startswith("2402") or origin == "PA"


@pytest.mark.django_db
def test_backtest_counts_match_an_independent_count(history, demo_user, quiet_settings):
    add_outcomes(history, demo_user("lca.examiner"))
    draft = rule_data(
        "Tobacco or Panama",
        criterion("hs_code", "hs_prefix", ["2402"]),
        criterion("origin_country", "equals", "PA"),
        logic="or",
        weight=40,
    )
    report = services.backtest(demo_user("lca.risk"), draft, START, END)
    fired = [(inspected, hit) for _d, hs, origin, inspected, hit in history if draft_fires(hs, origin)]
    assert report.declarations == len(HISTORY)
    assert report.inspected == sum(1 for *_x, inspected, _h in history if inspected)
    assert report.draft.fired == len(fired) == 6
    assert report.draft.inspected == sum(inspected for inspected, _h in fired) == 4
    assert report.draft.hits == sum(inspected and hit for inspected, hit in fired) == 3
    assert report.draft.hit_rate.rate == pytest.approx(3 / 4)
    assert report.draft.hit_rate.low < 0.75 < report.draft.hit_rate.high
    narrow = services.backtest(demo_user("lca.risk"), draft, START, dt.date(2020, 3, 5))
    assert narrow.declarations == 4  # lodged 2, 3, 4 and 5 March


@pytest.mark.django_db
def test_backtest_through_the_editor(client_as, history, demo_user):
    add_outcomes(history, demo_user("lca.examiner"))
    from tests.risk.test_rules import editor_post

    data = editor_post(
        [{"field": "hs_code", "operator": "hs_prefix", "value": "2402"}],
        **{"bt-start": START.isoformat(), "bt-end": END.isoformat()},
    )
    body = client_as("lca.risk").post("/risk/rules/backtest/", data).content.decode()
    expected = [(inspected, hit) for _d, hs, _o, inspected, hit in history if hs.startswith("2402")]
    assert f'data-testid="bt-fired">{len(expected)}<' in body
    assert f'data-testid="bt-hits">{sum(i and h for i, h in expected)}<' in body


@pytest.mark.django_db
def test_performance_figures(client_as, history, demo_user, lca, quiet_settings):
    quiet_settings.random_red, quiet_settings.expected_red = 0.3, 0.3
    quiet_settings.save()
    risk = demo_user("lca.risk")
    rule = services.create_rule(risk, rule_data("Tobacco", criterion("hs_code", "hs_prefix", ["2402"]), weight=60))
    services.activate_rule(risk, rule.pk)
    services.assess_batch([d.pk for d, *_rest in history], risk)
    add_outcomes(history, demo_user("lca.examiner"))
    figures = performance.figures(lca, performance.Period(START, END))
    inspected = [row for row in history if row[3]]
    assert figures["declarations"] == len(HISTORY) and figures["inspected"] == len(inspected)
    assert figures["hits"] == sum(row[4] for row in inspected)
    tobacco = next(row for row in figures["rules"] if row["rule_id"] == str(rule.pk))
    fired = [row for row in history if row[1].startswith("2402")]
    assert (tobacco["fired"], tobacco["inspected"], tobacco["hits"]) == (
        len(fired),
        sum(r[3] for r in fired),
        sum(r[3] and r[4] for r in fired),
    )
    random_rows = [(row, d.lane_decisions.get(current=True)) for row in history for d in [row[0]]]
    sample = [row for row, decision in random_rows if decision.random_selected and row[3]]
    estimate = figures["random_estimate"]
    assert estimate["trials"] == len(sample) and estimate["successes"] == sum(row[4] for row in sample)
    by_lane = {row["lane"]: row["declarations"] for row in figures["lanes"]}
    assert sum(by_lane.values()) == len(HISTORY)
    api = client_as("lca.manager").get("/api/v1/risk/performance", {"start": START, "end": END}).json()
    assert api["hits"] == figures["hits"] and api["declarations"] == len(HISTORY)
    page = client_as("lca.manager").get("/risk/performance/", {"start": START, "end": END}).content.decode()
    assert f'data-testid="perf-hits">{figures["hits"]}<' in page and "Tobacco" in page
    assert json.loads(page.split('id="chart-data" type="application/json">')[1].split("</script>")[0])["periods"]
