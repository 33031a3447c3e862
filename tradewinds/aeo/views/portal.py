"""The trader portal: pre-application, questionnaire, findings, messages, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required
from tradewinds.errors import TradewindsError

from ..forms import COMPLIANCE_CHOICES, FindingResponseForm, MessageForm, ReasonForm, StartApplicationForm
from ..models import (
    AeoApplication,
    AeoCertificate,
    AeoEvidenceFile,
    AeoMessage,
    AeoOutreachEvent,
    AeoPreApplication,
    AeoPreApplicationCheck,
    AeoProgrammeType,
)
from ..queries import answers_by_code, criteria_for, progress_of
from ..services import conversation, evidence, portal
from ..services._common import get_application, scoped
from ._helpers import EVERYONE, STAFF, TRADER, call, field_errors


@role_required(*EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    """One entry in the main navigation; the trader lands in the portal, customs in the queue."""
    if request.user.has_role(*TRADER):
        return redirect("aeo:portal")
    return redirect("aeo:queue")


@role_required(*TRADER)
def portal_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = {"administration_id": user.administration_id, "company_id": user.company_id}
    context = {
        "company": user.company,
        "pre_application": AeoPreApplication.objects.filter(**own).select_related("programme_type").first(),
        "applications": AeoApplication.objects.filter(**own).select_related("programme_type"),
        "certificates": AeoCertificate.objects.filter(**own).select_related("programme_type"),
        "unread": AeoMessage.objects.filter(**own, from_customs=True, read_at__isnull=True).count(),
        "events": AeoOutreachEvent.objects.owned_by(user).order_by("starts_at")[:3],
        "start_form": StartApplicationForm(user=user),
        "programme_types": AeoProgrammeType.objects.owned_by(user).filter(active=True).prefetch_related("benefits"),
    }
    return render(request, "aeo/portal.html", context)


@role_required(*TRADER)
def pre_application(request: HttpRequest) -> HttpResponse:
    checks = list(AeoPreApplicationCheck.objects.owned_by(request.user).filter(active=True))
    types = AeoProgrammeType.objects.owned_by(request.user).filter(active=True)
    result, errors = None, {}
    if request.method == "POST":
        answers = {c.code: request.POST[c.code] == "yes" for c in checks if request.POST.get(c.code) in ("yes", "no")}
        try:
            result = portal.run_pre_application(request.user, _int(request.POST.get("programme_type")), answers)
        except TradewindsError as error:
            errors = field_errors(error)
    rows = [{"check": c, "value": request.POST.get(c.code), "errors": errors.get(c.code, [])} for c in checks]
    context = {"rows": rows, "types": types, "result": result, "errors": errors, "posted": request.POST}
    if result is not None and result.ready:
        context["start_form"] = StartApplicationForm(
            user=request.user, initial={"programme_type": result.programme_type}
        )
    return render(request, "aeo/pre_application.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
@role_required(*TRADER)
def start_application(request: HttpRequest) -> HttpResponse:
    form = StartApplicationForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a programme type and a business type."))
        return redirect("aeo:portal")
    application = call(
        request, portal.start_application, form.cleaned_data["programme_type"].pk, form.cleaned_data["business_type"]
    )
    if application is None:
        return redirect("aeo:portal")
    messages.success(request, _("Application started: answer the questionnaire, save as you go, then submit."))
    return redirect("aeo:questionnaire", aeoapplication_id=application.pk)


@role_required(*TRADER)
def questionnaire(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    application = call(request, get_application, aeoapplication_id, write=True)
    if application is None:
        raise Http404
    criteria = criteria_for(application)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and application.is_editable:
        submit = request.POST.get("action") == "submit"
        answers = _posted_answers(request, criteria)
        try:
            portal.save_questionnaire(request.user, application.pk, answers, submit=submit)
        except TradewindsError as error:
            if error.status in (403, 404):
                raise Http404 from error
            errors = field_errors(error) or {"__all__": [error.detail]}
        else:
            messages.success(request, _("Application submitted.") if submit else _("Draft saved."))
            target = "aeo:application" if submit else "aeo:questionnaire"
            return redirect(target, aeoapplication_id=application.pk)
    return render(request, "aeo/questionnaire.html", _questionnaire_context(request, application, criteria, errors))


def _posted_answers(request: HttpRequest, criteria) -> dict[int, portal.AnswerInput]:
    answers = {}
    for criterion in criteria:
        compliance = request.POST.get(f"compliance-{criterion.pk}", "")
        text = request.POST.get(f"text-{criterion.pk}", "")
        files = request.FILES.getlist(f"evidence-{criterion.pk}")
        if compliance or text.strip() or files or f"text-{criterion.pk}" in request.POST:
            answers[criterion.pk] = portal.AnswerInput(compliance, text, files)
    return answers


def _questionnaire_context(request, application, criteria, errors) -> dict:
    saved = answers_by_code(application)
    posted = request.POST if errors else {}
    rows, area = [], None
    for criterion in criteria:
        answer = saved.get(criterion.code)
        rows.append(
            {
                "criterion": criterion,
                "new_area": criterion.area_id != area,
                "compliance": posted.get(f"compliance-{criterion.pk}", answer.compliance if answer else ""),
                "text": posted.get(f"text-{criterion.pk}", answer.text if answer else ""),
                "files": list(answer.evidence.all()) if answer else [],
                "outdated": answer is not None and answer.criterion_id != criterion.pk,
                "errors": errors.get(f"text-{criterion.pk}", []) + errors.get(f"compliance-{criterion.pk}", []),
                "file_errors": errors.get(f"evidence-{criterion.pk}", []),
            }
        )
        area = criterion.area_id
    return {
        "application": application,
        "rows": rows,
        "progress": progress_of(application, criteria),
        "choices": COMPLIANCE_CHOICES,
        "errors": errors,
        "has_errors": bool(errors),
    }


@require_POST
@role_required(*TRADER)
def withdraw_application(request: HttpRequest, aeoapplication_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if call(request, portal.withdraw_application, aeoapplication_id, reason) is not None:
        messages.success(request, _("Application withdrawn."))
    return redirect("aeo:application", aeoapplication_id=aeoapplication_id)


@require_POST
@role_required(*TRADER)
def respond_to_finding(request: HttpRequest, aeofinding_id: int) -> HttpResponse:
    form = FindingResponseForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    response = call(request, conversation.respond_to_finding, aeofinding_id, body)
    if response is None:
        from ..models import AeoFinding

        finding = scoped(AeoFinding.objects.all(), request.user, write=True).filter(pk=aeofinding_id).first()
        if finding is None:
            raise Http404
        return redirect("aeo:application", aeoapplication_id=finding.application_id)
    messages.success(request, _("Your answer was sent to the AEO office."))
    return redirect("aeo:application", aeoapplication_id=response.finding.application_id)


@role_required(*TRADER)
def my_messages(request: HttpRequest) -> HttpResponse:
    return _thread(request, request.user.company, redirect_to=("aeo:messages", {}))


def _thread(request: HttpRequest, company, redirect_to) -> HttpResponse:
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call(request, conversation.post_message, company.pk, form.cleaned_data["body"], form=form):
            messages.success(request, _("Message sent."))
            return redirect(redirect_to[0], **redirect_to[1])
    thread = AeoMessage.objects.filter(company=company).select_related("author")
    conversation.mark_thread_read(request.user, company)
    can_write = request.user.has_role(*TRADER) or request.user.has_role("aeo_officer")
    return render(
        request, "aeo/messages.html", {"company": company, "thread": thread, "form": form, "can_write": can_write}
    )


@role_required(*STAFF)
def company_messages(request: HttpRequest, company_id: int) -> HttpResponse:
    company = call(request, conversation.company_for_thread, company_id)
    if company is None:
        raise Http404
    return _thread(request, company, redirect_to=("aeo:company_messages", {"company_id": company.pk}))


@role_required(*EVERYONE)
def evidence_download(request: HttpRequest, aeoevidencefile_id: int) -> HttpResponse:
    record = scoped(AeoEvidenceFile.objects.all(), request.user, write=False).filter(pk=aeoevidencefile_id).first()
    if record is None:
        raise Http404
    try:
        path = evidence.absolute_path(record.stored_path)
        handle = path.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=record.original_name, content_type=record.content_type)
