"""Read-side helpers shared by services, pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AeoAnswer, AeoApplication, AeoCriterion, AeoFinding


def criteria_for(application: AeoApplication) -> list[AeoCriterion]:
    """The current criteria the application must answer: its business type, and the security areas
    only when the programme type includes them."""
    criteria = AeoCriterion.objects.filter(
        administration_id=application.administration_id, is_current=True
    ).select_related("area")
    if not application.programme_type.includes_security:
        criteria = criteria.filter(area__security=False)
    return [c for c in criteria.order_by("area__order", "code") if c.applies_to(application.business_type)]


def answers_by_code(application: AeoApplication) -> dict[str, AeoAnswer]:
    """Answers keyed by criterion code, so an answer survives a new version of its criterion."""
    answers = AeoAnswer.objects.filter(application=application).select_related("criterion")
    return {answer.criterion.code: answer for answer in answers}


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    must_missing: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def progress_of(application: AeoApplication, criteria: list[AeoCriterion] | None = None) -> Progress:
    criteria = criteria if criteria is not None else criteria_for(application)
    answers = answers_by_code(application)
    answered = sum(1 for c in criteria if c.code in answers and answers[c.code].is_complete)
    missing = [c.code for c in criteria if c.is_must and not (c.code in answers and answers[c.code].is_complete)]
    return Progress(answered, len(criteria), missing)


def open_requirements(application: AeoApplication) -> QuerySet[AeoFinding]:
    return application.findings.filter(kind=AeoFinding.Kind.REQUIREMENT).exclude(status=AeoFinding.Status.CLOSED)
