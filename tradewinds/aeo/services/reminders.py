"""Reminders for every due date, sent once per date and stage as a message in the company's thread
(seen by the trader and the AEO office). Run daily by the task worker or by cron through
`tradewinds manage aeo_reminders`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from tradewinds.core import audit

from ..models import AeoCertificate, AeoFinding, AeoMessage, AeoReminder

# How long before a due date the first reminder goes out.
LEAD_DAYS = {
    AeoReminder.Kind.SELF_REVIEW: 30,
    AeoReminder.Kind.REVALIDATION: 90,
    AeoReminder.Kind.SUSPENSION_RESPONSE: 7,
    AeoReminder.Kind.FINDING_DEADLINE: 7,
}


@dataclass(frozen=True)
class Due:
    kind: str
    due_on: date
    certificate: AeoCertificate | None = None
    finding: AeoFinding | None = None

    @property
    def company(self):
        return self.certificate.company if self.certificate else self.finding.application.company

    @property
    def administration(self):
        return (self.certificate or self.finding).administration


def due_items(today: date) -> Iterator[Due]:
    Kind = AeoReminder.Kind
    horizon = today + timedelta(days=max(LEAD_DAYS.values()))
    valid = AeoCertificate.objects.filter(status=AeoCertificate.Status.VALID).select_related(
        "company", "administration"
    )
    for certificate in valid.filter(next_self_review_due__lte=horizon):
        yield Due(Kind.SELF_REVIEW, certificate.next_self_review_due, certificate=certificate)
    for certificate in valid.filter(valid_until__lte=horizon):
        yield Due(Kind.REVALIDATION, certificate.valid_until, certificate=certificate)
    suspended = AeoCertificate.objects.filter(status=AeoCertificate.Status.SUSPENDED, response_due__lte=horizon)
    for certificate in suspended.select_related("company", "administration"):
        yield Due(Kind.SUSPENSION_RESPONSE, certificate.response_due, certificate=certificate)
    findings = AeoFinding.objects.filter(
        kind=AeoFinding.Kind.REQUIREMENT, status=AeoFinding.Status.OPEN, deadline__lte=horizon
    ).select_related("application__company", "administration")
    for finding in findings:
        yield Due(Kind.FINDING_DEADLINE, finding.deadline, finding=finding)


def _text(due: Due, stage: str) -> str:
    what = AeoReminder.Kind(due.kind).label
    subject = str(due.certificate or _("finding %(id)s") % {"id": due.finding.pk})
    if stage == "overdue":
        return _("Overdue since %(date)s: %(what)s (%(subject)s).") % {
            "date": due.due_on.isoformat(),
            "what": what,
            "subject": subject,
        }
    return _("Reminder: %(what)s on %(date)s (%(subject)s).") % {
        "what": what,
        "date": due.due_on.isoformat(),
        "subject": subject,
    }


def send_due_reminders(today: date) -> int:
    """Send what is due and not yet sent; returns how many reminders went out."""
    sent = 0
    for due in due_items(today):
        if due.due_on > today + timedelta(days=LEAD_DAYS[due.kind]):
            continue
        stage = "overdue" if due.due_on < today else "upcoming"
        if _send(due, stage):
            sent += 1
    return sent


def _send(due: Due, stage: str) -> bool:
    administration = due.administration
    try:
        with transaction.atomic():
            reminder = AeoReminder.objects.create(
                administration=administration,
                kind=due.kind,
                certificate=due.certificate,
                finding=due.finding,
                due_on=due.due_on,
                stage=stage,
            )
            with override((administration.languages or ["en"])[0]):
                body = _text(due, stage)
            AeoMessage.objects.create(administration=administration, company=due.company, from_customs=True, body=body)
            audit.record("aeo.reminder.sent", actor=None, obj=reminder, after={"kind": due.kind, "stage": stage})
    except IntegrityError:  # already sent by an earlier or concurrent run
        return False
    return True
