"""Programme set-up: types, benefits and the criteria catalogue (editable, versioned)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import Administration, User
from tradewinds.core.validation import full_clean
from tradewinds.errors import NotFound

from .. import catalogue_seed as seed
from ..models import (
    AeoBenefit,
    AeoCriteriaArea,
    AeoCriterion,
    AeoPreApplicationCheck,
    AeoProgrammeType,
)
from ._common import OFFICER, invalid, require

TYPE_FIELDS = [
    "code",
    "name",
    "description",
    "includes_security",
    "revalidation_years",
    "self_review_months",
    "suspension_response_days",
    "active",
]
CRITERION_FIELDS = ["text", "guidance", "level", "business_types"]


def save_programme_type(actor: User, data: dict[str, Any], programme_type_id: int | None = None) -> AeoProgrammeType:
    require(actor, *OFFICER)
    if programme_type_id is None:
        programme_type = AeoProgrammeType(administration_id=actor.administration_id)
        before = None
    else:
        programme_type = AeoProgrammeType.objects.owned_by(actor).filter(pk=programme_type_id).first()
        if programme_type is None:
            raise NotFound(_("No such programme type."))
        before = audit.snapshot(programme_type, TYPE_FIELDS)
    for name in TYPE_FIELDS:
        if name in data:
            setattr(programme_type, name, data[name])
    clash = AeoProgrammeType.objects.filter(administration_id=actor.administration_id, code=programme_type.code)
    if clash.exclude(pk=programme_type.pk).exists():
        raise invalid({"code": _("Another programme type uses this code.")})
    full_clean(programme_type)
    with transaction.atomic():
        programme_type.save()
        audit.record(
            "aeo.programme_type.saved",
            actor=actor,
            obj=programme_type,
            before=before,
            after=audit.snapshot(programme_type, TYPE_FIELDS),
        )
    return programme_type


def add_benefit(actor: User, programme_type_id: int, kind: str, description: str, risk_factor: float) -> AeoBenefit:
    require(actor, *OFFICER)
    programme_type = AeoProgrammeType.objects.owned_by(actor).filter(pk=programme_type_id).first()
    if programme_type is None:
        raise NotFound(_("No such programme type."))
    benefit = AeoBenefit(
        administration_id=actor.administration_id,
        programme_type=programme_type,
        kind=kind,
        description=(description or "").strip(),
        risk_factor=risk_factor,
    )
    full_clean(benefit)
    with transaction.atomic():
        benefit.save()
        audit.record("aeo.benefit.added", actor=actor, obj=benefit, after=audit.snapshot(benefit))
    return benefit


def create_criterion(actor: User, area_id: int, code: str, data: dict[str, Any]) -> AeoCriterion:
    require(actor, *OFFICER)
    area = AeoCriteriaArea.objects.owned_by(actor).filter(pk=area_id).first()
    if area is None:
        raise invalid({"area": _("Choose an area of the catalogue.")})
    code = (code or "").strip().upper()
    if not code:
        raise invalid({"code": _("Give the criterion a code.")})
    if AeoCriterion.objects.filter(administration_id=actor.administration_id, code=code).exists():
        raise invalid({"code": _("This code is already used in the catalogue.")})
    criterion = AeoCriterion(administration_id=actor.administration_id, area=area, code=code, created_by=actor)
    return _save_criterion(actor, criterion, data, None)


def revise_criterion(actor: User, criterion_id: int, data: dict[str, Any]) -> AeoCriterion:
    """A change never rewrites the wording traders answered: it adds version n+1 and retires n."""
    require(actor, *OFFICER)
    current = AeoCriterion.objects.owned_by(actor).filter(pk=criterion_id, is_current=True).first()
    if current is None:
        raise NotFound(_("No such current criterion."))
    if not (data.get("change_note") or "").strip():
        raise invalid({"change_note": _("Say why the criterion changes.")})
    revised = AeoCriterion(
        administration_id=current.administration_id,
        area=current.area,
        code=current.code,
        version=current.version + 1,
        supersedes=current,
        created_by=actor,
        change_note=data["change_note"].strip(),
    )
    return _save_criterion(actor, revised, data, current)


def _save_criterion(actor: User, criterion: AeoCriterion, data: dict[str, Any], previous: AeoCriterion | None):
    for name in CRITERION_FIELDS:
        if name in data:
            setattr(criterion, name, data[name])
    with transaction.atomic():
        if previous is not None:
            # Retire the old version first: only one version of a code may be current.
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        full_clean(criterion)
        criterion.save()
        audit.record(
            "aeo.criterion.revised" if previous else "aeo.criterion.created",
            actor=actor,
            obj=criterion,
            before=audit.snapshot(previous, CRITERION_FIELDS) if previous else None,
            after=audit.snapshot(criterion, CRITERION_FIELDS + ["version"]),
        )
    return criterion


def retire_criterion(actor: User, criterion_id: int, change_note: str) -> AeoCriterion:
    require(actor, *OFFICER)
    criterion = AeoCriterion.objects.owned_by(actor).filter(pk=criterion_id, is_current=True).first()
    if criterion is None:
        raise NotFound(_("No such current criterion."))
    if not (change_note or "").strip():
        raise invalid({"change_note": _("Say why the criterion is retired.")})
    with transaction.atomic():
        criterion.is_current = False
        criterion.change_note = change_note.strip()
        criterion.save(update_fields=["is_current", "change_note"])
        audit.record("aeo.criterion.retired", actor=actor, obj=criterion, after={"note": criterion.change_note})
    return criterion


@transaction.atomic
def seed_catalogue(administration: Administration) -> None:
    """Give an administration the starting catalogue (idempotent: existing codes are kept)."""
    own = {"administration": administration}
    areas = {}
    for order, (code, name, security) in enumerate(seed.AREAS, start=1):
        areas[code], _created = AeoCriteriaArea.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "security": security}, **own
        )
    for area, code, level, kinds, text, guidance in seed.CRITERIA:
        AeoCriterion.objects.get_or_create(
            code=code,
            version=1,
            defaults={"area": areas[area], "level": level, "business_types": kinds, "text": text, "guidance": guidance},
            **own,
        )
    for order, (code, question, reason) in enumerate(seed.PRE_CHECKS, start=1):
        AeoPreApplicationCheck.objects.get_or_create(
            code=code, defaults={"question": question, "not_ready_reason": reason, "order": order}, **own
        )
    for code, name, security, description, benefits in seed.PROGRAMME_TYPES:
        programme_type, created = AeoProgrammeType.objects.get_or_create(
            code=code, defaults={"name": name, "includes_security": security, "description": description}, **own
        )
        if created:
            AeoBenefit.objects.bulk_create(
                AeoBenefit(programme_type=programme_type, kind=kind, description=text, risk_factor=factor, **own)
                for kind, text, factor in benefits
            )
    audit.record("aeo.catalogue.seeded", actor=None, administration=administration, object_type="aeo.catalogue")
