"""Helpers for the risk tests: declarations written straight to the database (the declarations app's
own intake is tested there), rules written through the risk services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

_numbers = itertools.count(1)


def criterion(field: str, operator: str, value: Any = None) -> dict[str, Any]:
    node = {"field": field, "operator": operator}
    if value is not None:
        node["value"] = value
    return node


def rule_data(
    name: str, *criteria: dict[str, Any], weight: int = 0, lane: str | None = None, logic: str = "and", **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "rationale": f"Test rule {name}.",
        "weight": weight,
        "lane": lane,
        "condition": {"group": logic, "children": list(criteria)},
        **extra,
    }


@pytest.fixture
def make_declaration(db):
    from tradewinds.declarations.models import Declaration, DeclarationItem

    def make(
        administration,
        items: list[dict[str, Any]] | None = None,
        *,
        number: str | None = None,
        lodged_at: dt.datetime | None = None,
        **fields: Any,
    ) -> Declaration:
        declaration = Declaration.objects.create(
            administration=administration,
            number=number or f"TST-{next(_numbers):06d}",
            lodged_at=lodged_at or timezone.now(),
            importer_code=fields.pop("importer_code", "IMP0001"),
            declarant_code=fields.pop("declarant_code", "DCL001"),
            transport_mode="sea",
            **fields,
        )
        for line, item in enumerate(items or [{}], start=1):
            values = {
                "hs_code": "847130",
                "origin_country": "US",
                "customs_value": Decimal("1000"),
                "net_mass_kg": Decimal("10"),
                "quantity": Decimal("1"),
                **item,
            }
            DeclarationItem.objects.create(
                administration=administration, declaration=declaration, line_number=line, **values
            )
        return declaration

    return make


@pytest.fixture
def lca(db):
    from tradewinds.core.models import Administration

    return Administration.objects.get(code="lca")


@pytest.fixture
def quiet_settings(lca):
    """No random selection, plain thresholds, no model points, no model exploration and none of the
    demo's rules active, so a test knows which lane its own rules give (the test's transaction
    restores the demo afterwards)."""
    from tradewinds.detection import source
    from tradewinds.detection.models import DetectionSettings
    from tradewinds.risk.context import settings_for
    from tradewinds.risk.models import RiskRule

    RiskRule.objects.filter(administration=lca).update(status=RiskRule.Status.DRAFT)

    settings = settings_for(lca)
    for lane in ("red", "yellow", "blue"):
        setattr(settings, f"random_{lane}", 0.0)
    settings.threshold_red, settings.threshold_yellow, settings.threshold_blue = 80, 50, 30
    settings.model_weight = 0  # the demo's active model would add its own points
    settings.save()
    # Nor may the model send a declaration to its exploration lane, whatever its probability today.
    DetectionSettings.objects.update_or_create(administration=lca, defaults={"exploration_share": 0.0})
    source.forget_settings(lca.pk)
    return settings


@pytest.fixture(autouse=True)
def _fresh_caches():
    from tradewinds.risk.context import clear_caches

    clear_caches()
    yield
    clear_caches()
