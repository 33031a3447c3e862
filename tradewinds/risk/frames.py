"""The one bridge from the database to the engine: declarations and their items as a Polars frame
with the engine's canonical columns (``tradewinds.risk.engine.fields``).

Backtests, batch assessment, performance figures and (later) model training all read declarations
through here, so a rule sees exactly the same values whichever path evaluates it. One row per item;
a declaration without items (a postal consignment) still gets one row, with empty item fields, so it
is assessed like any other."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db.models import FloatField
from django.db.models.functions import Cast

from tradewinds.declarations.models import Declaration, DeclarationItem
from tradewinds.declarations.profiles import HEADER_TARGETS, ITEM_TARGETS

# The engine's canonical columns -> Declaration / DeclarationItem fields: the file import's table
# (payload fields are named as the model's), restricted to what rules and the model read.
DECLARATION_COLUMNS: dict[str, str] = {
    column: HEADER_TARGETS[column]
    for column in (
        "declaration_number",
        "declaration_type",
        "office_code",
        "process_type",
        "import_type",
        "import_use",
        "payment_type",
        "transport_mode",
        "declarant_id",
        "importer_id",
        "seller_id",
        "courier_id",
        "departure_country",
        "currency",
        "port_of_loading",
        "port_of_discharge",
    )
}
ITEM_TEXT_COLUMNS: dict[str, str] = {
    column: ITEM_TARGETS[column] for column in ("hs_code", "origin_country", "tax_type", "origin_indicator")
}
ITEM_NUMBER_COLUMNS: dict[str, str] = {
    column: ITEM_TARGETS[column]
    for column in ("duty_rate", "net_mass_kg", "gross_mass_kg", "quantity", "customs_value", "duty_amount")
}
OUTCOME_COLUMNS = ("inspected", "hit", "fraud", "critical", "extra_duty")
_CHUNK = 5000  # ids per IN (...) clause: well under SQLite's variable limit


def declaration_frame(
    declaration_ids: Sequence[int], *, time_zone: str = "UTC", with_outcomes: bool = False
) -> pl.DataFrame:
    """Items of the given declarations (canonical columns plus ``declaration_id``), in id order."""
    frames = [
        _frame_for(list(declaration_ids[start : start + _CHUNK]), time_zone, with_outcomes)
        for start in range(0, len(declaration_ids), _CHUNK)
    ]
    frames = [frame for frame in frames if frame.height]
    return pl.concat(frames, how="vertical") if frames else _empty(with_outcomes)


def history_frame(administration_id: int, start: dt.date, end: dt.date, *, time_zone: str = "UTC") -> pl.DataFrame:
    """Every declaration the administration lodged in [start, end] (local dates), with outcomes:
    the history a backtest replays and a model trains on."""
    ids = list(
        Declaration.objects.filter(administration_id=administration_id, lodged_at__date__gte=start - dt.timedelta(1))
        .filter(lodged_at__date__lte=end + dt.timedelta(1))
        .order_by("id")
        .values_list("id", flat=True)
    )
    frame = declaration_frame(ids, time_zone=time_zone, with_outcomes=True)
    # The day either side above absorbs time-zone shifts; the exact cut is on the local date.
    return frame.filter(pl.col("declaration_date").is_between(start, end))


def items_for(
    declaration: Declaration, time_zone: str = "UTC", written: Sequence[DeclarationItem] | None = None
) -> list[dict[str, Any]]:
    """One declaration's items as dicts for the single-declaration engine path: the same rows as
    ``declaration_frame([declaration.pk]).to_dicts()``, built without Polars. The header comes from
    the instance, which has just been saved; the items from ``written`` (the rows just saved, in line
    order) or else one query."""
    item_fields = [*ITEM_TEXT_COLUMNS.values(), *ITEM_NUMBER_COLUMNS.values()]
    if written is None:
        items = list(
            DeclarationItem.objects.filter(declaration_id=declaration.pk)
            .order_by("line_number")
            .values_list(*item_fields)
        )
    else:
        items = [tuple(getattr(item, name) for name in item_fields) for item in written]
    lodged = declaration.lodged_at
    head: dict[str, Any] = {
        "declaration_id": declaration.pk,
        "declaration_date": lodged.astimezone(zoneinfo.ZoneInfo(time_zone)).date() if lodged is not None else None,
    }
    for name, attribute in DECLARATION_COLUMNS.items():
        value = getattr(declaration, attribute)
        head[name] = None if value is None else str(value)
    texts, numbers = len(ITEM_TEXT_COLUMNS), list(ITEM_NUMBER_COLUMNS)
    rows = []
    for item in items or [(None,) * len(item_fields)]:
        row = dict(head)
        row.update(zip(ITEM_TEXT_COLUMNS, item[:texts], strict=True))
        row.update(zip(numbers, _floats(item[texts:]), strict=True))
        if row["hs_code"] is not None:
            row["hs_code"] = row["hs_code"][:6]
        rows.append(row)
    return rows


def _frame_for(ids: list[int], time_zone: str, with_outcomes: bool) -> pl.DataFrame:
    head_fields = ["id", "lodged_at", *DECLARATION_COLUMNS.values()]
    if with_outcomes:
        head_fields += ["outcome__result", "outcome__critical", "outcome__extra_duty"]
    heads = list(Declaration.objects.filter(pk__in=ids).order_by("id").values_list(*head_fields))
    if not heads:
        return _empty(with_outcomes)
    item_fields = ["declaration_id", *ITEM_TEXT_COLUMNS.values(), *ITEM_NUMBER_COLUMNS.values()]
    items = list(
        DeclarationItem.objects.filter(declaration_id__in=ids)
        .order_by("declaration_id", "line_number")
        .values_list(*item_fields)
    )
    head_frame = _head_frame(heads, time_zone, with_outcomes)
    item_frame = _item_frame(items)
    joined = head_frame.join(item_frame, on="declaration_id", how="left", maintain_order="left")
    return joined.with_columns(pl.col("hs_code").str.slice(0, 6))


def _head_frame(rows: list[tuple], time_zone: str, with_outcomes: bool) -> pl.DataFrame:
    columns = list(zip(*rows, strict=True))
    data: dict[str, Any] = {"declaration_id": pl.Series(columns[0], dtype=pl.Int64)}
    lodged = pl.Series("lodged_at", columns[1], dtype=pl.Datetime("us", "UTC"))
    data["declaration_date"] = lodged.dt.convert_time_zone(time_zone).dt.date()
    for offset, name in enumerate(DECLARATION_COLUMNS, start=2):
        data[name] = pl.Series(columns[offset], dtype=pl.String)
    if with_outcomes:
        data.update(_outcome_columns(columns[-3:]))
    return pl.DataFrame(data)


def _outcome_columns(columns: Sequence[tuple]) -> dict[str, pl.Series]:
    results, critical, extra = columns
    hit = [result == "discrepancy" for result in results]
    return {
        "inspected": pl.Series([result is not None for result in results], dtype=pl.Boolean),
        "hit": pl.Series(hit, dtype=pl.Boolean),
        "fraud": pl.Series([int(h) for h in hit], dtype=pl.Int64),
        "critical": pl.Series([int(bool(c) and h) for c, h in zip(critical, hit, strict=True)], dtype=pl.Int64),
        "extra_duty": pl.Series([float(value or 0) for value in extra], dtype=pl.Float64),
    }


def _item_frame(rows: list[tuple]) -> pl.DataFrame:
    names = ["declaration_id", *ITEM_TEXT_COLUMNS, *ITEM_NUMBER_COLUMNS]
    if not rows:
        schema = {
            "declaration_id": pl.Int64,
            **dict.fromkeys(ITEM_TEXT_COLUMNS, pl.String),
            **dict.fromkeys(ITEM_NUMBER_COLUMNS, pl.Float64),
        }
        return pl.DataFrame(schema=schema)
    columns = list(zip(*rows, strict=True))
    data: dict[str, pl.Series] = {"declaration_id": pl.Series(columns[0], dtype=pl.Int64)}
    for offset, name in enumerate(names[1:], start=1):
        if name in ITEM_TEXT_COLUMNS:
            data[name] = pl.Series(columns[offset], dtype=pl.String)
        else:
            data[name] = pl.Series(_floats(columns[offset]), dtype=pl.Float64)
    return pl.DataFrame(data)


def _floats(values: Iterable[Any]) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def _empty(with_outcomes: bool) -> pl.DataFrame:
    schema: dict[str, Any] = {
        "declaration_id": pl.Int64,
        "declaration_date": pl.Date,
        **dict.fromkeys(DECLARATION_COLUMNS, pl.String),
        **dict.fromkeys(ITEM_TEXT_COLUMNS, pl.String),
        **dict.fromkeys(ITEM_NUMBER_COLUMNS, pl.Float64),
    }
    if with_outcomes:
        schema.update(
            {
                "inspected": pl.Boolean,
                "hit": pl.Boolean,
                "fraud": pl.Int64,
                "critical": pl.Int64,
                "extra_duty": pl.Float64,
            }
        )
    return pl.DataFrame(schema=schema)


def median_unit_values(
    administration_id: int, start: dt.date, end: dt.date, *, time_zone: str = "UTC"
) -> dict[str, float]:
    """Median customs value per kg for each HS6 code over the items of the declarations lodged in
    [start, end] (local dates): the reference "unit value below the HS median" compares with. Items
    without an HS code, mass or value are left out. It reads the three columns it needs, not the
    history frame: a lodging waits for it whenever a server process refreshes its medians."""
    zone = zoneinfo.ZoneInfo(time_zone)
    rows = (
        DeclarationItem.objects.filter(
            administration_id=administration_id,
            declaration__lodged_at__gte=dt.datetime.combine(start, dt.time.min, zone),
            declaration__lodged_at__lt=dt.datetime.combine(end + dt.timedelta(1), dt.time.min, zone),
            net_mass_kg__gt=0,
        )
        .exclude(hs_code="")
        .values_list("hs_code", Cast("customs_value", FloatField()), Cast("net_mass_kg", FloatField()))
    )
    frame = pl.DataFrame(
        list(rows), schema={"hs_code": pl.String, "value": pl.Float64, "mass": pl.Float64}, orient="row"
    )
    medians = frame.group_by(pl.col("hs_code").str.slice(0, 6)).agg((pl.col("value") / pl.col("mass")).median())
    return dict(zip(medians["hs_code"].to_list(), medians["value"].to_list(), strict=True))
