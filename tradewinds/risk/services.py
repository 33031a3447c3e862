"""Use cases of risk management: the only writers of its state (pages, API, signals and the CLI call
these). Rules, named lists and settings live here; assessment, overrides and outcomes in their own
modules, re-exported below so callers need one import."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import Administration, User
from tradewinds.core.roles import Role
from tradewinds.core.validation import check_role, full_clean
from tradewinds.errors import Forbidden, InvalidInput, NotFound, field_error
from tradewinds.risk.engine.backtest import BacktestReport, backtest_rule
from tradewinds.risk.engine.rules import compile_rule, validate_rule

from . import context, frames
from .assessment import assess_batch, assess_declaration  # noqa: F401  (re-exported)
from .decisions import override_lane, record_outcome  # noqa: F401  (re-exported)
from .messages import rule_error
from .models import NamedList, NamedListEntry, RiskRule, RiskRuleVersion, SelectivitySettings

RULE_AUTHORS = (Role.RISK_OFFICER,)
SETTINGS_EDITORS = (Role.RISK_OFFICER, Role.MANAGER)
RULE_META_FIELDS = ("name", "rationale", "status", "owner_id")
SETTINGS_FIELDS = (
    "expected_red",
    "expected_yellow",
    "expected_blue",
    "random_red",
    "random_yellow",
    "random_blue",
    "threshold_red",
    "threshold_yellow",
    "threshold_blue",
    "model_weight",
)


def _require(actor: User, *roles: str) -> Administration:
    """Risk work is always done for the actor's own administration."""
    check_role(actor, *roles)
    if actor.administration is None:
        raise Forbidden(_("Your role does not allow this."))
    return actor.administration


# --- rules ------------------------------------------------------------------------------------------


def rule_definition(data: dict[str, Any], rule_id: str = "draft", version: int = 1) -> dict[str, Any]:
    """The engine's rule JSON from submitted data (name, weight, lane, validity, condition)."""

    def iso(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else (value or None)

    return {
        "id": rule_id,
        "version": version,
        "name": (data.get("name") or "").strip(),
        "weight": data.get("weight") if data.get("weight") is not None else 0,
        "lane": data.get("lane") or None,
        "valid_from": iso(data.get("valid_from")),
        "valid_to": iso(data.get("valid_to")),
        "condition": data.get("condition"),
    }


def check_rule(administration: Administration, data: dict[str, Any]) -> dict[str, Any]:
    """The rule as the engine will store it; raises InvalidInput with field paths when it is not valid."""
    definition = rule_definition(data)
    errors = [
        rule_error(error)
        for error in validate_rule(
            definition, context.named_lists(administration.pk).keys(), known_references=context.KNOWN_REFERENCES
        )
    ]
    if not (data.get("rationale") or "").strip():
        errors.append(field_error("rationale", _("Say why this rule exists: the risk it targets.")))
    if errors:
        raise InvalidInput(_("The rule is not valid."), errors=errors)
    return definition


def create_rule(actor: User, data: dict[str, Any]) -> RiskRule:
    administration = _require(actor, *RULE_AUTHORS)
    definition = check_rule(administration, data)
    with transaction.atomic():
        rule = RiskRule.objects.create(
            administration=administration,
            name=definition["name"],
            rationale=data["rationale"].strip(),
            owner=_owner(administration, data.get("owner_id")) or actor,
        )
        version = _new_version(rule, definition, actor)
        audit.record("risk.rule.created", actor=actor, obj=rule, after=_rule_snapshot(rule, version))
    return rule


def update_rule(actor: User, rule_id: int, data: dict[str, Any]) -> RiskRule:
    """Every save makes a new version; decisions keep pointing at the version that fired."""
    administration = _require(actor, *RULE_AUTHORS)
    rule = _own_rule(actor, rule_id)
    definition = check_rule(administration, data)
    before = _rule_snapshot(rule, rule.current_version)
    with transaction.atomic():
        rule.name, rule.rationale = definition["name"], data["rationale"].strip()
        if "owner_id" in data:
            rule.owner = _owner(administration, data.get("owner_id")) or rule.owner
        version = _new_version(rule, definition, actor)
        audit.record("risk.rule.updated", actor=actor, obj=rule, before=before, after=_rule_snapshot(rule, version))
    return rule


def activate_rule(actor: User, rule_id: int) -> RiskRule:
    return _set_status(actor, rule_id, RiskRule.Status.ACTIVE, "risk.rule.activated")


def retire_rule(actor: User, rule_id: int) -> RiskRule:
    return _set_status(actor, rule_id, RiskRule.Status.RETIRED, "risk.rule.retired")


def _set_status(actor: User, rule_id: int, status: str, action: str) -> RiskRule:
    _require(actor, *RULE_AUTHORS)
    rule = _own_rule(actor, rule_id)
    if rule.current_version is None:
        raise InvalidInput(_("The rule has no saved version."))
    before = {"status": rule.status}
    with transaction.atomic():
        rule.status = status
        rule.save(update_fields=["status", "updated_at"])
        audit.record(
            action,
            actor=actor,
            obj=rule,
            before=before,
            after={"status": status, "version": rule.current_version.number},
        )
    return rule


def _new_version(rule: RiskRule, definition: dict[str, Any], actor: User) -> RiskRuleVersion:
    number = (rule.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    definition = {**definition, "id": rule.engine_id, "version": number}
    compile_rule(
        definition, context.named_lists(rule.administration_id).keys(), known_references=context.KNOWN_REFERENCES
    )  # already validated; a last guard
    version = RiskRuleVersion.objects.create(
        administration_id=rule.administration_id,
        rule=rule,
        number=number,
        definition=definition,
        weight=definition["weight"],
        lane=definition["lane"] or "",
        created_by=actor,
        valid_from=_date(definition["valid_from"]),
        valid_to=_date(definition["valid_to"]),
    )
    rule.current_version = version
    rule.save()
    return version


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _owner(administration: Administration, owner_id: int | None) -> User | None:
    if not owner_id:
        return None
    owner = User.objects.filter(pk=owner_id, administration=administration, role=Role.RISK_OFFICER).first()
    if owner is None:
        raise InvalidInput(
            _("The rule is not valid."),
            errors=[field_error("owner_id", _("The owner must be a risk officer of your administration."))],
        )
    return owner


def _own_rule(actor: User, rule_id: int) -> RiskRule:
    rule = RiskRule.objects.owned_by(actor).select_related("current_version").filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such rule."))
    return rule


def _rule_snapshot(rule: RiskRule, version: RiskRuleVersion | None) -> dict[str, Any]:
    return {
        "name": rule.name,
        "status": rule.status,
        "rationale": rule.rationale,
        "version": version.number if version else None,
        "definition": version.definition if version else None,
    }


def backtest(actor: User, data: dict[str, Any], start: dt.date, end: dt.date) -> BacktestReport:
    """What the (unsaved or draft) rule would have hit between start and end, next to the active rules."""
    administration = _require(actor, Role.RISK_OFFICER, Role.MANAGER)
    if start > end:
        raise InvalidInput(
            _("The period is not valid."), errors=[field_error("end", _("The end is before the start."))]
        )
    definition = check_rule(administration, data)
    assessor = context.assessor_for(administration)
    draft = compile_rule(definition, assessor.context.lists.keys(), known_references=context.KNOWN_REFERENCES)
    history = frames.history_frame(administration.pk, start, end, time_zone=assessor.time_zone)
    evaluation = assessor.context
    if draft.references and not evaluation.references:
        evaluation = dataclasses.replace(
            evaluation, references={context.HS_MEDIAN: context.reference_medians(administration)}
        )
    return backtest_rule(draft, history, evaluation, assessor.rules)


# --- named lists --------------------------------------------------------------------------------------


def create_list(actor: User, data: dict[str, Any]) -> NamedList:
    administration = _require(actor, *RULE_AUTHORS)
    named = NamedList(
        administration=administration, **{k: data.get(k, "") for k in ("name", "title", "kind", "description")}
    )
    if NamedList.objects.filter(administration=administration, name=named.name).exists():
        raise InvalidInput(
            _("The list is not valid."), errors=[field_error("name", _("A list with this name exists."))]
        )
    with transaction.atomic():
        full_clean(named)
        named.save()
        audit.record("risk.list.created", actor=actor, obj=named, after={"name": named.name, "kind": named.kind})
    return named


def add_list_entry(actor: User, list_id: int, value: str, note: str = "") -> NamedListEntry:
    _require(actor, *RULE_AUTHORS)
    named = NamedList.objects.owned_by(actor).filter(pk=list_id).first()
    if named is None:
        raise NotFound(_("No such list."))
    entry = NamedListEntry(
        administration_id=named.administration_id, named_list=named, value=value, note=note, added_by=actor
    )
    full_clean(entry, exclude=["administration", "named_list"])
    if named.entries.filter(value=entry.value).exists():
        raise InvalidInput(_("The entry is not valid."), errors=[field_error("value", _("Already on the list."))])
    with transaction.atomic():
        entry.save()
        named.save(update_fields=["updated_at"])  # tells the assessment cache the list changed
        audit.record("risk.list.entry_added", actor=actor, obj=named, after={"value": entry.value, "note": note})
    return entry


def remove_list_entry(actor: User, list_id: int, entry_id: int) -> None:
    _require(actor, *RULE_AUTHORS)
    entry = (
        NamedListEntry.objects.owned_by(actor)
        .filter(pk=entry_id, named_list_id=list_id)
        .select_related("named_list")
        .first()
    )
    if entry is None:
        raise NotFound(_("No such entry."))
    with transaction.atomic():
        entry.delete()
        entry.named_list.save(update_fields=["updated_at"])
        audit.record("risk.list.entry_removed", actor=actor, obj=entry.named_list, before={"value": entry.value})


# --- selectivity settings -----------------------------------------------------------------------------


def update_settings(actor: User, data: dict[str, Any]) -> SelectivitySettings:
    administration = _require(actor, *SETTINGS_EDITORS)
    settings = context.settings_for(administration)
    before = audit.snapshot(settings, list(SETTINGS_FIELDS))
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(settings, name, data[name])
    with transaction.atomic():
        full_clean(settings)
        settings.save()
        audit.record(
            "risk.settings.updated",
            actor=actor,
            obj=settings,
            before=before,
            after=audit.snapshot(settings, list(SETTINGS_FIELDS)),
        )
    return settings


def rotate_draw_secret(actor: User) -> SelectivitySettings:
    """A new secret for future draws; the key id in each decision says which secret drew it."""
    administration = _require(actor, Role.MANAGER)
    settings = context.settings_for(administration)
    with transaction.atomic():
        number = int(settings.random_key_id.lstrip("k") or 1) + 1
        settings.random_key_id, settings.random_secret = (
            f"k{number}",
            SelectivitySettings._meta.get_field("random_secret").get_default(),
        )
        settings.save()
        audit.record(
            "risk.settings.secret_rotated", actor=actor, obj=settings, after={"key_id": settings.random_key_id}
        )
    return settings
