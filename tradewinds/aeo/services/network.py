"""Mutual recognition (arrangements and the holder's consent) and outreach events."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import Administration, User
from tradewinds.core.validation import full_clean
from tradewinds.errors import Conflict, NotFound

from ..models import (
    AeoCertificate,
    AeoCertificateEvent,
    AeoEventRegistration,
    AeoOutreachEvent,
    AeoRecognitionArrangement,
    AeoRecognitionConsent,
)
from ._common import OFFICER, TRADER, get_certificate, invalid, require


def save_arrangement(
    actor: User, partner_id: int, title: str, signed_on: date, *, in_force: bool = True, risk_factor: float = 0.6
) -> AeoRecognitionArrangement:
    require(actor, *OFFICER)
    partner = Administration.objects.filter(pk=partner_id, kind=Administration.Kind.MEMBER).first()
    if partner is None:
        raise invalid({"partner": _("Choose a member administration.")})
    arrangement = AeoRecognitionArrangement.objects.filter(administration_id=actor.administration_id, partner=partner)
    arrangement = arrangement.first() or AeoRecognitionArrangement(
        administration_id=actor.administration_id, partner=partner
    )
    before = audit.snapshot(arrangement) if arrangement.pk else None
    arrangement.title, arrangement.signed_on = (title or "").strip(), signed_on
    arrangement.in_force, arrangement.risk_factor = in_force, risk_factor
    full_clean(arrangement)
    with transaction.atomic():
        arrangement.save()
        audit.record(
            "aeo.arrangement.saved", actor=actor, obj=arrangement, before=before, after=audit.snapshot(arrangement)
        )
    return arrangement


def partners_for_consent(certificate: AeoCertificate) -> QuerySet[Administration]:
    """Administrations the holder may let see its status: those its own administration has an
    arrangement in force with."""
    partner_ids = AeoRecognitionArrangement.objects.filter(
        administration_id=certificate.administration_id, in_force=True
    ).values("partner_id")
    return Administration.objects.filter(pk__in=partner_ids)


def give_consent(actor: User, certificate_id: int, partner_id: int) -> AeoRecognitionConsent:
    require(actor, *TRADER)
    certificate = get_certificate(actor, certificate_id, write=True)
    partner = partners_for_consent(certificate).filter(pk=partner_id).first()
    if partner is None:
        raise invalid({"partner": _("Your administration has no arrangement in force with that administration.")})
    if certificate.consents.filter(partner=partner, withdrawn_at__isnull=True).exists():
        raise Conflict(_("You have already consented for that administration."))
    with transaction.atomic():
        consent = AeoRecognitionConsent.objects.create(
            administration_id=certificate.administration_id, certificate=certificate, partner=partner, given_by=actor
        )
        AeoCertificateEvent.objects.create(
            administration_id=certificate.administration_id,
            certificate=certificate,
            kind=AeoCertificateEvent.Kind.CONSENT_GIVEN,
            actor=actor,
            note=partner.name,
        )
        audit.record("aeo.consent.given", actor=actor, obj=certificate, after={"partner": partner.code})
    return consent


def withdraw_consent(actor: User, consent_id: int) -> AeoRecognitionConsent:
    require(actor, *TRADER)
    consent = (
        AeoRecognitionConsent.objects.owned_by(actor)
        .filter(pk=consent_id, certificate__company_id=actor.company_id, withdrawn_at__isnull=True)
        .select_related("certificate", "partner")
        .first()
    )
    if consent is None:
        raise NotFound(_("No such consent."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        AeoCertificateEvent.objects.create(
            administration_id=consent.administration_id,
            certificate=consent.certificate,
            kind=AeoCertificateEvent.Kind.CONSENT_WITHDRAWN,
            actor=actor,
            note=consent.partner.name,
        )
        audit.record(
            "aeo.consent.withdrawn", actor=actor, obj=consent.certificate, after={"partner": consent.partner.code}
        )
    return consent


def recognised_certificates(administration_id: int) -> QuerySet[AeoCertificate]:
    """Partner administrations' certificates this administration honours: an arrangement of ours in
    force with the issuer, and the holder's active consent naming us. Deliberately outside the tenant
    filter: this is the one sanctioned window onto another administration's AEO register."""
    partner_ids = AeoRecognitionArrangement.objects.filter(administration_id=administration_id, in_force=True).values(
        "partner_id"
    )
    return (
        AeoCertificate.objects.filter(
            administration_id__in=partner_ids,
            consents__partner_id=administration_id,
            consents__withdrawn_at__isnull=True,
        )
        .select_related("company", "programme_type", "administration")
        .distinct()
    )


def create_event(actor: User, kind: str, title: str, starts_at: datetime, location: str, **extra) -> AeoOutreachEvent:
    require(actor, *OFFICER)
    event = AeoOutreachEvent(
        administration_id=actor.administration_id,
        kind=kind,
        title=(title or "").strip(),
        starts_at=starts_at,
        location=(location or "").strip(),
        description=extra.get("description", ""),
        capacity=extra.get("capacity") or 30,
        created_by=actor,
    )
    full_clean(event)
    with transaction.atomic():
        event.save()
        audit.record("aeo.event.created", actor=actor, obj=event, after={"title": event.title})
    return event


def register_for_event(actor: User, event_id: int, attendee: str) -> AeoEventRegistration:
    require(actor, *TRADER)
    event = AeoOutreachEvent.objects.owned_by(actor).filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("No such event."))
    attendee = (attendee or "").strip() or actor.get_full_name() or actor.username
    if event.starts_at < timezone.now():
        raise Conflict(_("This event has already taken place."))
    if event.registrations.count() >= event.capacity:
        raise Conflict(_("This event is full."))
    if event.registrations.filter(company_id=actor.company_id, attendee=attendee).exists():
        raise Conflict(_("%(name)s is already registered.") % {"name": attendee})
    with transaction.atomic():
        registration = AeoEventRegistration.objects.create(
            administration_id=event.administration_id,
            event=event,
            company_id=actor.company_id,
            attendee=attendee[:150],
            registered_by=actor,
        )
        audit.record("aeo.event.registered", actor=actor, obj=event, after={"attendee": registration.attendee})
    return registration
