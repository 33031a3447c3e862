"""Page forms. They only shape input; the rules live in the models and services."""

from __future__ import annotations

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from tradewinds.core.models import Administration

from .models import (
    BUSINESS_TYPES,
    AeoAnswer,
    AeoBenefit,
    AeoCriterion,
    AeoDecision,
    AeoFinding,
    AeoOutreachEvent,
    AeoProgrammeType,
)
from .services.setup import TYPE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class StartApplicationForm(forms.Form):
    programme_type = forms.ModelChoiceField(label=_("Programme type"), queryset=AeoProgrammeType.objects.none())
    business_type = forms.ChoiceField(label=_("Apply as"), choices=BUSINESS_TYPES.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_type"].queryset = AeoProgrammeType.objects.owned_by(user).filter(active=True)
        kinds = set(user.company.kinds) if user.company else set()
        self.fields["business_type"].choices = [(k, v) for k, v in BUSINESS_TYPES.choices if k in kinds]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FindingResponseForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AeoFinding.Kind.choices)
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=AeoCriterion.objects.none(), required=False)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline (requirements)"), required=False, widget=DATE)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = AeoCriterion.objects.filter(pk__in=[c.pk for c in criteria])
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code} — {_(c.text)[:80]}"


class VisitPlanForm(forms.Form):
    planned_for = forms.DateField(label=_("Date"), widget=DATE)
    location = forms.CharField(label=_("Site"), max_length=200)
    scope = forms.CharField(label=_("Scope and plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=AeoDecision.Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    response_days = forms.IntegerField(label=_("Days to answer"), min_value=5, max_value=120, required=False)


class SelfReviewForm(forms.Form):
    still_compliant = forms.BooleanField(label=_("We still meet every criterion"), required=False)
    changes = forms.CharField(
        label=_("Changes since the last review (sites, owners, procedures, incidents)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ProgrammeTypeForm(forms.ModelForm):
    class Meta:
        model = AeoProgrammeType
        fields = TYPE_FIELDS


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Benefit"), choices=AeoBenefit.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    risk_factor = forms.FloatField(label=_("Risk factor (fewer inspections only)"), initial=1.0)


class CriterionForm(forms.Form):
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    guidance = forms.CharField(
        label=_("Guidance and evidence expected"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=AeoCriterion.Level.choices)
    business_types = forms.MultipleChoiceField(
        label=_("Business types (none = all)"),
        choices=BUSINESS_TYPES.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    change_note = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class NewCriterionForm(CriterionForm):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    code = forms.CharField(label=_("Code"), max_length=20)
    field_order = ["area", "code", "text", "guidance", "level", "business_types"]

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda area: _(area.name)
        del self.fields["change_note"]


def partner_choices(own_id: int | None) -> list[tuple[int, str]]:
    """Partner administrations by code and country (their full names stay on their own pages)."""
    choices = []
    for admin in Administration.objects.filter(kind=Administration.Kind.MEMBER).exclude(pk=own_id).order_by("code"):
        country = pycountry.countries.get(alpha_2=admin.country)
        choices.append((admin.pk, f"{admin.code.upper()} — {country.name if country else admin.country}"))
    return choices


class ArrangementForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Partner administration"), coerce=int, choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    in_force = forms.BooleanField(label=_("In force"), required=False, initial=True)
    risk_factor = forms.FloatField(label=_("Risk factor for recognised AEOs"), initial=0.6)

    def __init__(self, *args, own_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partner_choices(own_id)


class ConsentForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Let this administration see and honour our status"), coerce=int)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AeoOutreachEvent.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    location = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, initial=30)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RegistrationForm(forms.Form):
    attendee = forms.CharField(label=_("Attendee"), max_length=150)


COMPLIANCE_CHOICES = [("", "—")] + list(AeoAnswer.Compliance.choices)
