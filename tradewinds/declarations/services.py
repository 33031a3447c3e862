"""Use cases of declarations: the only writers of their state. The API, the pages, the file import
and the CLI all come through here."""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.fastinsert import insert_instances
from tradewinds.core.models import User
from tradewinds.core.roles import Role
from tradewinds.core.statements import Lookup
from tradewinds.core.validation import full_clean
from tradewinds.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error

from . import records
from .models import Declaration, DeclarationItem, DeclarationVersion, ImportBatch, ImportProfile, LifecycleEvent
from .profiles import mapping_errors
from .reading import sniff_problem
from .signals import declaration_lodged, declaration_lodging
from .validation import Scope, validate_payload

SUBMITTERS = (Role.TRADER, Role.PARTNER_AGENCY, Role.CLEARANCE_OFFICER, Role.MANAGER)
READERS = (
    Role.MANAGER,
    Role.RISK_OFFICER,
    Role.EXAMINATION_OFFICER,
    Role.CLEARANCE_OFFICER,
    Role.AEO_OFFICER,
    Role.REGIONAL_ANALYST,
    Role.TRADER,
    Role.PARTNER_AGENCY,
)
RELEASERS = (Role.CLEARANCE_OFFICER,)
# Once goods are under inspection or gone, the declaration is history: correct it after clearance.
FROZEN_STATUSES = (Declaration.Status.UNDER_INSPECTION, Declaration.Status.RELEASED)


@dataclass(frozen=True)
class SubmitResult:
    declaration: Declaration
    created: bool
    amended: bool = False
    # A new declaration's rows as written (events by time, as the timeline reads them), so the
    # answer needs not read them back.
    items: tuple[DeclarationItem, ...] = ()
    version: DeclarationVersion | None = None
    events: tuple[LifecycleEvent, ...] = ()


def require(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles) or actor.administration_id is None:
        raise Forbidden(_("Your role does not allow this."))


def visible_declarations(user: User) -> QuerySet[Declaration]:
    """The declarations a user may read: a trader only its own company's (as importer or declarant)."""
    declarations = Declaration.objects.for_user(user)
    if user.has_role(Role.TRADER):
        company = user.company
        if company is None:
            return declarations.none()
        mine = Q(importer_id=company.pk) | Q(declarant_id=company.pk)
        if company.tax_id:
            mine |= Q(importer_code=company.tax_id) | Q(declarant_code=company.tax_id)
        declarations = declarations.filter(mine)
    return declarations


def scope_for(actor: User) -> Scope:
    administration = actor.administration
    trader_tax_id = None
    if actor.has_role(Role.TRADER):
        trader_tax_id = actor.company.tax_id if actor.company_id else ""
    return Scope(time_zone=zoneinfo.ZoneInfo(administration.time_zone), now=timezone.now(), trader_tax_id=trader_tax_id)


def submit_declaration(
    actor: User, payload: dict[str, Any], *, source: str = "api", refresh: bool = True
) -> SubmitResult:
    """Lodge a declaration, or amend it when the number exists with other content. Re-sending the
    same content changes nothing (`created=False`), so a border system may safely retry.
    ``refresh=False`` leaves the returned instance as written (for a caller that reads it again)."""
    require(actor, *SUBMITTERS)
    normalised, errors = validate_payload(payload, scope_for(actor))
    if errors:
        raise InvalidInput(_("Some fields are not valid."), errors=errors)
    try:
        result = _submit_valid(actor, normalised, source)
    except IntegrityError:
        # Two requests lodged the same new number at once: the loser retries as a resend.
        result = _submit_valid(actor, normalised, source)
    if refresh:
        result.declaration.refresh_from_db()  # a receiver (risk) may have set lane and status
    return result


# Every lodging looks its number up first: SQL built once (see tradewinds.core.statements).
_locked_number = Lookup(
    lambda administration_id, number: (
        Declaration.objects.select_for_update()
        .filter(administration_id=administration_id, number=number)
        .order_by("pk")[:1]
    ),
    int,
    str,
)


def _submit_valid(actor: User, payload: dict[str, Any], source: str) -> SubmitResult:
    # The audit entries (lodged, and the receivers' lane decision) are appended at the end, so
    # concurrent lodgings wait on the audit chain only for each other's commit.
    with transaction.atomic(), audit.appended_together():
        existing = _locked_number.first(actor.administration_id, payload["number"])
        if existing is None:
            return create_declaration(actor, payload, source)
        if not visible_declarations(actor).filter(pk=existing.pk).exists():
            raise Conflict(_("This declaration number is already used."), code="number_taken")
        if latest_payload(existing) == payload:
            return SubmitResult(existing, created=False)
        return SubmitResult(amend_declaration(actor, existing, payload), created=False, amended=True)


def latest_payload(declaration: Declaration) -> dict[str, Any] | None:
    return (
        DeclarationVersion.objects.filter(declaration=declaration)
        .order_by("-version")
        .values_list("payload", flat=True)
        .first()
    )


def create_declaration(actor: User, payload: dict[str, Any], source: str) -> SubmitResult:
    """Write a new, validated declaration with its items, first version and events (in a transaction)."""
    administration = actor.administration
    companies = records.company_ids(administration, (payload["importer_code"], payload["declarant_code"]))
    now = timezone.now()
    declaration = records.new_declaration(administration, payload, companies, now=now, source=source)
    declaration.created_at = declaration.updated_at = now
    children = records.new_children(declaration, payload, actor, now)
    # Receivers (risk) judge the declaration before it is written, so its row goes in once, lane and all.
    answers = declaration_lodging.send(sender=Declaration, declaration=declaration, items=children.items, actor=actor)
    insert_instances(Declaration, [declaration], fetch_ids=True)
    audit.record("declaration.lodged", actor=actor, obj=declaration, after=records.summary(declaration, payload))
    for _receiver, write in answers:
        if write is not None:
            children.events.extend(write(declaration))
    records.insert_children([(declaration, children)])
    events = sorted(children.events, key=lambda event: event.at)  # stable: same-time events keep their order
    return SubmitResult(
        declaration, created=True, items=tuple(children.items), version=children.version, events=tuple(events)
    )


def amend_declaration(
    actor: User, declaration: Declaration, payload: dict[str, Any], *, notify: bool = True
) -> Declaration:
    """A new version with other content; the lane is left for the risk receiver to reassess.
    A file import passes `notify=False` and announces all its declarations at once."""
    if declaration.status in FROZEN_STATUSES:
        raise Conflict(
            _("The declaration is %(status)s and can no longer be amended.")
            % {"status": declaration.get_status_display().lower()},
            code="frozen",
        )
    previous = latest_payload(declaration) or {}
    before = records.summary(declaration, previous)
    had_arrival = declaration.arrival_at is not None
    companies = records.company_ids(
        declaration.administration_id, (payload["importer_code"], payload["declarant_code"])
    )
    records.apply_header(declaration, payload, companies, declaration.administration.currency)
    declaration.version += 1
    declaration.save()
    declaration.items.all().delete()
    records.DeclarationItem.objects.bulk_create(records.item_rows(declaration, payload))
    records.version_row(declaration, payload, actor).save()
    events = [records.event_row(declaration, LifecycleEvent.Kind.AMENDED, timezone.now(), actor)]
    if declaration.arrival_at and not had_arrival:
        events.append(records.event_row(declaration, LifecycleEvent.Kind.ARRIVAL, declaration.arrival_at))
    LifecycleEvent.objects.bulk_create(events)
    after = {**records.summary(declaration, payload), "changed": records.changed_fields(previous, payload)}
    audit.record("declaration.amended", actor=actor, obj=declaration, before=before, after=after)
    if notify:
        declaration_lodged.send(sender=Declaration, declaration=declaration, actor=actor, amended=True)
    return declaration


def submit_many(actor: User, payloads: list[Any], *, partial: bool, source: str = "api") -> list[dict[str, Any]]:
    """A batch: each declaration's result or errors by index. Without `partial`, one bad declaration
    rolls the whole batch back (results still say which were valid)."""
    require(actor, *SUBMITTERS)
    results: list[dict[str, Any]] = []
    with transaction.atomic():
        for index, payload in enumerate(payloads):
            try:
                with transaction.atomic():
                    outcome = submit_declaration(actor, payload, source=source)
            except (InvalidInput, Conflict) as error:
                results.append({"index": index, "ok": False, **error.as_dict()})
            else:
                results.append({"index": index, "ok": True, "result": outcome})
        failed = any(not result["ok"] for result in results)
        if failed and not partial:
            transaction.set_rollback(True)
    written = partial or not failed
    for result in results:
        result["written"] = result["ok"] and written
    return results


def record_event(
    declaration: Declaration,
    kind: str,
    *,
    actor: User | None = None,
    at: datetime | None = None,
    note: str = "",
) -> LifecycleEvent:
    """Append a lifecycle event. Called by other apps' services (risk: assessed, lane assigned,
    inspection) inside their own transaction and after their own role checks."""
    if kind not in LifecycleEvent.Kind.values:
        raise InvalidInput(_("Unknown lifecycle event."), errors=[])
    event = records.event_row(declaration, kind, at or timezone.now(), actor, note)
    event.save()
    return event


def release_declaration(actor: User, declaration_id: int, note: str = "") -> Declaration:
    """A clearance officer releases the goods: the end of the time-release measure."""
    require(actor, *RELEASERS)
    with transaction.atomic():
        declaration = Declaration.objects.owned_by(actor).select_for_update().filter(pk=declaration_id).first()
        if declaration is None:
            raise NotFound(_("No such declaration."))
        _check_releasable(declaration)
        before = {"status": declaration.status, "lane": declaration.lane}
        declaration.status = Declaration.Status.RELEASED
        declaration.save(update_fields=["status", "updated_at"])
        record_event(declaration, LifecycleEvent.Kind.RELEASED, actor=actor, note=note)
        audit.record(
            "declaration.released",
            actor=actor,
            obj=declaration,
            before=before,
            after={"status": declaration.status, "lane": declaration.lane},
        )
    return declaration


def _check_releasable(declaration: Declaration) -> None:
    status = Declaration.Status
    if declaration.status == status.RELEASED:
        raise Conflict(_("The declaration is already released."), code="released")
    if declaration.status == status.LODGED or not declaration.lane:
        raise Conflict(_("The declaration has no lane yet: it is released after risk assessment."), code="no_lane")
    if declaration.status == status.UNDER_INSPECTION:
        raise Conflict(_("The inspection is not finished."), code="under_inspection")
    if declaration.lane == Declaration.Lane.RED and declaration.status != status.INSPECTED:
        raise Conflict(_("A red-lane declaration is released after its physical inspection."), code="not_inspected")


# --- file imports and their profiles -------------------------------------------------------------

IMPORTERS = (Role.MANAGER, Role.RISK_OFFICER, Role.CLEARANCE_OFFICER, Role.TRADER)
PROFILE_EDITORS = (Role.MANAGER, Role.RISK_OFFICER)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PROFILE_FIELDS = ["name", "description", "file_format", "mapping"]


def start_import(actor: User, profile_id: int, upload: Any, *, import_valid_rows: bool = False) -> ImportBatch:
    """Keep the uploaded file and queue its import; the batch shows progress and, later, the report."""
    require(actor, *IMPORTERS)
    profile = ImportProfile.objects.owned_by(actor).filter(pk=profile_id).first()
    if profile is None:
        raise InvalidInput(_("Some fields are not valid."), errors=[field_error("profile", _("Choose a profile."))])
    if upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("Some fields are not valid."), errors=[field_error("file", _("The file is over 50 MB."))])
    head = next(upload.chunks(8192), b"")[:8192]
    upload.seek(0)
    problem = sniff_problem(head)
    if problem:
        raise InvalidInput(_("Some fields are not valid."), errors=[field_error("file", problem)])
    relative = Path("imports") / actor.administration.code / f"{uuid.uuid4().hex}{Path(upload.name).suffix[:8]}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    batch = ImportBatch.objects.create(
        administration_id=actor.administration_id,
        profile=profile,
        file_name=Path(upload.name).name[:200],
        stored_file=str(relative),
        import_valid_rows=import_valid_rows,
        created_by=actor,
    )
    from .tasks import import_declarations_file  # the task module imports this one

    import_declarations_file.enqueue(batch.pk)
    batch.refresh_from_db()  # the immediate backend (tests) has already run it
    return batch


def save_profile(actor: User, profile_id: int | None, data: dict[str, Any]) -> ImportProfile:
    """Create or edit an import profile; the mapping is checked column by column."""
    require(actor, *PROFILE_EDITORS)
    if profile_id is None:
        profile = ImportProfile(administration_id=actor.administration_id)
    else:
        profile = ImportProfile.objects.owned_by(actor).filter(pk=profile_id).first()
        if profile is None:
            raise NotFound(_("No such import profile."))
    before = audit.snapshot(profile, PROFILE_FIELDS) if profile.pk else None
    errors = mapping_errors(data.get("mapping"))
    name = str(data.get("name", "")).strip()
    if (
        ImportProfile.objects.filter(administration_id=actor.administration_id, name=name)
        .exclude(pk=profile.pk)
        .exists()
    ):
        errors.append(field_error("name", _("A profile with this name exists.")))
    if errors:
        raise InvalidInput(_("Some fields are not valid."), errors=errors)
    profile.name, profile.mapping = name, data["mapping"]
    profile.description = str(data.get("description", ""))
    profile.file_format = data.get("file_format") or "csv"
    with transaction.atomic():
        full_clean(profile)
        profile.save()
        action = "import_profile.created" if before is None else "import_profile.updated"
        audit.record(action, actor=actor, obj=profile, before=before, after=audit.snapshot(profile, PROFILE_FIELDS))
    return profile
