"""Demo data of the AEO programme: a seeded catalogue per member administration and operators at
every stage, so every page shows something real. Saint Lucia's first company (the demo trader's)
is left fresh, for a visitor (and the browser test) to walk the whole path."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tradewinds.core.demo import DemoContext
from tradewinds.core.models import Administration

from . import demo_builders as b
from . import profile
from .models import (
    AeoCertificate,
    AeoCertificateEvent,
    AeoComplianceProfile,
    AeoEventRegistration,
    AeoFinding,
    AeoFindingResponse,
    AeoOutreachEvent,
    AeoProgrammeType,
    AeoRecognitionArrangement,
    AeoRecognitionConsent,
    AeoSelfReview,
)
from .services.reminders import send_due_reminders
from .services.setup import seed_catalogue

S = b.S
REQUIREMENT, RECOMMENDATION = AeoFinding.Kind.REQUIREMENT, AeoFinding.Kind.RECOMMENDATION


def load(context: DemoContext) -> None:
    members = [a for a in context.administrations.values() if not a.is_regional]
    for administration in members:
        seed_catalogue(administration)
    certificates = {}
    for administration in members:
        certificates[administration.code] = _operators(context, administration)
    _recognition(context, certificates)
    for administration in members:
        _outreach(context, administration)
    send_due_reminders(timezone.localdate())


def finish(context: DemoContext) -> None:
    """After the risk demo: compliance profiles count the inspections and outcomes it recorded."""
    for snapshot in AeoComplianceProfile.objects.select_related("application__company"):
        snapshot.figures = profile.compute(snapshot.application.company, snapshot.period_end)
        snapshot.save(update_fields=["figures"])


def _operators(context: DemoContext, administration: Administration) -> AeoCertificate:
    code = administration.code
    officer = context.users[f"{code}.aeo"]
    companies = context.companies[code]
    security = AeoProgrammeType.objects.get(administration=administration, code="aeos")
    simplified = AeoProgrammeType.objects.get(administration=administration, code="aeoc")
    b.message(
        companies[0],
        officer,
        "Welcome to the trusted-trader programme. Ask us anything before you apply.",
        from_customs=True,
        days=3,
    )
    _withdrawn_then_pre_application(companies[1], security, officer)
    _draft(companies[2], simplified)
    _submitted(companies[3], security)
    _under_validation(companies[4], security, officer)
    certified = _certified(companies[5], security, officer)
    _suspended(companies[6], security, officer)
    _revoked(companies[7], simplified, officer)
    return certified


def _withdrawn_then_pre_application(company, programme_type, officer) -> None:
    """Certified years ago, gave the status up when it stopped trading, now checking whether to return."""
    app = b.application(company, programme_type, [(S.DRAFT, 1700), (S.SUBMITTED, 1690), (S.CERTIFIED, 1600)])
    b.visit(app, officer, days=1620, done=True)
    certificate = b.certify(app, officer, issued_days_ago=1600)
    certificate.status = AeoCertificate.Status.WITHDRAWN
    certificate.save(update_fields=["status"])
    b.certificate_event(certificate, AeoCertificateEvent.Kind.WITHDRAWN, None, "We stopped importing.", 500)
    b.pre_application(company, programme_type, ready=False, days=5)


def _draft(company, programme_type) -> None:
    app = b.application(company, programme_type, [(S.DRAFT, 12)], answered=0.4)
    b.evidence_pdf(app, "Record-keeping procedure")
    b.message(company, None, "Do we need to list every warehouse, or only the bonded ones?", from_customs=False, days=2)


def _submitted(company, programme_type) -> None:
    b.application(company, programme_type, [(S.DRAFT, 40), (S.SUBMITTED, 6)])


def _under_validation(company, programme_type, officer) -> None:
    app = b.application(
        company, programme_type, [(S.DRAFT, 90), (S.SUBMITTED, 60), (S.IN_REVIEW, 55), (S.VALIDATION, 30)]
    )
    app.officer = officer
    app.save(update_fields=["officer"])
    visit = b.visit(app, officer, days=10, done=True)
    b.finding(
        app,
        officer,
        "PR-01",
        REQUIREMENT,
        "The rear gate of the yard is left unlocked during the day.",
        deadline=b.future(5),
    )
    answered = b.finding(
        app,
        officer,
        "TR-01",
        REQUIREMENT,
        "Two warehouse staff have no security training record.",
        deadline=b.future(20),
        status=AeoFinding.Status.ANSWERED,
    )
    AeoFindingResponse.objects.create(
        administration=app.administration,
        finding=answered,
        author=None,
        body="Both attend the workshop next month; certificates will be sent.",
    )
    b.finding(app, officer, "CM-02", RECOMMENDATION, "Rehearse the contingency plan with the night shift.")
    AeoComplianceProfile.objects.create(
        administration=app.administration,
        application=app,
        period_start=timezone.localdate() - timedelta(days=1095),
        period_end=timezone.localdate(),
        figures=profile.compute(company, timezone.localdate()),
        computed_by=officer,
    )
    visit.save()


def _certified(company, programme_type, officer) -> AeoCertificate:
    app = b.application(
        company,
        programme_type,
        [(S.DRAFT, 540), (S.SUBMITTED, 520), (S.IN_REVIEW, 500), (S.VALIDATION, 470), (S.CERTIFIED, 430)],
    )
    b.visit(app, officer, days=450, done=True)
    b.finding(app, officer, "CM-02", RECOMMENDATION, "Rehearse the contingency plan once a year.")
    certificate = b.certify(app, officer, issued_days_ago=430)
    AeoSelfReview.objects.create(
        administration=app.administration,
        certificate=certificate,
        period_due=certificate.next_self_review_due,
        still_compliant=True,
        changes="New loading bay with camera coverage.",
    )
    b.certificate_event(
        certificate, AeoCertificateEvent.Kind.SELF_REVIEW, None, "New loading bay with camera coverage.", days=70
    )
    certificate.next_self_review_due = certificate.next_self_review_due.replace(
        year=certificate.next_self_review_due.year + 1
    )
    certificate.save(update_fields=["next_self_review_due"])
    b.message(company, officer, "Your self-review is recorded. Thank you.", from_customs=True, days=69)
    return certificate


def _suspended(company, programme_type, officer) -> None:
    app = b.application(
        company, programme_type, [(S.DRAFT, 900), (S.SUBMITTED, 880), (S.IN_REVIEW, 860), (S.CERTIFIED, 800)]
    )
    b.visit(app, officer, days=820, done=True)
    certificate = b.certify(app, officer, issued_days_ago=800)
    reason = "Undeclared goods found in two containers; explain the controls that failed."
    certificate.status, certificate.suspension_reason = AeoCertificate.Status.SUSPENDED, reason
    certificate.response_due = b.future(4)
    certificate.save()
    b.certificate_event(certificate, AeoCertificateEvent.Kind.SUSPENDED, officer, reason, days=26)


def _revoked(company, programme_type, officer) -> None:
    app = b.application(company, programme_type, [(S.DRAFT, 1300), (S.SUBMITTED, 1290), (S.CERTIFIED, 1200)])
    b.visit(app, officer, days=1210, done=True)
    certificate = b.certify(app, officer, issued_days_ago=1200)
    certificate.status = AeoCertificate.Status.REVOKED
    certificate.save(update_fields=["status"])
    b.certificate_event(certificate, AeoCertificateEvent.Kind.SUSPENDED, officer, "Repeated misdeclaration.", 200)
    b.certificate_event(certificate, AeoCertificateEvent.Kind.REVOKED, officer, "No answer within the window.", 150)


def _recognition(context: DemoContext, certificates: dict[str, AeoCertificate]) -> None:
    """Barbados has arrangements with Saint Lucia and with Grenada (each side records its own);
    Barbados' certified operator consented to both, Grenada's to Barbados."""
    admins = context.administrations
    pairs = [("lca", "brb"), ("brb", "lca"), ("grd", "brb"), ("brb", "grd")]
    for own, partner in pairs:
        AeoRecognitionArrangement.objects.create(
            administration=admins[own],
            partner=admins[partner],
            signed_on=timezone.localdate() - timedelta(days=300),
            title=f"AEO mutual recognition {own.upper()}–{partner.upper()}",
        )
    for holder, partner in [("brb", "lca"), ("brb", "grd"), ("grd", "brb")]:
        certificate = certificates[holder]
        AeoRecognitionConsent.objects.create(
            administration=certificate.administration, certificate=certificate, partner=admins[partner]
        )
        b.certificate_event(certificate, AeoCertificateEvent.Kind.CONSENT_GIVEN, None, admins[partner].name, 100)


def _outreach(context: DemoContext, administration: Administration) -> None:
    event = AeoOutreachEvent.objects.create(
        administration=administration,
        kind=AeoOutreachEvent.Kind.WORKSHOP,
        title=f"AEO readiness workshop ({administration.code.upper()})",
        starts_at=timezone.now() + timedelta(days=21),
        location="Customs House, training room",
        description="What validation looks at, and how to prepare your security procedures.",
    )
    AeoOutreachEvent.objects.create(
        administration=administration,
        kind=AeoOutreachEvent.Kind.CONSULTATIVE,
        title=f"AEO consultative group ({administration.code.upper()})",
        starts_at=timezone.now() + timedelta(days=45),
        location="Chamber of Commerce",
    )
    company = context.companies[administration.code][5]
    AeoEventRegistration.objects.create(
        administration=administration, event=event, company=company, attendee="Compliance manager"
    )
