"""Programme set-up pages: types and benefits, the criteria catalogue with its versions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required

from ..forms import BenefitForm, CriterionForm, NewCriterionForm, ProgrammeTypeForm, ReasonForm
from ..models import AeoCriteriaArea, AeoCriterion, AeoPreApplicationCheck, AeoProgrammeType
from ..services import setup
from ._helpers import OFFICER, STAFF, call, is_officer


@role_required(*STAFF)
def programme(request: HttpRequest) -> HttpResponse:
    types = AeoProgrammeType.objects.owned_by(request.user).prefetch_related("benefits")
    return render(
        request,
        "aeo/setup.html",
        {
            "types": types,
            "checks": AeoPreApplicationCheck.objects.owned_by(request.user),
            "benefit_form": BenefitForm(),
            "can_edit": is_officer(request.user),
        },
    )


@role_required(*OFFICER)
def programme_type_form(request: HttpRequest, aeoprogrammetype_id: int | None = None) -> HttpResponse:
    instance = None
    if aeoprogrammetype_id is not None:
        instance = AeoProgrammeType.objects.owned_by(request.user).filter(pk=aeoprogrammetype_id).first()
        if instance is None:
            raise Http404
    form = ProgrammeTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in setup.TYPE_FIELDS}
        if call(request, setup.save_programme_type, data, aeoprogrammetype_id, form=form):
            messages.success(request, _("Programme type saved."))
            return redirect("aeo:programme")
    title = instance.name if instance else _("New programme type")
    return render(request, "aeo/form_page.html", {"form": form, "title": title, "back": "aeo:programme"})


@require_POST
@role_required(*OFFICER)
def add_benefit(request: HttpRequest, aeoprogrammetype_id: int) -> HttpResponse:
    if not AeoProgrammeType.objects.owned_by(request.user).filter(pk=aeoprogrammetype_id).exists():
        raise Http404
    form = BenefitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if call(
            request, setup.add_benefit, aeoprogrammetype_id, data["kind"], data["description"], data["risk_factor"]
        ):
            messages.success(request, _("Benefit added."))
    else:
        messages.error(request, _("Choose a benefit and describe it."))
    return redirect("aeo:programme")


@role_required(*STAFF)
def criteria(request: HttpRequest) -> HttpResponse:
    areas = AeoCriteriaArea.objects.owned_by(request.user).prefetch_related("criteria")
    show_retired = request.GET.get("retired") == "1"
    grouped = []
    for area in areas:
        rows = [c for c in area.criteria.all() if c.is_current or show_retired]
        grouped.append({"area": area, "criteria": sorted(rows, key=lambda c: (c.code, -c.version))})
    return render(
        request,
        "aeo/criteria.html",
        {"grouped": grouped, "show_retired": show_retired, "can_edit": is_officer(request.user)},
    )


@role_required(*OFFICER)
def criterion_new(request: HttpRequest) -> HttpResponse:
    areas = AeoCriteriaArea.objects.owned_by(request.user)
    form = NewCriterionForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area, code = data.pop("area"), data.pop("code")
        if call(request, setup.create_criterion, area.pk, code, data, form=form):
            messages.success(request, _("Criterion added to the catalogue."))
            return redirect("aeo:criteria")
    return render(request, "aeo/form_page.html", {"form": form, "title": _("New criterion"), "back": "aeo:criteria"})


@role_required(*STAFF)
def criterion_detail(request: HttpRequest, aeocriterion_id: int) -> HttpResponse:
    criterion = AeoCriterion.objects.owned_by(request.user).select_related("area").filter(pk=aeocriterion_id).first()
    if criterion is None:
        raise Http404
    initial = {name: getattr(criterion, name) for name in setup.CRITERION_FIELDS}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not is_officer(request.user):
            raise Http404
        if form.is_valid():
            revised = call(request, setup.revise_criterion, criterion.pk, form.cleaned_data, form=form)
            if revised:
                messages.success(request, _("Version %(v)s saved.") % {"v": revised.version})
                return redirect("aeo:criterion", aeocriterion_id=revised.pk)
    versions = AeoCriterion.objects.owned_by(request.user).filter(code=criterion.code).order_by("-version")
    return render(
        request,
        "aeo/criterion.html",
        {
            "criterion": criterion,
            "form": form,
            "versions": versions,
            "retire_form": ReasonForm(),
            "can_edit": is_officer(request.user) and criterion.is_current,
        },
    )


@require_POST
@role_required(*OFFICER)
def criterion_retire(request: HttpRequest, aeocriterion_id: int) -> HttpResponse:
    if not AeoCriterion.objects.owned_by(request.user).filter(pk=aeocriterion_id).exists():
        raise Http404
    if call(request, setup.retire_criterion, aeocriterion_id, request.POST.get("reason", "")):
        messages.success(request, _("Criterion retired; applications started from now on no longer ask it."))
        return redirect("aeo:criteria")
    return redirect("aeo:criterion", aeocriterion_id=aeocriterion_id)
