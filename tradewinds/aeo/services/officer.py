"""The AEO officer's use cases: assignment, compliance profile, visits, findings."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.core.roles import Role
from tradewinds.core.validation import full_clean
from tradewinds.errors import Conflict, NotFound

from .. import profile
from ..models import (
    AeoApplication,
    AeoComplianceProfile,
    AeoCriterion,
    AeoFinding,
    AeoValidationVisit,
    AeoVisitCheck,
)
from ._common import OFFICER, get_application, invalid, require, set_status


def _officer_application(actor: User, application_id: int) -> AeoApplication:
    require(actor, *OFFICER)
    application = get_application(actor, application_id, write=True)
    if application.status not in AeoApplication.OFFICER_STATUSES:
        raise Conflict(_("Customs can act on this application only while it is submitted or under review."))
    return application


def assign(actor: User, application_id: int, officer_id: int | None = None) -> AeoApplication:
    """Take the application (or give it to another AEO officer of the administration)."""
    application = _officer_application(actor, application_id)
    officer = actor
    if officer_id is not None and officer_id != actor.pk:
        officer = User.objects.filter(
            pk=officer_id, role=Role.AEO_OFFICER, administration_id=actor.administration_id, is_active=True
        ).first()
        if officer is None:
            raise invalid({"officer": _("Choose an AEO officer of your administration.")})
    with transaction.atomic():
        application.officer = officer
        if application.status == AeoApplication.Status.SUBMITTED:
            set_status(
                application,
                AeoApplication.Status.IN_REVIEW,
                actor,
                _("Assigned to %(name)s.") % {"name": officer.get_full_name() or officer.username},
            )
        else:
            application.save(update_fields=["officer"])
            audit.record("aeo.application.assigned", actor=actor, obj=application, after={"officer": officer.username})
    return application


def refresh_profile(actor: User, application_id: int) -> AeoComplianceProfile:
    require(actor, *OFFICER)
    application = get_application(actor, application_id, write=True)
    until = timezone.localdate()
    figures = profile.compute(application.company, until)
    with transaction.atomic():
        snapshot = AeoComplianceProfile.objects.create(
            administration_id=application.administration_id,
            application=application,
            period_start=date.fromisoformat(figures["since"]),
            period_end=until,
            figures=figures,
            computed_by=actor,
        )
        audit.record("aeo.profile.computed", actor=actor, obj=application, after={"profile": snapshot.pk})
    return snapshot


def plan_visit(
    actor: User, application_id: int, planned_for: date, location: str, scope: str = ""
) -> AeoValidationVisit:
    application = _officer_application(actor, application_id)
    visit = AeoValidationVisit(
        administration_id=application.administration_id,
        application=application,
        planned_for=planned_for,
        location=(location or "").strip(),
        scope=(scope or "").strip(),
        officer=actor,
    )
    full_clean(visit)
    with transaction.atomic():
        visit.save()
        if application.status != AeoApplication.Status.VALIDATION:
            set_status(application, AeoApplication.Status.VALIDATION, actor, _("Validation visit planned."))
        audit.record("aeo.visit.planned", actor=actor, obj=visit, after={"date": planned_for, "site": visit.location})
    return visit


def _visit(actor: User, visit_id: int) -> AeoValidationVisit:
    require(actor, *OFFICER)
    visit = AeoValidationVisit.objects.owned_by(actor).select_related("application").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


def record_visit(
    actor: User, visit_id: int, report: str, checks: dict[int, tuple[str, str]], done: bool
) -> AeoValidationVisit:
    """Save the checklist (criterion id -> (result, note)) and the report; done closes the visit."""
    visit = _visit(actor, visit_id)
    if visit.status != AeoValidationVisit.Status.PLANNED:
        raise Conflict(_("This visit is closed."))
    criteria = {c.pk: c for c in AeoCriterion.objects.owned_by(actor).filter(pk__in=list(checks))}
    valid = set(AeoVisitCheck.Result.values)
    bad = {f"result-{cid}": _("Choose a result.") for cid, (result, _note) in checks.items() if result not in valid}
    if set(checks) - set(criteria):
        raise NotFound(_("That criterion is not part of the catalogue."))
    if done and not (report or "").strip():
        bad["report"] = _("Write the report before closing the visit.")
    if bad:
        raise invalid(bad)
    with transaction.atomic():
        for criterion_id, (result, note) in checks.items():
            AeoVisitCheck.objects.update_or_create(
                visit=visit,
                criterion=criteria[criterion_id],
                defaults={"administration_id": visit.administration_id, "result": result, "note": note[:500]},
            )
        visit.report = (report or "").strip()
        if done:
            visit.status = AeoValidationVisit.Status.DONE
            visit.completed_at = timezone.now()
        visit.save()
        audit.record("aeo.visit.recorded", actor=actor, obj=visit, after={"done": done, "checks": len(checks)})
    return visit


def raise_finding(actor: User, application_id: int, data: dict) -> AeoFinding:
    application = _officer_application(actor, application_id)
    criterion = None
    if data.get("criterion_id"):
        criterion = AeoCriterion.objects.owned_by(actor).filter(pk=data["criterion_id"]).first()
        if criterion is None:
            raise invalid({"criterion": _("Choose a criterion of the catalogue.")})
    finding = AeoFinding(
        administration_id=application.administration_id,
        application=application,
        visit_id=data.get("visit_id"),
        criterion=criterion,
        kind=data.get("kind", ""),
        text=(data.get("text") or "").strip(),
        deadline=data.get("deadline"),
        raised_by=actor,
    )
    full_clean(finding)
    if finding.deadline and finding.deadline < timezone.localdate():
        raise invalid({"deadline": _("The deadline cannot be in the past.")})
    with transaction.atomic():
        finding.save()
        audit.record(
            "aeo.finding.raised", actor=actor, obj=finding, after={"kind": finding.kind, "deadline": finding.deadline}
        )
    return finding


def close_finding(actor: User, finding_id: int, note: str) -> AeoFinding:
    require(actor, *OFFICER)
    finding = AeoFinding.objects.owned_by(actor).filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(_("No such finding."))
    if finding.status == AeoFinding.Status.CLOSED:
        raise Conflict(_("This finding is already closed."))
    with transaction.atomic():
        finding.status = AeoFinding.Status.CLOSED
        finding.closed_by = actor
        finding.closed_at = timezone.now()
        finding.closing_note = (note or "").strip()
        finding.save()
        audit.record("aeo.finding.closed", actor=actor, obj=finding, after={"note": finding.closing_note})
    return finding


def default_deadline() -> date:
    return timezone.localdate() + timedelta(days=30)
