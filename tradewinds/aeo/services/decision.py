"""The decision on an application: certify, refuse with reasons, or ask for more."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.core.validation import full_clean
from tradewinds.errors import Conflict

from ..dates import add_months, add_years
from ..models import (
    AeoApplication,
    AeoCertificate,
    AeoCertificateEvent,
    AeoDecision,
    AeoMessage,
    AeoValidationVisit,
)
from ..queries import open_requirements, progress_of
from ._common import OFFICER, get_application, require, set_status


def certification_blockers(application: AeoApplication) -> list[str]:
    """Why the application cannot be certified yet (empty when it can)."""
    blockers = []
    if application.status not in (AeoApplication.Status.IN_REVIEW, AeoApplication.Status.VALIDATION):
        blockers.append(_("The application is not under review."))
    missing = progress_of(application).must_missing
    if missing:
        blockers.append(_("MUST criteria without a complete answer: %(codes)s.") % {"codes": ", ".join(missing)})
    open_count = open_requirements(application).count()
    if open_count:
        blockers.append(
            _("%(count)s requirement finding(s) still open: close them before certifying.") % {"count": open_count}
        )
    if not application.visits.filter(status=AeoValidationVisit.Status.DONE).exists():
        blockers.append(_("No validation visit has been completed."))
    return blockers


def decide(actor: User, application_id: int, outcome: str, reasons: str) -> AeoDecision:
    require(actor, *OFFICER)
    application = get_application(actor, application_id, write=True)
    if application.status not in AeoApplication.OFFICER_STATUSES:
        raise Conflict(_("A decision can only be taken on an application under review."))
    decision = AeoDecision(
        administration_id=application.administration_id,
        application=application,
        outcome=outcome,
        reasons=(reasons or "").strip(),
        decided_by=actor,
    )
    full_clean(decision)
    if outcome == AeoDecision.Outcome.CERTIFY:
        blockers = certification_blockers(application)
        if blockers:
            raise Conflict(" ".join(blockers))
    with transaction.atomic():
        decision.save()
        _apply(actor, application, decision)
        audit.record("aeo.decision", actor=actor, obj=application, after={"outcome": outcome, "reasons": reasons})
    return decision


def _apply(actor: User, application: AeoApplication, decision: AeoDecision) -> None:
    Outcome = AeoDecision.Outcome
    if decision.outcome == Outcome.MORE_INFO:
        set_status(application, AeoApplication.Status.INFO_REQUESTED, actor, decision.reasons)
        AeoMessage.objects.create(
            administration_id=application.administration_id,
            company=application.company,
            application=application,
            author=actor,
            from_customs=True,
            body=_("We need more information before we can decide: %(reasons)s") % {"reasons": decision.reasons},
        )
        return
    application.decided_at = timezone.now()
    if decision.outcome == Outcome.REFUSE:
        set_status(application, AeoApplication.Status.REFUSED, actor, decision.reasons)
        return
    set_status(application, AeoApplication.Status.CERTIFIED, actor, decision.reasons or _("Certified."))
    issue_certificate(actor, application)


def issue_certificate(actor: User | None, application: AeoApplication) -> AeoCertificate:
    administration = application.administration
    today = timezone.localdate()
    programme_type = application.programme_type
    sequence = AeoCertificate.objects.filter(administration=administration).count() + 1
    certificate = AeoCertificate.objects.create(
        administration=administration,
        company=application.company,
        application=application,
        programme_type=programme_type,
        number=f"{administration.country or administration.code.upper()}-{programme_type.code.upper()}-"
        f"{today.year}-{sequence:04d}",
        issued_on=today,
        valid_until=add_years(today, programme_type.revalidation_years),
        next_self_review_due=add_months(today, programme_type.self_review_months),
        language=(administration.languages or ["en"])[0],
    )
    AeoCertificateEvent.objects.create(
        administration=administration, certificate=certificate, kind=AeoCertificateEvent.Kind.ISSUED, actor=actor
    )
    audit.record("aeo.certificate.issued", actor=actor, obj=certificate, after={"number": certificate.number})
    return certificate
