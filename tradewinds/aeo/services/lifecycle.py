"""A certificate's life after the decision. Each step leaves an event, so the history is kept."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.errors import Conflict

from ..dates import add_months, add_years
from ..models import AeoCertificate, AeoCertificateEvent, AeoSelfReview
from ._common import OFFICER, TRADER, get_certificate, invalid, require

Status = AeoCertificate.Status
Kind = AeoCertificateEvent.Kind


def _event(certificate: AeoCertificate, kind: str, actor: User, note: str = "", before_status: str = "") -> None:
    before = {"status": before_status or certificate.status}
    AeoCertificateEvent.objects.create(
        administration_id=certificate.administration_id, certificate=certificate, kind=kind, actor=actor, note=note
    )
    audit.record(
        f"aeo.certificate.{kind}",
        actor=actor,
        obj=certificate,
        before=before,
        after={"status": certificate.status, "note": note},
    )


def _needs(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise invalid({field: message})
    return text


def submit_self_review(actor: User, certificate_id: int, still_compliant: bool, changes: str) -> AeoSelfReview:
    require(actor, *TRADER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status != Status.VALID:
        raise Conflict(_("Only a valid certificate is reviewed."))
    changes = (changes or "").strip()
    if not still_compliant and not changes:
        raise invalid({"changes": _("Say which criteria you no longer meet and what you are doing about it.")})
    with transaction.atomic():
        review = AeoSelfReview.objects.create(
            administration_id=certificate.administration_id,
            certificate=certificate,
            period_due=certificate.next_self_review_due,
            still_compliant=still_compliant,
            changes=changes,
            submitted_by=actor,
        )
        certificate.next_self_review_due = add_months(
            certificate.next_self_review_due, certificate.programme_type.self_review_months
        )
        certificate.save(update_fields=["next_self_review_due"])
        _event(certificate, Kind.SELF_REVIEW, actor, changes or _("No changes; all criteria still met."))
    return review


def revalidate(actor: User, certificate_id: int, note: str) -> AeoCertificate:
    """Record a completed revalidation: the status runs for another period from today."""
    require(actor, *OFFICER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status != Status.VALID:
        raise Conflict(_("Reinstate a suspended certificate before revalidating it."))
    note = _needs(note, "note", _("Summarise the revalidation."))
    with transaction.atomic():
        certificate.valid_until = add_years(timezone.localdate(), certificate.programme_type.revalidation_years)
        certificate.save(update_fields=["valid_until"])
        _event(certificate, Kind.REVALIDATED, actor, note)
    return certificate


def suspend(actor: User, certificate_id: int, reason: str, response_days: int | None = None) -> AeoCertificate:
    require(actor, *OFFICER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status != Status.VALID:
        raise Conflict(_("Only a valid certificate can be suspended."))
    reason = _needs(reason, "reason", _("Give the reason for the suspension."))
    days = response_days or certificate.programme_type.suspension_response_days
    if not 5 <= days <= 120:
        raise invalid({"response_days": _("Choose between 5 and 120 days.")})
    before_status = certificate.status
    with transaction.atomic():
        certificate.status = Status.SUSPENDED
        certificate.suspension_reason = reason
        certificate.response_due = timezone.localdate() + timedelta(days=days)
        certificate.save(update_fields=["status", "suspension_reason", "response_due"])
        _event(certificate, Kind.SUSPENDED, actor, reason, before_status=before_status)
    return certificate


def respond_to_suspension(actor: User, certificate_id: int, body: str) -> AeoCertificate:
    require(actor, *TRADER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status != Status.SUSPENDED:
        raise Conflict(_("The certificate is not suspended."))
    body = _needs(body, "body", _("Write your answer to the suspension."))
    with transaction.atomic():
        _event(certificate, Kind.HOLDER_RESPONSE, actor, body)
    return certificate


def reinstate(actor: User, certificate_id: int, note: str) -> AeoCertificate:
    require(actor, *OFFICER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status != Status.SUSPENDED:
        raise Conflict(_("Only a suspended certificate can be reinstated."))
    note = _needs(note, "note", _("Say why the suspension is lifted."))
    return _end_or_lift(certificate, Status.VALID, Kind.REINSTATED, actor, note)


def revoke(actor: User, certificate_id: int, reason: str) -> AeoCertificate:
    require(actor, *OFFICER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status not in (Status.VALID, Status.SUSPENDED):
        raise Conflict(_("This certificate has already ended."))
    reason = _needs(reason, "reason", _("Give the reason for the revocation."))
    return _end_or_lift(certificate, Status.REVOKED, Kind.REVOKED, actor, reason)


def withdraw(actor: User, certificate_id: int, reason: str) -> AeoCertificate:
    """The holder gives the status up voluntarily."""
    require(actor, *TRADER)
    certificate = get_certificate(actor, certificate_id, write=True)
    if certificate.status not in (Status.VALID, Status.SUSPENDED):
        raise Conflict(_("This certificate has already ended."))
    return _end_or_lift(certificate, Status.WITHDRAWN, Kind.WITHDRAWN, actor, (reason or "").strip())


def _end_or_lift(certificate: AeoCertificate, status: str, kind: str, actor: User, note: str) -> AeoCertificate:
    """Reinstate, revoke or withdraw: a new status, no response pending, one event, audited before/after."""
    before_status = certificate.status
    with transaction.atomic():
        certificate.status = status
        certificate.response_due = None
        certificate.save(update_fields=["status", "response_due"])
        _event(certificate, kind, actor, note, before_status=before_status)
    return certificate
