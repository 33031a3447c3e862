"""Forms of the declaration pages. They collect input; the services validate it, and their field
errors come back onto the fields they name (``items[1].hs_code`` onto the second item row)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewinds.core.forms import country_choices
from tradewinds.errors import TradewindsError

from .models import Declaration, ImportProfile
from .profiles import FORMATS

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class DeclarationFilterForm(forms.Form):
    number = forms.CharField(label=_("Number"), required=False)
    lane = forms.ChoiceField(
        label=_("Lane"),
        required=False,
        choices=[("", _("All lanes")), *Declaration.Lane.choices, ("none", _("Not assessed yet"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Declaration.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Cargo and postal")), *Declaration.Kind.choices]
    )
    date_from = forms.DateField(label=_("Lodged from"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE_INPUT)
    company = forms.CharField(label=_("Trader code or name"), required=False)
    hs = forms.CharField(label=_("HS code starts with"), required=False, max_length=10)
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=country_choices)


class DeclarationForm(forms.Form):
    """A cargo declaration lodged on the page; its items come in an ItemFormSet."""

    number = forms.CharField(label=_("Declaration number"), max_length=40)
    declaration_type = forms.ChoiceField(label=_("Type"), choices=Declaration.Type.choices)
    importer_code = forms.CharField(
        label=_("Importer tax ID"), max_length=40, required=False, help_text=_("Your company's when left empty.")
    )
    office_code = forms.CharField(label=_("Customs office"), max_length=20, required=False)
    transport_mode = forms.ChoiceField(label=_("Transport mode"), choices=Declaration.TransportMode.choices)
    transport_means = forms.CharField(label=_("Vessel IMO or flight"), max_length=40, required=False)
    port_of_loading = forms.CharField(label=_("Port of loading (UN/LOCODE)"), max_length=5, required=False)
    port_of_discharge = forms.CharField(label=_("Port of discharge (UN/LOCODE)"), max_length=5, required=False)
    departure_country = forms.ChoiceField(label=_("Country of departure"), choices=country_choices, required=False)
    containers = forms.CharField(
        label=_("Containers"), required=False, help_text=_("ISO 6346 numbers, separated by commas.")
    )
    arrival_at = forms.DateTimeField(
        label=_("Arrival"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)


class ItemForm(forms.Form):
    hs_code = forms.CharField(label=_("HS code"), max_length=12)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    origin_country = forms.ChoiceField(label=_("Origin"), choices=country_choices)
    quantity = forms.DecimalField(label=_("Quantity"), required=False)
    net_mass_kg = forms.DecimalField(label=_("Net mass (kg)"), required=False)
    customs_value = forms.DecimalField(label=_("Customs value"))


ItemFormSet = forms.formset_factory(ItemForm, extra=3, min_num=1, validate_min=True, max_num=50)


def declaration_payload(form: DeclarationForm, items: Any) -> tuple[dict[str, Any], list[int]]:
    """The service's payload from the bound forms, and which formset row each item came from."""
    payload = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    rows, payload["items"] = [], []
    for index, item_form in enumerate(items.forms):
        data = getattr(item_form, "cleaned_data", None)
        if data and any(value not in (None, "") for value in data.values()):
            payload["items"].append({key: value for key, value in data.items() if value not in (None, "")})
            rows.append(index)
    return payload, rows


def apply_declaration_errors(form: DeclarationForm, items: Any, rows: list[int], error: TradewindsError) -> None:
    """Put `items[i].field` errors on the i-th filled item row, the others on the header form."""
    for problem in error.errors:
        loc = problem.get("loc") or []
        if len(loc) == 3 and loc[0] == "items" and loc[1] < len(rows):
            item_form = items.forms[rows[loc[1]]]
            item_form.add_error(loc[2] if loc[2] in item_form.fields else None, problem["msg"])
        else:
            field = problem.get("field")
            form.add_error(field if field in form.fields else None, problem["msg"])
    if not error.errors:
        form.add_error(None, error.detail)


class ImportForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Import profile"), queryset=ImportProfile.objects.none())
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    import_valid_rows = forms.BooleanField(
        label=_("Import the valid rows"),
        required=False,
        help_text=_("Otherwise one bad row stops the whole file and nothing is written."),
    )

    def __init__(self, *args: Any, profiles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class ImportProfileForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file_format = forms.ChoiceField(label=_("Usual format"), choices=[(f, f.upper()) for f in FORMATS])
    mapping = forms.CharField(
        label=_("Column mapping (JSON)"),
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "false", "class": "mono"}),
        help_text=_('{"columns": {"File header": "target field"}, "types": {"target field": "type"}}'),
    )

    def clean_mapping(self) -> Any:
        try:
            return json.loads(self.cleaned_data["mapping"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)d, column %(column)d): %(message)s."),
                params={"line": error.lineno, "column": error.colno, "message": error.msg},
            ) from error
