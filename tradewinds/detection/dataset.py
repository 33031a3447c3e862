"""Declarations as the detection engine sees them: canonical item rows from the risk app's frame
builder, with labels taken from recorded inspection outcomes.

Only inspected declarations have labels. An outcome becomes two labels:

- ``fraud`` (1): a discrepancy that costs revenue (undervaluation, misclassification, origin,
  quantity, or "other" with extra duty assessed);
- ``critical`` (2, the engine's value for a public-safety offence): narcotics, weapons, prohibited
  or restricted goods, counterfeits.

Outcomes imported with a history file carry only the file's flags (every hit is a fraud, the
file's critical flag a critical offence), so they are read that way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from tradewinds.core.models import Administration
from tradewinds.risk import frames
from tradewinds.risk.models import InspectionOutcome

DUTY_TYPES = frozenset({"undervaluation", "misclassification", "origin", "quantity"})
CRITICAL_TYPES = frozenset({"narcotics", "weapons", "prohibited", "counterfeit"})
CRITICAL_LABEL = 2  # the engine reads critical == 2 as a public-safety offence

# The canonical schema of one item row, so a declaration with only empty values (a postal parcel
# without an HS code) still has typed columns for the feature code.
ITEM_SCHEMA: dict[str, Any] = {
    "declaration_id": pl.Int64,
    "declaration_date": pl.Date,
    **dict.fromkeys(frames.DECLARATION_COLUMNS, pl.String),
    **dict.fromkeys(frames.ITEM_TEXT_COLUMNS, pl.String),
    **dict.fromkeys(frames.ITEM_NUMBER_COLUMNS, pl.Float64),
}


def outcome_labels(
    result: str, kinds: Sequence[str] | None, extra_duty: Decimal | float | None, *, historical: bool, critical: bool
) -> tuple[int, int]:
    """(fraud, critical) for one outcome: fraud 0/1, critical 0 or 2."""
    if result != InspectionOutcome.Result.DISCREPANCY:
        return 0, 0
    found = set(kinds or ())
    is_critical = bool(found & CRITICAL_TYPES) or (historical and critical)
    is_fraud = bool(found & DUTY_TYPES) or ("other" in found and float(extra_duty or 0) > 0)
    if historical and not found - {"other"}:
        is_fraud = True  # a history file's fraud flag: the file does not say which kind
    return int(is_fraud), CRITICAL_LABEL if is_critical else 0


def labels_for(administration_id: int, start: dt.date, end: dt.date) -> pl.DataFrame:
    """declaration_id, fraud, critical for every declaration inspected with an outcome in the window
    (by lodgement; a day either side absorbs time zones, the frame cuts on the local date)."""
    rows = (
        InspectionOutcome.objects.filter(
            administration_id=administration_id,
            declaration__lodged_at__date__gte=start - dt.timedelta(1),
            declaration__lodged_at__date__lte=end + dt.timedelta(1),
        )
        .order_by("declaration_id")
        .values_list("declaration_id", "result", "discrepancy_types", "extra_duty", "historical", "critical")
    )
    ids, fraud, critical = [], [], []
    for declaration_id, result, kinds, extra, historical, flagged in rows:
        labels = outcome_labels(result, kinds, extra, historical=historical, critical=flagged)
        ids.append(declaration_id)
        fraud.append(labels[0])
        critical.append(labels[1])
    return pl.DataFrame(
        {"declaration_id": ids, "fraud": fraud, "critical": critical},
        schema={"declaration_id": pl.Int64, "fraud": pl.Int64, "critical": pl.Int64},
    )


def labelled_frame(administration: Administration, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Item rows of the inspected declarations lodged in [start, end], with their labels, by date."""
    labels = labels_for(administration.pk, start, end)
    if labels.is_empty():
        return pl.DataFrame(schema={**ITEM_SCHEMA, "fraud": pl.Int64, "critical": pl.Int64})
    frame = frames.declaration_frame(labels["declaration_id"].to_list(), time_zone=time_zone(administration))
    frame = frame.filter(pl.col("declaration_date").is_between(start, end))
    return frame.join(labels, on="declaration_id", how="inner").sort("declaration_date", "declaration_id")


def flow_frame(administration: Administration, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Every declaration lodged in [start, end], inspected or not: the flow the model will score."""
    return frames.history_frame(administration.pk, start, end, time_zone=time_zone(administration))


def items_frame(items: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """One declaration's items (canonical dicts, as risk assessment passes them) as a typed frame."""
    rows = [{name: item.get(name) for name in ITEM_SCHEMA} for item in items]
    return pl.DataFrame(rows, schema=ITEM_SCHEMA, strict=False)


def time_zone(administration: Administration) -> str:
    return administration.time_zone or "UTC"
