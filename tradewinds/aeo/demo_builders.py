"""Small builders for the demo: they write the rows a real file would have, back-dated, without
going through the request-time services (the demo traders of other companies have no user)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from fpdf import FPDF

from tradewinds.core.models import Company, User

from .models import (
    AeoAnswer,
    AeoApplication,
    AeoCertificateEvent,
    AeoDecision,
    AeoEvidenceFile,
    AeoFinding,
    AeoMessage,
    AeoPreApplication,
    AeoPreApplicationCheck,
    AeoProgrammeType,
    AeoStatusChange,
    AeoValidationVisit,
    AeoVisitCheck,
)
from .queries import criteria_for
from .services import evidence
from .services.decision import issue_certificate

S = AeoApplication.Status


def ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def pre_application(company: Company, programme_type: AeoProgrammeType, *, ready: bool, days: int) -> None:
    checks = list(AeoPreApplicationCheck.objects.filter(administration=company.administration))
    failing = [] if ready else checks[-2:]
    pre = AeoPreApplication.objects.create(
        administration=company.administration,
        company=company,
        programme_type=programme_type,
        answers={c.code: c not in failing for c in checks},
        ready=ready,
        reasons=[c.not_ready_reason for c in failing],
    )
    AeoPreApplication.objects.filter(pk=pre.pk).update(created_at=ago(days))


def application(company: Company, programme_type: AeoProgrammeType, path: list[tuple[str, int]], *, answered=1.0):
    """An application that went through `path` [(status, days ago), …]; answers for a share of criteria."""
    pre_application(company, programme_type, ready=True, days=path[0][1] + 2)
    app = AeoApplication.objects.create(
        administration=company.administration,
        company=company,
        programme_type=programme_type,
        business_type=company.kinds[0],
    )
    criteria = criteria_for(app)
    for criterion in criteria[: round(len(criteria) * answered)]:
        AeoAnswer.objects.create(
            administration=company.administration,
            application=app,
            criterion=criterion,
            compliance=AeoAnswer.Compliance.YES,
            text=f"{company.name}: documented procedure in place, reviewed by management.",
        )
    previous = ""
    for status, days in path:
        change = AeoStatusChange.objects.create(
            administration=company.administration, application=app, from_status=previous, to_status=status
        )
        AeoStatusChange.objects.filter(pk=change.pk).update(at=ago(days))
        previous = status
    submitted = next((days for status, days in path if status == S.SUBMITTED), None)
    decided = next((days for status, days in path if status in (S.CERTIFIED, S.REFUSED)), None)
    AeoApplication.objects.filter(pk=app.pk).update(
        status=previous,
        created_at=ago(path[0][1]),
        submitted_at=ago(submitted) if submitted is not None else None,
        decided_at=ago(decided) if decided is not None else None,
    )
    app.refresh_from_db()
    return app


def evidence_pdf(app: AeoApplication, title: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, f"{app.company.name}\n{title}\n(demo document)")
    content = bytes(pdf.output())
    checked = evidence.CheckedFile(f"{title}.pdf", content, "application/pdf", "pdf")
    answer = app.answers.order_by("pk").first()
    AeoEvidenceFile.objects.create(
        administration=app.administration,
        application=app,
        answer=answer,
        original_name=checked.name,
        stored_path=evidence.store(checked, app.administration.code, app.pk),
        content_type=checked.content_type,
        size=len(content),
        sha256=checked.sha256,
    )


def visit(app: AeoApplication, officer: User, *, days: int, done: bool) -> AeoValidationVisit:
    record = AeoValidationVisit.objects.create(
        administration=app.administration,
        application=app,
        planned_for=(timezone.now() - timedelta(days=days)).date(),
        location=f"{app.company.name}, main warehouse",
        scope="Premises, cargo handling and personnel security; record keeping.",
        officer=officer,
        status=AeoValidationVisit.Status.DONE if done else AeoValidationVisit.Status.PLANNED,
        report="Procedures seen in operation; perimeter and access control adequate." if done else "",
        completed_at=ago(days) if done else None,
    )
    for answer in app.answers.select_related("criterion")[:6]:
        AeoVisitCheck.objects.create(
            administration=app.administration,
            visit=record,
            criterion=answer.criterion,
            result=AeoVisitCheck.Result.MET if done else AeoVisitCheck.Result.NOT_CHECKED,
        )
    return record


def finding(app: AeoApplication, officer: User, code: str, kind: str, text: str, **extra) -> AeoFinding:
    criterion = app.answers.filter(criterion__code=code).values_list("criterion", flat=True).first()
    return AeoFinding.objects.create(
        administration=app.administration,
        application=app,
        criterion_id=criterion,
        kind=kind,
        text=text,
        deadline=extra.get("deadline"),
        status=extra.get("status", AeoFinding.Status.OPEN),
        raised_by=officer,
        closed_by=officer if extra.get("status") == AeoFinding.Status.CLOSED else None,
        closed_at=timezone.now() if extra.get("status") == AeoFinding.Status.CLOSED else None,
    )


def certify(app: AeoApplication, officer: User, *, issued_days_ago: int):
    AeoDecision.objects.create(
        administration=app.administration, application=app, outcome=AeoDecision.Outcome.CERTIFY, decided_by=officer
    )
    certificate = issue_certificate(officer, app)
    shift = timedelta(days=issued_days_ago)
    certificate.issued_on -= shift
    certificate.valid_until -= shift
    certificate.next_self_review_due -= shift
    certificate.save()
    AeoCertificateEvent.objects.filter(certificate=certificate).update(at=ago(issued_days_ago))
    return certificate


def certificate_event(certificate, kind: str, officer: User | None, note: str, days: int) -> None:
    AeoCertificateEvent.objects.create(
        administration=certificate.administration,
        certificate=certificate,
        kind=kind,
        actor=officer,
        note=note,
        at=ago(days),
    )


def message(company: Company, author: User | None, body: str, *, from_customs: bool, days: float) -> None:
    record = AeoMessage.objects.create(
        administration=company.administration, company=company, author=author, from_customs=from_customs, body=body
    )
    AeoMessage.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=days))


def future(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
