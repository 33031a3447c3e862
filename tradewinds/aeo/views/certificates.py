"""Certificates: list, file, PDF, and every lifecycle step (officer and holder)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required
from tradewinds.core.views import paginate

from .. import certificate_pdf
from ..forms import ConsentForm, ReasonForm, SelfReviewForm, SuspendForm
from ..models import AeoCertificate
from ..services import lifecycle, network
from ..services._common import get_certificate
from ._helpers import EVERYONE, OFFICER, STAFF, TRADER, call, is_officer


def verify_path(certificate: AeoCertificate) -> str:
    return f"/verify/{certificate.verification_code}/"


@role_required(*STAFF)
def certificate_list(request: HttpRequest) -> HttpResponse:
    certificates = AeoCertificate.objects.owned_by(request.user).select_related("company", "programme_type")
    status = request.GET.get("status", "")
    if status in AeoCertificate.Status.values:
        certificates = certificates.filter(status=status)
    return render(
        request,
        "aeo/certificate_list.html",
        {"page": paginate(request, certificates), "status": status, "statuses": AeoCertificate.Status.choices},
    )


def _certificate_or_404(request: HttpRequest, certificate_id: int, *, write: bool = False) -> AeoCertificate:
    certificate = call(request, get_certificate, certificate_id, write=write)
    if certificate is None:
        raise Http404
    return certificate


@role_required(*EVERYONE)
def certificate_detail(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    certificate = _certificate_or_404(request, aeocertificate_id)
    context = {
        "certificate": certificate,
        "public_status": certificate.public_status(),
        "events": certificate.events.select_related("actor"),
        "self_reviews": certificate.self_reviews.all(),
        "consents": certificate.consents.select_related("partner"),
        "verify_url": request.build_absolute_uri(verify_path(certificate)),
        "is_officer": is_officer(request.user),
        "is_holder": request.user.has_role(*TRADER),
        "reason_form": ReasonForm(),
        "suspend_form": SuspendForm(initial={"response_days": certificate.programme_type.suspension_response_days}),
        "self_review_form": SelfReviewForm(initial={"still_compliant": True}),
    }
    if request.user.has_role(*TRADER):
        form = ConsentForm()
        form.fields["partner"].choices = [(a.pk, a.name) for a in network.partners_for_consent(certificate)]
        context["consent_form"] = form if form.fields["partner"].choices else None
    return render(request, "aeo/certificate_detail.html", context)


@role_required(*EVERYONE)
def certificate_pdf_download(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    certificate = _certificate_or_404(request, aeocertificate_id)
    content = certificate_pdf.render(certificate, request.build_absolute_uri(verify_path(certificate)))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="AEO-{certificate.number}.pdf"'
    return response


def _lifecycle_step(request: HttpRequest, certificate_id: int, step, *args, done: str) -> HttpResponse:
    _certificate_or_404(request, certificate_id, write=True)
    if call(request, step, certificate_id, *args) is not None:
        messages.success(request, done)
    return redirect("aeo:certificate", aeocertificate_id=certificate_id)


def _reason(request: HttpRequest) -> str:
    return request.POST.get("reason", "")


@require_POST
@role_required(*OFFICER)
def suspend(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    form = SuspendForm(request.POST)
    days = form.cleaned_data.get("response_days") if form.is_valid() else None
    return _lifecycle_step(
        request,
        aeocertificate_id,
        lifecycle.suspend,
        _reason(request),
        days,
        done=_("Certificate suspended; the holder has been given a window to answer."),
    )


@require_POST
@role_required(*OFFICER)
def reinstate(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    return _lifecycle_step(
        request, aeocertificate_id, lifecycle.reinstate, _reason(request), done=_("Certificate reinstated.")
    )


@require_POST
@role_required(*OFFICER)
def revoke(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    return _lifecycle_step(
        request, aeocertificate_id, lifecycle.revoke, _reason(request), done=_("Certificate revoked.")
    )


@require_POST
@role_required(*OFFICER)
def revalidate(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    return _lifecycle_step(
        request,
        aeocertificate_id,
        lifecycle.revalidate,
        _reason(request),
        done=_("Revalidation recorded; the status runs for a new period."),
    )


@require_POST
@role_required(*TRADER)
def self_review(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    still = request.POST.get("still_compliant") in ("on", "true", "1")
    return _lifecycle_step(
        request,
        aeocertificate_id,
        lifecycle.submit_self_review,
        still,
        request.POST.get("changes", ""),
        done=_("Self-review sent. Thank you."),
    )


@require_POST
@role_required(*TRADER)
def respond_to_suspension(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    return _lifecycle_step(
        request,
        aeocertificate_id,
        lifecycle.respond_to_suspension,
        _reason(request),
        done=_("Your answer was sent to the AEO office."),
    )


@require_POST
@role_required(*TRADER)
def withdraw(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    return _lifecycle_step(
        request,
        aeocertificate_id,
        lifecycle.withdraw,
        _reason(request),
        done=_("Your status has been withdrawn at your request."),
    )


@require_POST
@role_required(*TRADER)
def give_consent(request: HttpRequest, aeocertificate_id: int) -> HttpResponse:
    try:
        partner = int(request.POST.get("partner", ""))
    except ValueError:
        partner = 0
    return _lifecycle_step(
        request,
        aeocertificate_id,
        network.give_consent,
        partner,
        done=_("Consent recorded: the partner administration now sees and honours your status."),
    )


@require_POST
@role_required(*TRADER)
def withdraw_consent(request: HttpRequest, aeorecognitionconsent_id: int) -> HttpResponse:
    consent = call(request, network.withdraw_consent, aeorecognitionconsent_id)
    if consent is None:
        return redirect("aeo:portal")
    messages.success(request, _("Consent withdrawn."))
    return redirect("aeo:certificate", aeocertificate_id=consent.certificate_id)
