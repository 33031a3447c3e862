"""A file import, from rows to declarations: map columns through the profile, group rows by
declaration number (one row per item), validate each declaration with the same rules as the API,
and report every problem by row and column. Writing is in ``bulk``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from tradewinds.core.models import User

from .models import Declaration, DeclarationVersion
from .profiles import HEADER_TARGETS, ITEM_TARGETS, LABEL_TARGETS, REQUIRED_TARGETS
from .reading import Table, UnreadableFile
from .services import FROZEN_STATUSES, scope_for, visible_declarations
from .validation import Scope, validate_payload

ERROR_LIMIT = 200  # errors kept for the report; the count says how many there were in all
PROGRESS_EVERY = 2000
_PAYLOAD_TO_TARGET = {
    **{payload: target for target, payload in HEADER_TARGETS.items()},
    **{f"items.{payload}": target for target, payload in ITEM_TARGETS.items()},
}


@dataclass
class Draft:
    """One declaration as the file gives it (its rows in file order)."""

    number: str
    rows: list[int] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    existing: Declaration | None = None


@dataclass
class Report:
    errors: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    bad_numbers: set[str] = field(default_factory=set)

    def add(self, row: int, header: str, target: str, message: str, number: str = "") -> None:
        self.count += 1
        if number:
            self.bad_numbers.add(number)
        if len(self.errors) < ERROR_LIMIT:
            self.errors.append({"row": row, "field": header or target, "target": target, "msg": str(message)})


@dataclass
class Plan:
    """What a file would do: new declarations, amendments, unchanged resends, and the problems."""

    new: list[Draft]
    amended: list[Draft]
    unchanged: int
    report: Report
    rows_total: int


def resolve_columns(headers: list[str], mapping: dict[str, Any]) -> dict[str, int]:
    """target -> column index; a file that lacks a required column is refused as a whole."""
    by_header = {header.strip().lower(): index for index, header in enumerate(headers)}
    columns: dict[str, int] = {}
    for header, target in mapping.get("columns", {}).items():
        index = by_header.get(str(header).strip().lower())
        if index is not None:
            columns[target] = index
    source = {target: header for header, target in mapping.get("columns", {}).items()}
    missing = [source.get(target, target) for target in REQUIRED_TARGETS if target not in columns]
    if missing:
        raise UnreadableFile(
            _("The file lacks the column(s) %(missing)s that the profile needs. Its columns are: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(h for h in headers if h) or "—"}
        )
    return columns


def plan_import(
    table: Table, mapping: dict[str, Any], actor: User, progress: Callable[[int], None] | None = None
) -> Plan:
    columns = resolve_columns(table.headers, mapping)
    headers = {target: header for header, target in mapping["columns"].items()}
    types = mapping.get("types", {})
    report = Report()
    want_labels = actor.is_customs_staff and any(target in columns for target in LABEL_TARGETS)
    drafts: dict[str, Draft] = {}
    for count, (row_number, cells) in enumerate(table.rows, start=1):
        values = _row_values(cells, columns, types, row_number, headers, report)
        _add_row(drafts, row_number, values, want_labels, headers, report)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    scope = scope_for(actor)
    for draft in drafts.values():
        _validate(draft, scope, headers, report)
    new, amended, unchanged = _split_existing(list(drafts.values()), actor, headers, report)
    valid = [d for d in new + amended if d.number not in report.bad_numbers]
    return Plan(
        new=[d for d in valid if d.existing is None],
        amended=[d for d in valid if d.existing is not None],
        unchanged=unchanged,
        report=report,
        rows_total=table.total,
    )


def _row_values(
    cells: list[Any], columns: dict[str, int], types: dict[str, str], row: int, headers: dict, report: Report
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for target, index in columns.items():
        value = cells[index] if index < len(cells) else ""
        kind = types.get(target, "text")
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            values[target] = ""
            continue
        converted = _convert(value, kind)
        if isinstance(converted, _Problem):
            report.add(row, headers.get(target, target), target, converted.message)
            converted = ""
        values[target] = converted
    return values


@dataclass
class _Problem:
    message: str


def _convert(value: Any, kind: str) -> Any:
    if kind.startswith("date") and isinstance(value, str):
        fmt = kind.partition(":")[2]
        try:
            return datetime.strptime(value, fmt) if fmt else datetime.fromisoformat(value)
        except ValueError:
            return _Problem(
                _("%(value)s is not a date in the form %(format)s.") % {"value": value, "format": fmt or "ISO"}
            )
    if kind == "hs6":
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        digits = "".join(char for char in text if char.isdigit())
        # Spreadsheets drop leading zeros (010121 -> 10121): pad back to the subheading's six digits.
        return digits.zfill(6) if 0 < len(digits) < 6 else digits
    if kind == "int" and isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return _Problem(_("%(value)s is not a whole number.") % {"value": value})
    return value


def _add_row(
    drafts: dict[str, Draft], row: int, values: dict, want_labels: bool, headers: dict, report: Report
) -> None:
    number = str(values.get("declaration_number", "")).strip()
    if isinstance(values.get("declaration_number"), float) and values["declaration_number"].is_integer():
        number = str(int(values["declaration_number"]))
    if not number:
        report.add(
            row, headers.get("declaration_number", ""), "declaration_number", _("The declaration number is required.")
        )
        return
    draft = drafts.get(number)
    if draft is None:
        draft = drafts[number] = Draft(number=number)
        draft.raw = {HEADER_TARGETS[t]: v for t, v in values.items() if t in HEADER_TARGETS}
        draft.raw["number"] = number
        draft.raw["items"] = []
    draft.rows.append(row)
    draft.raw["items"].append({ITEM_TARGETS[t]: v for t, v in values.items() if t in ITEM_TARGETS})
    if want_labels:
        for target in LABEL_TARGETS:
            label = values.get(target)
            if isinstance(label, (int, float)):
                draft.labels[target] = max(draft.labels.get(target, 0), int(label))


def _validate(draft: Draft, scope: Scope, headers: dict, report: Report) -> None:
    draft.payload, errors = validate_payload(draft.raw, scope)
    for error in errors:
        loc = error["loc"]
        if loc[0] == "items" and len(loc) == 3:
            row, payload_field = draft.rows[loc[1]], f"items.{loc[2]}"
        else:
            row, payload_field = draft.rows[0], str(loc[0])
        target = _PAYLOAD_TO_TARGET.get(payload_field, payload_field)
        report.add(row, headers.get(target, ""), target, error["msg"], draft.number)


def _split_existing(
    drafts: list[Draft], actor: User, headers: dict, report: Report
) -> tuple[list[Draft], list[Draft], int]:
    """New numbers, amendments, and the count of unchanged resends (which are skipped)."""
    existing = _existing(actor.administration_id, [d.number for d in drafts])
    visible = set(
        visible_declarations(actor).filter(pk__in=[d.pk for d in existing.values()]).values_list("pk", flat=True)
    )
    latest = _latest_payloads([d.pk for d in existing.values()])
    new, amended, unchanged = [], [], 0
    header = headers.get("declaration_number", "")
    for draft in drafts:
        found = existing.get(draft.number)
        if found is None:
            new.append(draft)
        elif found.pk not in visible:
            report.add(
                draft.rows[0], header, "declaration_number", _("This declaration number is already used."), draft.number
            )
        elif latest.get(found.pk) == draft.payload:
            unchanged += 1
        elif found.status in FROZEN_STATUSES:
            message = _("The declaration is %(status)s and can no longer be amended.") % {
                "status": found.get_status_display().lower()
            }
            report.add(draft.rows[0], header, "declaration_number", message, draft.number)
        else:
            draft.existing = found
            amended.append(draft)
    return new, amended, unchanged


def _chunks(values: list, size: int = 900) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(administration_id: int, numbers: list[str]) -> dict[str, Declaration]:
    found: dict[str, Declaration] = {}
    for chunk in _chunks(numbers):
        for declaration in Declaration.objects.filter(administration_id=administration_id, number__in=chunk):
            found[declaration.number] = declaration
    return found


def _latest_payloads(ids: list[int]) -> dict[int, dict]:
    latest: dict[int, tuple[int, dict]] = {}
    for chunk in _chunks(ids):
        rows = DeclarationVersion.objects.filter(declaration_id__in=chunk).values_list(
            "declaration_id", "version", "payload"
        )
        for declaration_id, version, payload in rows:
            if declaration_id not in latest or latest[declaration_id][0] < version:
                latest[declaration_id] = (version, payload)
    return {declaration_id: payload for declaration_id, (_version, payload) in latest.items()}
