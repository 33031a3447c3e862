"""The rule editor as forms, not code: criteria rows (field / operator / value) in a main group and
numbered sub-groups, turned into the engine's rule JSON and back.

The engine reports errors by path (``condition.children[1].children[0].value``); the form keeps the
path of every row so each error lands on the row and input it concerns."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewinds.risk.engine.fields import CANONICAL_FIELDS, FieldType

from .context import HS_MEDIAN
from .models import MANDATORY_LANES, InspectionOutcome, Lane, NamedList, NamedListEntry, SelectivitySettings
from .services import SETTINGS_FIELDS

FIELD_LABELS = {
    "declaration_number": _("Declaration number"),
    "declaration_type": _("Declaration type"),
    "office_code": _("Office"),
    "process_type": _("Process type"),
    "import_type": _("Import type"),
    "import_use": _("Import use"),
    "payment_type": _("Payment type"),
    "transport_mode": _("Transport mode"),
    "declarant_id": _("Declarant"),
    "importer_id": _("Importer"),
    "seller_id": _("Exporter / seller"),
    "courier_id": _("Courier"),
    "departure_country": _("Country of departure"),
    "origin_country": _("Country of origin"),
    "tax_type": _("Tax type"),
    "origin_indicator": _("Origin indicator"),
    "currency": _("Currency"),
    "port_of_loading": _("Port of loading"),
    "port_of_discharge": _("Port of discharge"),
    "hs_code": _("HS code"),
    "declaration_date": _("Declaration date"),
    "duty_rate": _("Duty rate (%)"),
    "net_mass_kg": _("Net mass (kg)"),
    "gross_mass_kg": _("Gross mass (kg)"),
    "quantity": _("Quantity"),
    "customs_value": _("Customs value"),
    "duty_amount": _("Duty"),
    "unit_value": _("Unit value (per kg)"),
}
OPERATOR_LABELS = {
    "equals": _("equals"),
    "not_equals": _("does not equal"),
    "in_list": _("is one of"),
    "not_in_list": _("is none of"),
    "hs_prefix": _("starts with (HS)"),
    "range": _("between"),
    "greater_than": _("greater than"),
    "less_than": _("less than"),
    "below_reference": _("below × the HS median"),
    "above_reference": _("above × the HS median"),
    "is_empty": _("is empty"),
}
LOGIC_CHOICES = [("and", _("all of them (AND)")), ("or", _("any of them (OR)"))]
_SPLIT = re.compile(r"[,;\s]+")


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The risk this rule targets and the evidence for it."),
    )
    weight = forms.IntegerField(label=_("Weight (points)"), required=False, initial=0, min_value=-1000, max_value=1000)
    lane = forms.ChoiceField(
        label=_("Mandatory lane"),
        required=False,
        choices=[("", _("none: the weight counts towards the score"))] + MANDATORY_LANES,
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    logic = forms.ChoiceField(label=_("The rule fires when the main criteria match"), choices=LOGIC_CHOICES)
    group_logic = forms.ChoiceField(label=_("…and within each numbered group"), choices=LOGIC_CHOICES, initial="or")


class CriterionForm(forms.Form):
    group = forms.IntegerField(
        label=_("Group"),
        min_value=0,
        max_value=9,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    field = forms.ChoiceField(label=_("Field"), choices=[(k, v) for k, v in FIELD_LABELS.items()])
    operator = forms.ChoiceField(label=_("Operator"), choices=list(OPERATOR_LABELS.items()))
    value = forms.CharField(label=_("Value"), required=False, max_length=2000)
    value_to = forms.CharField(label=_("to"), required=False, max_length=100)
    named_list = forms.ChoiceField(label=_("or named list"), required=False)

    def __init__(self, *args: Any, lists: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["named_list"].choices = [("", "—")] + (lists or [])


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, can_delete=True)


def criteria_formset(data: Any = None, initial: list[dict] | None = None, lists: Any = None) -> Any:
    return CriterionFormSet(data, initial=initial, prefix="criteria", form_kwargs={"lists": lists or []})


def _scalar(text: str, field: str) -> Any:
    """A typed value for the engine; text it cannot read is passed on so the engine names the error."""
    text = text.strip()
    if CANONICAL_FIELDS[field] is FieldType.NUMBER:
        try:
            return float(text)
        except ValueError:
            return text
    return text.upper() if field.endswith("_country") else text


def criterion_json(row: dict[str, Any]) -> dict[str, Any]:
    field, operator, text, to = row["field"], row["operator"], row.get("value") or "", row.get("value_to") or ""
    named = row.get("named_list") or ""
    if operator in ("below_reference", "above_reference"):
        factor = _scalar(text or "1", "customs_value")
        comparison = "less_than" if operator == "below_reference" else "greater_than"
        value: Any = {"reference": HS_MEDIAN, "key_field": "hs_code", "comparison": comparison, "factor": factor}
        return {"field": field, "operator": "compare_reference", "value": value}
    if operator == "is_empty":
        return {"field": field, "operator": operator}
    if operator in ("in_list", "not_in_list", "hs_prefix"):
        if named:
            value = {"list": named}
        else:
            parts = [part for part in _SPLIT.split(text) if part]
            value = parts if operator == "hs_prefix" else [_scalar(part, field) for part in parts]
    elif operator == "range":
        value = {
            "min": _scalar(text, field) if text.strip() else None,
            "max": _scalar(to, field) if to.strip() else None,
        }
    else:
        value = _scalar(text, field)
    return {"field": field, "operator": operator, "value": value}


def condition_from_forms(rule: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int]]:
    """(condition JSON, path of each row -> row index). Group 0 rows sit in the main group, in order;
    each numbered group becomes one sub-group after them."""
    children: list[dict[str, Any]] = []
    paths: dict[str, int] = {}
    groups: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        if row.get("group"):
            groups.setdefault(row["group"], []).append(index)
        else:
            paths[f"condition.children[{len(children)}]"] = index
            children.append(criterion_json(row))
    for number in sorted(groups):
        position = len(children)
        members = []
        for inner, index in enumerate(groups[number]):
            paths[f"condition.children[{position}].children[{inner}]"] = index
            members.append(criterion_json(rows[index]))
        children.append({"group": rule.get("group_logic") or "or", "children": members})
    return {"group": rule.get("logic") or "and", "children": children}, paths


def row_for_path(path: str, paths: dict[str, int]) -> tuple[int, str] | None:
    """The row index and the row's input an engine error path points at."""
    for prefix in sorted(paths, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "."):
            rest = path[len(prefix) + 1 :]
            head = rest.split(".", 1)[0].split("[", 1)[0]
            if head == "value" and (rest.endswith(".max") or ".max" in rest):
                return paths[prefix], "value_to"
            if head == "value" and rest.endswith(".list"):
                return paths[prefix], "named_list"
            return paths[prefix], head if head in ("field", "operator") else "value"
    return None


def initial_from_definition(definition: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """Form initial data from a stored rule; None when its shape is deeper than the form edits."""
    condition = definition.get("condition") or {}
    if "group" not in condition:
        condition = {"group": "and", "children": [condition]}
    rule = {key: definition.get(key) for key in ("name", "weight", "valid_from", "valid_to")}
    rule.update(lane=definition.get("lane") or "", logic=condition["group"], group_logic="or")
    rows: list[dict[str, Any]] = []
    group_number = 0
    for child in condition.get("children", []):
        if "group" in child:
            if any("group" in inner for inner in child["children"]):
                return None
            group_number += 1
            rule["group_logic"] = child["group"]
            rows += [_row(inner, group_number) for inner in child["children"]]
        else:
            rows.append(_row(child, 0))
    return rule, rows


def _row(node: dict[str, Any], group: int) -> dict[str, Any]:
    operator, value = node["operator"], node.get("value")
    row = {"group": group, "field": node["field"], "operator": operator, "value": "", "value_to": "", "named_list": ""}
    if operator == "compare_reference":
        row["operator"] = "below_reference" if value.get("comparison") == "less_than" else "above_reference"
        row["value"] = _text(value.get("factor", 1))
    elif isinstance(value, dict) and "list" in value:
        row["named_list"] = value["list"]
    elif isinstance(value, dict):
        row["value"], row["value_to"] = _text(value.get("min")), _text(value.get("max"))
    elif isinstance(value, list):
        row["value"] = ", ".join(_text(item) for item in value)
    else:
        row["value"] = _text(value)
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class BacktestPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


class NamedListForm(forms.ModelForm):
    class Meta:
        model = NamedList
        fields = ["name", "title", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class NamedListEntryForm(forms.ModelForm):
    class Meta:
        model = NamedListEntry
        fields = ["value", "note"]


class SelectivitySettingsForm(forms.ModelForm):
    class Meta:
        model = SelectivitySettings
        fields = list(SETTINGS_FIELDS)
        widgets = {name: forms.NumberInput(attrs={"step": "any"}) for name in fields}


class OverrideForm(forms.Form):
    lane = forms.ChoiceField(label=_("New lane"), choices=Lane.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=InspectionOutcome.Result.choices, widget=forms.RadioSelect)
    discrepancy_types = forms.MultipleChoiceField(
        label=_("Discrepancy types"),
        required=False,
        choices=InspectionOutcome.DiscrepancyType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_duty = forms.DecimalField(label=_("Extra duty assessed"), required=False, min_value=0, decimal_places=2)
    seizure = forms.BooleanField(label=_("Goods seized"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
