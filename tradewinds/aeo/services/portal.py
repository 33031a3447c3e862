"""The trader's use cases: pre-application, application, questionnaire, submission, withdrawal."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.errors import Conflict, NotFound, field_error

from ..models import (
    AeoAnswer,
    AeoApplication,
    AeoCertificate,
    AeoCriterion,
    AeoEvidenceFile,
    AeoPreApplication,
    AeoPreApplicationCheck,
    AeoProgrammeType,
)
from ..queries import criteria_for
from . import evidence
from ._common import TRADER, get_application, invalid, require, set_status


def _programme_type(actor: User, programme_type_id: int) -> AeoProgrammeType:
    programme_type = AeoProgrammeType.objects.owned_by(actor).filter(pk=programme_type_id, active=True).first()
    if programme_type is None:
        raise invalid({"programme_type": _("Choose a programme type open for applications.")})
    return programme_type


def run_pre_application(actor: User, programme_type_id: int, answers: dict[str, bool]) -> AeoPreApplication:
    """Answer at once: ready, or not yet and why. Every check must be answered."""
    require(actor, *TRADER)
    programme_type = _programme_type(actor, programme_type_id)
    checks = list(AeoPreApplicationCheck.objects.owned_by(actor).filter(active=True))
    unanswered = {c.code: _("Answer this question.") for c in checks if c.code not in answers}
    if unanswered:
        raise invalid(unanswered)
    reasons = [c.not_ready_reason for c in checks if not answers[c.code]]
    with transaction.atomic():
        pre = AeoPreApplication.objects.create(
            administration_id=actor.administration_id,
            company_id=actor.company_id,
            programme_type=programme_type,
            answers={c.code: bool(answers[c.code]) for c in checks},
            ready=not reasons,
            reasons=reasons,
            created_by=actor,
        )
        audit.record("aeo.pre_application.run", actor=actor, obj=pre, after={"ready": pre.ready, "reasons": reasons})
    return pre


def start_application(actor: User, programme_type_id: int, business_type: str) -> AeoApplication:
    require(actor, *TRADER)
    programme_type = _programme_type(actor, programme_type_id)
    company = actor.company
    if business_type not in company.kinds:
        raise invalid({"business_type": _("Choose one of your company's registered business types.")})
    pre = (
        AeoPreApplication.objects.owned_by(actor)
        .filter(company=company, programme_type=programme_type)
        .order_by("-created_at", "-id")
        .first()
    )
    if pre is None or not pre.ready:
        raise Conflict(_("Pass the pre-application check for this programme type first."))
    if AeoApplication.objects.filter(company=company, status__in=AeoApplication.OPEN_STATUSES).exists():
        raise Conflict(_("Your company already has an application in progress."))
    if AeoCertificate.objects.filter(company=company, programme_type=programme_type, status="valid").exists():
        raise Conflict(_("Your company already holds this status."))
    with transaction.atomic():
        application = AeoApplication.objects.create(
            administration_id=actor.administration_id,
            company=company,
            programme_type=programme_type,
            business_type=business_type,
            pre_application=pre,
            created_by=actor,
        )
        set_status(application, AeoApplication.Status.DRAFT, actor, _("Application started."))
    return application


@dataclass
class AnswerInput:
    compliance: str = ""
    text: str = ""
    files: list[UploadedFile] = field(default_factory=list)


def save_questionnaire(
    actor: User, application_id: int, answers: dict[int, AnswerInput], *, submit: bool = False
) -> AeoApplication:
    """Save answers and evidence as a draft, or submit. On any error nothing at all is written."""
    require(actor, *TRADER)
    application = get_application(actor, application_id, write=True)
    if not application.is_editable:
        raise Conflict(_("This application can no longer be changed."))
    criteria = {c.pk: c for c in criteria_for(application)}
    errors, checked = _validate_answers(criteria, answers)
    if submit:
        errors += _missing_must_answers(application, criteria, answers)
    if errors:
        raise invalid(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            for criterion_id, given in answers.items():
                _write_answer(actor, application, criteria[criterion_id], given, checked.get(criterion_id, []), stored)
            audit.record("aeo.application.answers_saved", actor=actor, obj=application, after={"count": len(answers)})
            if submit:
                _submit(actor, application)
    except Exception:
        evidence.discard(stored)  # the rows rolled back; the bytes must go too
        raise
    return application


def _validate_answers(criteria: dict[int, AeoCriterion], answers: dict[int, AnswerInput]):
    errors: list[dict] = []
    checked: dict[int, list[evidence.CheckedFile]] = {}
    valid = set(AeoAnswer.Compliance.values)
    for criterion_id, given in answers.items():
        if criterion_id not in criteria:
            raise NotFound(_("That criterion is not part of this application."))
        if given.compliance and given.compliance not in valid:
            errors.append(field_error(f"compliance-{criterion_id}", _("Choose one of the listed answers.")))
        for upload in given.files:
            try:
                checked.setdefault(criterion_id, []).append(evidence.check_upload(upload))
            except ValueError as error:
                errors.append(field_error(f"evidence-{criterion_id}", str(error)))
    return errors, checked


def _missing_must_answers(application: AeoApplication, criteria, answers: dict[int, AnswerInput]) -> list[dict]:
    """A MUST criterion needs a status and an explanation, from this request or a saved draft."""
    saved = {a.criterion.code: a for a in application.answers.select_related("criterion")}
    errors = []
    for criterion in criteria.values():
        if not criterion.is_must:
            continue
        if criterion.pk in answers:
            given = answers[criterion.pk]
            complete = bool(given.compliance) and bool(given.text.strip())
        else:
            complete = criterion.code in saved and saved[criterion.code].is_complete
        if not complete:
            message = _("%(code)s is a MUST criterion: give its status and explain how you meet it.") % {
                "code": criterion.code
            }
            errors.append(field_error(f"text-{criterion.pk}", message))
    return errors


def _write_answer(actor, application, criterion, given: AnswerInput, files, stored: list[str]) -> None:
    # An answer to an older version of the same criterion is carried over to the current one.
    answer = AeoAnswer.objects.filter(application=application, criterion__code=criterion.code).order_by(
        "-id"
    ).first() or AeoAnswer(administration_id=application.administration_id, application=application)
    answer.criterion = criterion
    answer.compliance = given.compliance
    answer.text = given.text.strip()
    answer.save()
    for checked in files:
        path = evidence.store(checked, application.administration.code, application.pk)
        stored.append(path)
        AeoEvidenceFile.objects.create(
            administration_id=application.administration_id,
            application=application,
            answer=answer,
            original_name=checked.name,
            stored_path=path,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=actor,
        )


def _submit(actor: User, application: AeoApplication) -> None:
    resubmission = application.status == AeoApplication.Status.INFO_REQUESTED
    application.submitted_at = application.submitted_at or timezone.now()
    to_status = AeoApplication.Status.IN_REVIEW if resubmission else AeoApplication.Status.SUBMITTED
    note = _("Answers completed and sent back.") if resubmission else _("Application submitted.")
    set_status(application, to_status, actor, note)


def submit_application(actor: User, application_id: int) -> AeoApplication:
    return save_questionnaire(actor, application_id, {}, submit=True)


def withdraw_application(actor: User, application_id: int, reason: str) -> AeoApplication:
    require(actor, *TRADER)
    application = get_application(actor, application_id, write=True)
    if not application.is_open:
        raise Conflict(_("Only an application in progress can be withdrawn."))
    with transaction.atomic():
        set_status(
            application, AeoApplication.Status.WITHDRAWN, actor, reason.strip() or _("Withdrawn by the company.")
        )
    return application
