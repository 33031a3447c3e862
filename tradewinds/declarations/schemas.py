"""API shapes of declarations. Input schemas check types only; every business rule (HS 2022,
ISO 6346, countries, ports, dates) lives in ``validation`` so the API, the pages and the file import
reject the same things with the same field paths (``items[2].hs_code``)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

CENT = Decimal("0.01")


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in the caller's language.")
    code: str = Field(..., description="Stable machine-readable code, e.g. invalid, forbidden, number_taken.")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Field errors: {"loc": ["items", 2, "hs_code"], "field": "items[2].hs_code", "msg": "..."}.',
    )


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    hs_code: str = Field(
        "",
        description="HS 2022 subheading, 6 digits (8 or 10 with a national subheading); "
        "required for cargo, optional for postal.",
        examples=["870323"],
    )
    description: str = Field("", description="Goods description as on the invoice.")
    origin_country: str = Field("", description="ISO 3166 alpha-2 country of origin; required for cargo.")
    quantity: Decimal | None = Field(None, description="Quantity in `quantity_unit`; not negative.")
    quantity_unit: str = Field("", description="Unit of quantity (e.g. NAR pieces, LTR litres).")
    net_mass_kg: Decimal | None = Field(None, description="Net mass in kg; not negative.")
    gross_mass_kg: Decimal | None = Field(None, description="Gross mass in kg; not below the net mass.")
    customs_value: Decimal = Field(..., description="Customs value in the declaration's currency; not negative.")
    duty_rate: Decimal | None = Field(None, description="Duty rate in percent.")
    duty_amount: Decimal | None = Field(None, description="Duty assessed, in the declaration's currency.")
    tax_type: str = Field("", description="Tax type code of the administration's tariff.")
    origin_indicator: str = Field("", description="Preferential origin indicator code.")


class DeclarationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(
        ...,
        description="The declaration number; re-sending it with the same content changes "
        "nothing, with other content it amends the declaration (a new version).",
        max_length=40,
    )
    kind: Literal["cargo", "postal"] = Field("cargo", description="Cargo, or a postal/express consignment.")
    declaration_type: Literal["import", "export", "transit"] = Field("import", description="Customs procedure.")
    office_code: str = Field("", description="Customs office of lodgement.")
    lodged_at: datetime | date | None = Field(
        None,
        description="When lodged (ISO 8601); now when absent. A time without zone is the administration's local time.",
    )
    arrival_at: datetime | date | None = Field(None, description="When the goods arrived, if they have.")
    declarant_code: str = Field("", description="Declarant's tax ID (a trader's own by default).")
    importer_code: str = Field("", description="Importer's tax ID; linked to the registered company with that tax ID.")
    seller_code: str = Field("", description="Exporter or seller identifier.")
    courier_code: str = Field("", description="Courier or express operator identifier.")
    sender_name: str = Field("", description="Postal: sender.")
    receiver_name: str = Field("", description="Postal: receiver (required for postal when no importer code).")
    transport_mode: str = Field(
        "", description="sea, air, road, post, other, or a UN Rec. 19 code (10 = sea, 40 = air)."
    )
    transport_means: str = Field("", description="Vessel IMO number or flight number.")
    port_of_loading: str = Field("", description="UN/LOCODE, e.g. USMIA.")
    port_of_discharge: str = Field("", description="UN/LOCODE, e.g. LCCAS.")
    departure_country: str = Field("", description="ISO 3166 alpha-2 country of departure.")
    containers: list[str] = Field(default_factory=list, description="ISO 6346 container numbers (check digit checked).")
    process_type: str = Field("", description="Procedure code as the administration's system sends it.")
    import_type: str = Field("", description="Import type code.")
    import_use: str = Field("", description="Import use code.")
    payment_type: str = Field("", description="Payment type code.")
    currency: str = Field("", description="ISO 4217 currency of the values; the administration's when absent.")
    items: list[ItemIn] = Field(..., description="One or more items (at most 999).")


class BatchIn(Schema):
    declarations: list[DeclarationIn] = Field(..., max_length=1000, description="Up to 1,000 declarations.")


class ItemOut(Schema):
    line_number: int
    hs_code: str
    description: str
    origin_country: str
    quantity: Decimal | None
    quantity_unit: str
    net_mass_kg: Decimal | None
    gross_mass_kg: Decimal | None
    customs_value: Decimal
    duty_rate: Decimal | None
    duty_amount: Decimal | None
    tax_type: str
    origin_indicator: str


class EventOut(Schema):
    kind: str = Field(
        ...,
        description="arrival, lodged, amended, risk_assessed, lane_assigned, lane_overridden, "
        "inspection_started, inspection_finished, released.",
    )
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    note: str


class VersionOut(Schema):
    version: int
    created_at: datetime
    created_by: str | None = Field(None, alias="created_by.username")
    payload: dict[str, Any] = Field(..., description="The declaration exactly as accepted in this version.")


class DeclarationSummaryOut(Schema):
    id: int
    number: str
    kind: str
    declaration_type: str
    status: str = Field(..., description="lodged, assessed, under_inspection, inspected, released.")
    lane: str = Field(..., description="red, yellow, blue, green; empty until risk assessment.")
    version: int
    lodged_at: datetime
    importer_code: str
    declarant_code: str
    currency: str
    item_count: int = 0
    total_value: Decimal | None = Field(None, description="Sum of the items' customs values, to the cent.")

    @staticmethod
    def resolve_total_value(declaration) -> Decimal | None:
        # SQLite sums decimals as floats (43800.5 for 42000.00 + 1800.50): amounts are shown to the cent.
        total = getattr(declaration, "total_value", None)
        return None if total is None else Decimal(total).quantize(CENT)


class DeclarationOut(DeclarationSummaryOut):
    office_code: str
    arrival_at: datetime | None
    seller_code: str
    courier_code: str
    importer_id: int | None = Field(None, description="The registered company whose tax ID is the importer code.")
    declarant_id: int | None = None
    sender_name: str
    receiver_name: str
    transport_mode: str
    transport_means: str
    port_of_loading: str
    port_of_discharge: str
    departure_country: str
    containers: list[str]
    process_type: str
    import_type: str
    import_use: str
    payment_type: str
    source: str
    items: list[ItemOut]
    events: list[EventOut]
    versions: list[VersionOut]


class SubmitOut(DeclarationOut):
    created: bool = Field(..., description="True when this request lodged a new declaration.")
    amended: bool = Field(..., description="True when this request made a new version of an existing one.")


class BatchResultOut(Schema):
    index: int = Field(..., description="Position in the request's list.")
    ok: bool
    written: bool = Field(..., description="False when the batch was rolled back (all-or-nothing) or this one failed.")
    id: int | None = None
    number: str | None = None
    created: bool | None = None
    amended: bool | None = None
    status: str | None = None
    lane: str | None = None
    detail: str | None = None
    code: str | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)


class BatchOut(Schema):
    accepted: int
    rejected: int
    written: int = Field(..., description="Declarations written by this request.")
    results: list[BatchResultOut]
