"""Customs side: the queue, the application file, profile, visits, findings and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required
from tradewinds.core.views import paginate

from ..forms import DecisionForm, FindingForm, FindingResponseForm, ReasonForm, VisitPlanForm
from ..models import AeoApplication, AeoComplianceProfile, AeoValidationVisit, AeoVisitCheck
from ..queries import criteria_for, open_requirements, progress_of
from ..services import decision, officer
from ..services._common import get_application
from ._helpers import EVERYONE, OFFICER, STAFF, call, is_officer


@role_required(*STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    applications = (
        AeoApplication.objects.owned_by(request.user)
        .exclude(status=AeoApplication.Status.DRAFT)
        .select_related("company", "programme_type", "officer")
        .annotate(open_findings=Count("findings", filter=~Q(findings__status="closed")))
        .order_by("submitted_at", "id")
    )
    status = request.GET.get("status", "open")
    if status == "open":
        applications = applications.filter(status__in=AeoApplication.OFFICER_STATUSES)
    elif status == "mine":
        applications = applications.filter(officer=request.user, status__in=AeoApplication.OFFICER_STATUSES)
    elif status in AeoApplication.Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "aeo/queue.html",
        {"page": paginate(request, applications), "status": status, "statuses": AeoApplication.Status.choices},
    )


@role_required(*EVERYONE)
def application_detail(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    application = call(request, get_application, aeoapplication_id)
    if application is None:
        raise Http404
    criteria = criteria_for(application)
    findings = application.findings.select_related("criterion").prefetch_related("responses")
    context = {
        "application": application,
        "progress": progress_of(application, criteria),
        "timeline": application.timeline.select_related("actor"),
        "findings": findings,
        "visits": application.visits.all(),
        "decisions": application.decisions.select_related("decided_by"),
        "certificate": getattr(application, "certificate", None) if application.status == "certified" else None,
        "is_officer": is_officer(request.user),
        "is_trader": request.user.has_role("trader"),
        "response_form": FindingResponseForm(),
        "withdraw_form": ReasonForm(),
    }
    if is_officer(request.user) and application.status in AeoApplication.OFFICER_STATUSES:
        context.update(
            finding_form=FindingForm(criteria=criteria, initial={"deadline": officer.default_deadline()}),
            visit_form=VisitPlanForm(initial={"location": application.company.address[:200]}),
            decision_form=DecisionForm(),
            blockers=decision.certification_blockers(application),
            close_form=ReasonForm(),
        )
    context["answers"] = application.answers.select_related("criterion__area").prefetch_related("evidence")
    context["profile"] = application.profiles.first()
    return render(request, "aeo/application_detail.html", context)


def _back(application_id: int) -> HttpResponse:
    return redirect("aeo:application", aeoapplication_id=application_id)


def _writable_or_404(request: HttpRequest, application_id: int) -> AeoApplication:
    """Look the file up before reading the form, so another administration's id is a plain 404."""
    application = call(request, get_application, application_id, write=True)
    if application is None:
        raise Http404
    return application


@require_POST
@role_required(*OFFICER)
def assign(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    if call(request, officer.assign, aeoapplication_id) is not None:
        messages.success(request, _("The application is assigned to you."))
    return _back(aeoapplication_id)


@role_required(*STAFF)
def compliance_profile(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    application = call(request, get_application, aeoapplication_id)
    if application is None:
        raise Http404
    if request.method == "POST":
        if call(request, officer.refresh_profile, application.pk) is not None:
            messages.success(request, _("Compliance profile computed from current records."))
        return redirect("aeo:profile", aeoapplication_id=application.pk)
    snapshots = AeoComplianceProfile.objects.filter(application=application)
    return render(
        request,
        "aeo/profile.html",
        {
            "application": application,
            "profile": snapshots.first(),
            "history": snapshots[1:6],
            "can_refresh": is_officer(request.user),
        },
    )


@require_POST
@role_required(*OFFICER)
def plan_visit(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    _writable_or_404(request, aeoapplication_id)
    form = VisitPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the site of the visit."))
        return _back(aeoapplication_id)
    visit = call(request, officer.plan_visit, aeoapplication_id, **form.cleaned_data)
    if visit is None:
        return _back(aeoapplication_id)
    messages.success(request, _("Visit planned: fill in the checklist during the visit."))
    return redirect("aeo:visit", aeovalidationvisit_id=visit.pk)


@role_required(*STAFF)
def visit_detail(request: HttpRequest, aeovalidationvisit_id: int) -> HttpResponse:
    visit = (
        AeoValidationVisit.objects.owned_by(request.user)
        .select_related("application__company", "application__programme_type")
        .filter(pk=aeovalidationvisit_id)
        .first()
    )
    if visit is None:
        raise Http404
    criteria = criteria_for(visit.application)
    if request.method == "POST":
        if not is_officer(request.user):
            raise Http404
        checks = {
            c.pk: (request.POST.get(f"result-{c.pk}", "not_checked"), request.POST.get(f"note-{c.pk}", ""))
            for c in criteria
        }
        done = request.POST.get("action") == "complete"
        if call(request, officer.record_visit, visit.pk, request.POST.get("report", ""), checks, done) is not None:
            messages.success(request, _("Visit closed and report saved.") if done else _("Checklist saved."))
            return redirect("aeo:visit", aeovalidationvisit_id=visit.pk)
    saved = {check.criterion.code: check for check in visit.checks.select_related("criterion")}
    rows = [{"criterion": c, "check": saved.get(c.code)} for c in criteria]
    return render(
        request,
        "aeo/visit.html",
        {
            "visit": visit,
            "rows": rows,
            "results": AeoVisitCheck.Result.choices,
            "editable": is_officer(request.user) and visit.status == AeoValidationVisit.Status.PLANNED,
            "report": request.POST.get("report", visit.report),
        },
    )


@require_POST
@role_required(*OFFICER)
def raise_finding(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    application = _writable_or_404(request, aeoapplication_id)
    form = FindingForm(request.POST, criteria=criteria_for(application))
    if not form.is_valid():
        messages.error(request, _("Describe the finding and choose its kind."))
        return _back(application.pk)
    data = dict(form.cleaned_data)
    criterion = data.pop("criterion")
    data["criterion_id"] = criterion.pk if criterion else None
    if call(request, officer.raise_finding, application.pk, data) is not None:
        messages.success(request, _("Finding raised; the trader sees it in the portal."))
    return _back(application.pk)


@require_POST
@role_required(*OFFICER)
def close_finding(request: HttpRequest, aeofinding_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    finding = call(request, officer.close_finding, aeofinding_id, note)
    if finding is None:
        from ..models import AeoFinding

        finding = AeoFinding.objects.owned_by(request.user).filter(pk=aeofinding_id).first()
        if finding is None:
            raise Http404
    else:
        messages.success(request, _("Finding closed."))
    return _back(finding.application_id)


@require_POST
@role_required(*OFFICER)
def decide(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    _writable_or_404(request, aeoapplication_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return _back(aeoapplication_id)
    result = call(
        request, decision.decide, aeoapplication_id, form.cleaned_data["outcome"], form.cleaned_data["reasons"]
    )
    if result is not None:
        messages.success(request, _("Decision recorded: %(outcome)s.") % {"outcome": result.get_outcome_display()})
    return _back(aeoapplication_id)


def open_requirement_count(application: AeoApplication) -> int:
    return open_requirements(application).count()
