"""Helpers for declaration tests: a valid payload to start from, the immediate task backend."""

from __future__ import annotations

import copy

import pytest

from tradewinds.declarations.codes import with_check_digit

VALID_CONTAINER = with_check_digit("MSCU123456")


def cargo(number: str = "LCA-T-0001", **changes) -> dict:
    """A valid cargo declaration for Saint Lucia, lodged by the demo trader's company."""
    payload = {
        "number": number,
        "importer_code": "LC100200",
        "transport_mode": "sea",
        "port_of_loading": "USMIA",
        "port_of_discharge": "LCCAS",
        "departure_country": "US",
        "containers": [VALID_CONTAINER],
        "items": [
            {"hs_code": "870323", "description": "Toyota Corolla", "origin_country": "JP", "customs_value": "42000"},
            {
                "hs_code": "220300",
                "description": "Beer",
                "origin_country": "TT",
                "customs_value": "1800.50",
                "net_mass_kg": "900",
                "gross_mass_kg": "950",
            },
        ],
    }
    payload = copy.deepcopy(payload)
    payload.update(changes)
    return payload


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once, inside the test (the database queue needs a worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
