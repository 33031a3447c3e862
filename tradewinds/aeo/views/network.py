"""Mutual recognition and outreach pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewinds.core.permissions import role_required

from ..forms import ArrangementForm, EventForm, RegistrationForm
from ..models import AeoEventRegistration, AeoOutreachEvent, AeoRecognitionArrangement
from ..services import network
from ._helpers import EVERYONE, STAFF, TRADER, call, is_officer


@role_required(*STAFF)
def recognition(request: HttpRequest) -> HttpResponse:
    form = ArrangementForm(request.POST or None, own_id=request.user.administration_id)
    if request.method == "POST":
        if not is_officer(request.user):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            saved = call(
                request,
                network.save_arrangement,
                data["partner"],
                data["title"],
                data["signed_on"],
                in_force=data["in_force"],
                risk_factor=data["risk_factor"],
                form=form,
            )
            if saved:
                messages.success(request, _("Arrangement saved."))
                return redirect("aeo:recognition")
    arrangements = AeoRecognitionArrangement.objects.owned_by(request.user).select_related("partner")
    recognised = network.recognised_certificates(request.user.administration_id)
    return render(
        request,
        "aeo/recognition.html",
        {
            "form": form,
            "arrangements": arrangements,
            "recognised": recognised,
            "can_edit": is_officer(request.user),
            "today": timezone.localdate(),
        },
    )


@role_required(*EVERYONE)
def events(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST":
        if not is_officer(request.user):
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            if call(
                request,
                network.create_event,
                data.pop("kind"),
                data.pop("title"),
                data.pop("starts_at"),
                data.pop("location"),
                form=form,
                **data,
            ):
                messages.success(request, _("Event published; applicants and AEOs can register."))
                return redirect("aeo:events")
    upcoming = AeoOutreachEvent.objects.owned_by(request.user).filter(starts_at__gte=timezone.now())
    past = AeoOutreachEvent.objects.owned_by(request.user).filter(starts_at__lt=timezone.now()).order_by("-starts_at")
    mine = set()
    if request.user.has_role(*TRADER):
        mine = set(
            AeoEventRegistration.objects.filter(company_id=request.user.company_id).values_list("event_id", flat=True)
        )
    return render(
        request,
        "aeo/events.html",
        {
            "form": form,
            "upcoming": upcoming,
            "past": past[:10],
            "mine": mine,
            "can_edit": is_officer(request.user),
            "is_trader": request.user.has_role(*TRADER),
        },
    )


@role_required(*EVERYONE)
def event_detail(request: HttpRequest, aeooutreachevent_id: int) -> HttpResponse:
    event = AeoOutreachEvent.objects.owned_by(request.user).filter(pk=aeooutreachevent_id).first()
    if event is None:
        raise Http404
    registrations = event.registrations.select_related("company")
    if request.user.has_role(*TRADER):
        registrations = registrations.filter(company_id=request.user.company_id)
    return render(
        request,
        "aeo/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "total": event.registrations.count(),
            "form": RegistrationForm(initial={"attendee": request.user.get_full_name()}),
            "is_trader": request.user.has_role(*TRADER),
        },
    )


@require_POST
@role_required(*TRADER)
def register(request: HttpRequest, aeooutreachevent_id: int) -> HttpResponse:
    if not AeoOutreachEvent.objects.owned_by(request.user).filter(pk=aeooutreachevent_id).exists():
        raise Http404
    if call(request, network.register_for_event, aeooutreachevent_id, request.POST.get("attendee", "")):
        messages.success(request, _("Registered."))
    return redirect("aeo:event", aeooutreachevent_id=aeooutreachevent_id)
