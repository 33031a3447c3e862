"""Rule list, rule editor (criteria rows, htmx to add one), backtest, versions, activation."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewinds.core.models import User
from tradewinds.core.permissions import role_required
from tradewinds.core.roles import Role
from tradewinds.core.views import paginate
from tradewinds.errors import TradewindsError

from .. import performance, services
from ..forms import (
    BacktestPeriodForm,
    RuleForm,
    condition_from_forms,
    criteria_formset,
    initial_from_definition,
    row_for_path,
)
from ..models import NamedList, RiskRule
from .common import RULE_AUTHORS, RULE_READERS


@role_required(*RULE_READERS)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = RiskRule.objects.for_user(request.user).select_related("current_version", "owner")
    status, owner = request.GET.get("status", ""), request.GET.get("owner", "")
    if status in RiskRule.Status.values:
        rules = rules.filter(status=status)
    if owner.isdigit():
        rules = rules.filter(owner_id=int(owner))
    page = paginate(request, rules.order_by("status", "name"))
    figures = performance.rule_figures(request.user.administration, performance.last_year())
    for rule in page:
        rule.figures = figures.get(rule.pk)
    owners = User.objects.filter(administration=request.user.administration, role=Role.RISK_OFFICER)
    return render(
        request,
        "risk/rule_list.html",
        {
            "page": page,
            "status": status,
            "owner": owner,
            "statuses": RiskRule.Status.choices,
            "owners": owners,
            "can_edit": request.user.has_role(*RULE_AUTHORS),
        },
    )


def _lists(request: HttpRequest) -> list[tuple[str, str]]:
    return list(NamedList.objects.owned_by(request.user).order_by("name").values_list("name", "title"))


def _bound_editor(request: HttpRequest) -> tuple[RuleForm, Any, BacktestPeriodForm]:
    return (
        RuleForm(request.POST),
        criteria_formset(request.POST, lists=_lists(request)),
        BacktestPeriodForm(request.POST, prefix="bt"),
    )


def _rule_data(form: RuleForm, formset: Any) -> tuple[dict[str, Any], dict[str, int], list[Any]] | None:
    """The submitted rule for the services, the path of each row, and the kept row forms."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    kept = [row for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
    condition, paths = condition_from_forms(form.cleaned_data, [row.cleaned_data for row in kept])
    return {**form.cleaned_data, "condition": condition}, paths, kept


def _show_errors(error: TradewindsError, form: RuleForm, paths: dict[str, int], rows: list[Any]) -> None:
    for item in error.errors:
        field, message = str(item.get("field", "")), item.get("msg", error.detail)
        if field.startswith("condition"):
            target = row_for_path(field, paths)
            if target is not None:
                rows[target[0]].add_error(target[1], message)
            else:
                form.add_error(None, _("Add at least one criterion.") if field == "condition.children" else message)
        else:
            form.add_error(field if field in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.detail)


def _editor(request: HttpRequest, rule: RiskRule | None) -> HttpResponse:
    if request.method == "POST":
        form, formset, period = _bound_editor(request)
        parsed = _rule_data(form, formset)
        if parsed is not None:
            data, paths, kept = parsed
            try:
                saved = (
                    services.update_rule(request.user, rule.pk, data)
                    if rule
                    else services.create_rule(request.user, data)
                )
            except TradewindsError as error:
                _show_errors(error, form, paths, kept)
            else:
                messages.success(
                    request, _("Rule saved as version %(number)s.") % {"number": saved.current_version.number}
                )
                return redirect("risk:rule_edit", riskrule_id=saved.pk)
    else:
        form, formset, period = _initial_editor(request, rule)
    return render(
        request,
        "risk/rule_form.html",
        {
            "rule": rule,
            "form": form,
            "formset": formset,
            "period": period,
            "too_complex": rule is not None and request.method != "POST" and form.initial.get("_too_complex"),
            "definition": json.dumps(rule.current_version.definition, indent=2)
            if rule and rule.current_version
            else "",
        },
    )


def _initial_editor(request: HttpRequest, rule: RiskRule | None) -> tuple[RuleForm, Any, BacktestPeriodForm]:
    today = timezone.localdate()
    period = BacktestPeriodForm(prefix="bt", initial={"start": today.replace(year=today.year - 1), "end": today})
    lists = _lists(request)
    if rule is None or rule.current_version is None:
        return (
            RuleForm(initial={"logic": "and", "group_logic": "or", "weight": 0}),
            criteria_formset(initial=[{"group": 0}], lists=lists),
            period,
        )
    loaded = initial_from_definition(rule.current_version.definition)
    if loaded is None:
        return (
            RuleForm(initial={"name": rule.name, "rationale": rule.rationale, "_too_complex": True}),
            criteria_formset(initial=[], lists=lists),
            period,
        )
    initial, rows = loaded
    return (
        RuleForm(initial={**initial, "rationale": rule.rationale}),
        criteria_formset(initial=rows, lists=lists),
        period,
    )


@role_required(*RULE_AUTHORS)
def rule_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


def _own_rule(request: HttpRequest, riskrule_id: int) -> RiskRule:
    rule = RiskRule.objects.owned_by(request.user).select_related("current_version").filter(pk=riskrule_id).first()
    if rule is None:
        raise Http404
    return rule


@role_required(*RULE_READERS)
def rule_edit(request: HttpRequest, riskrule_id: int) -> HttpResponse:
    rule = _own_rule(request, riskrule_id)
    if request.method == "POST" and not request.user.has_role(*RULE_AUTHORS):
        raise Http404
    return _editor(request, rule)


@require_GET
@role_required(*RULE_READERS)
def rule_versions(request: HttpRequest, riskrule_id: int) -> HttpResponse:
    rule = _own_rule(request, riskrule_id)
    versions = rule.versions.select_related("created_by").order_by("-number")
    for version in versions:
        version.pretty = json.dumps(version.definition.get("condition"), indent=2, ensure_ascii=False)
    return render(request, "risk/rule_versions.html", {"rule": rule, "versions": versions})


@require_POST
@role_required(*RULE_AUTHORS)
def rule_activate(request: HttpRequest, riskrule_id: int) -> HttpResponse:
    return _status_change(request, riskrule_id, services.activate_rule, _("Rule activated."))


@require_POST
@role_required(*RULE_AUTHORS)
def rule_retire(request: HttpRequest, riskrule_id: int) -> HttpResponse:
    return _status_change(request, riskrule_id, services.retire_rule, _("Rule retired."))


def _status_change(request: HttpRequest, riskrule_id: int, change: Any, done: str) -> HttpResponse:
    rule = _own_rule(request, riskrule_id)
    try:
        change(request.user, rule.pk)
    except TradewindsError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
    return redirect("risk:rule_edit", riskrule_id=rule.pk)


@require_POST
@role_required(*RULE_READERS)
def rule_backtest(request: HttpRequest) -> HttpResponse:
    """The editor's current (unsaved) rule replayed over a past period: an htmx fragment."""
    form, formset, period = _bound_editor(request)
    parsed = _rule_data(form, formset)
    problems: list[str] = []
    report = None
    if parsed is None or not period.is_valid():
        problems = [
            str(message) for f in (form, *formset.forms, period) for errors in f.errors.values() for message in errors
        ]
    else:
        data, paths, _kept = parsed
        try:
            report = services.backtest(request.user, data, period.cleaned_data["start"], period.cleaned_data["end"])
        except TradewindsError as error:
            problems = [_located(item, paths) for item in error.errors] or [error.detail]
    return render(request, "risk/_backtest.html", {"report": report, "problems": problems})


def _located(item: dict[str, Any], paths: dict[str, int]) -> str:
    target = row_for_path(str(item.get("field", "")), paths)
    if target is None:
        return str(item.get("msg"))
    return _("Criterion %(row)s: %(message)s") % {"row": target[0] + 1, "message": item.get("msg")}


@require_GET
@role_required(*RULE_AUTHORS)
def criterion_row(request: HttpRequest) -> HttpResponse:
    """One more empty criteria row (htmx); the management form's total goes up out of band."""
    try:
        index = max(0, min(int(request.GET.get("criteria-TOTAL_FORMS", "0")), 200))
    except ValueError:
        index = 0
    formset = criteria_formset(initial=[{"group": 0}] * (index + 1), lists=_lists(request))
    return render(request, "risk/_criterion_row.html", {"row": formset.forms[index], "total": index + 1})
