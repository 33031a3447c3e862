"""Append-only, hash-chained audit trail.

Each entry's hash covers its own content and the previous entry's hash, so editing, deleting or
reordering any row breaks every later link and `verify_chain` names the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import Administration, AuditEntry, AuditHead, User

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> Any:
    """JSON round trip so what we hash is exactly what the database gives back later."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_label,
        "administration": entry.administration_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "before": entry.before,
        "after": entry.after,
    }


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able view of a model instance for before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return _canonical({name: getattr(instance, name) for name in names})


def record(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    administration: Administration | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Append one entry. Call inside the service's transaction so the entry and the change commit together."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if administration is None:
            administration = getattr(obj, "administration_id", None)
    if isinstance(administration, Administration):
        administration = administration.pk
    # The caller's transaction is enough (no savepoint): an error here rolls the change back with it.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=actor.get_username() if actor is not None and actor.pk else "system",
            administration_id=administration,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=str(obj)[:200] if obj is not None else "",
            before=_canonical(before) if before is not None else None,
            after=_canonical(after) if after is not None else None,
            prev_hash=head.last_hash,
        )
        entry.hash = _entry_hash(head.last_hash, _hashed_fields(entry))
        entry.save()
        head.last_hash = entry.hash
        head.count += 1
        AuditHead.objects.filter(pk=head.pk).update(last_hash=head.last_hash, count=head.count)
    return entry


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH, "count": 0})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the whole chain in order; stop at the first entry whose link or content does not match."""
    prev_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev_hash:
            return ChainReport(
                False,
                checked,
                entry.pk,
                "its link to the previous entry is broken (an entry before it was removed or changed)",
            )
        if _entry_hash(prev_hash, _hashed_fields(entry)) != entry.hash:
            return ChainReport(False, checked, entry.pk, "its content does not match its hash (the row was altered)")
        prev_hash = entry.hash
        last_id = entry.pk
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev_hash or head.count != checked):
        return ChainReport(
            False, checked, last_id or None, "entries after it were removed (the chain is shorter than recorded)"
        )
    return ChainReport(True, checked)
