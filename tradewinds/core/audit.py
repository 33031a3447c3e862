"""Append-only, hash-chained audit trail.

Each entry's hash covers its own content and the previous entry's hash, so editing, deleting or
reordering any row breaks every later link and `verify_chain` names the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .cursors import shared_cursor
from .fastinsert import insert_instances
from .models import Administration, AuditEntry, AuditHead, User

GENESIS_HASH = "0" * 64
# The head row is read and written in plain SQL on every append (see _append).
_HEAD = connection.ops.quote_name(AuditHead._meta.db_table)
_COUNT = connection.ops.quote_name("count")


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
    """Append one entry. Call inside the service's transaction so the entry and the change commit
    together. Inside :func:`appended_together` the entry waits for the end of that block."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if administration is None:
            administration = getattr(obj, "administration_id", None)
    if isinstance(administration, Administration):
        administration = administration.pk
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
    )
    waiting = _waiting.get()
    if waiting is not None:
        waiting.append(entry)
    else:
        _append([entry])
    return entry


_waiting: ContextVar[list[AuditEntry] | None] = ContextVar("audit_waiting", default=None)


@contextmanager
def appended_together() -> Iterator[None]:
    """Entries recorded inside the block are chained and written when it ends, still inside the
    caller's transaction. The chain's head stays locked from its first append to the commit, so
    every writer of the trail waits meanwhile: a use case that does much work (lodging assesses
    the declaration) appends at its end and holds the lock for the commit alone. Use it inside the
    transaction (or savepoint) the entries belong to; if the block fails, nothing is appended."""
    if _waiting.get() is not None:  # already inside one: the outer block appends
        yield
        return
    entries: list[AuditEntry] = []
    token = _waiting.set(entries)
    try:
        yield
    finally:
        _waiting.reset(token)
    if entries:
        _append(entries)


def _append(entries: list[AuditEntry]) -> None:
    # The caller's transaction is enough (no savepoint): an error here rolls the change back with it.
    with transaction.atomic(savepoint=False):
        last_hash, count = _locked_head()
        for entry in entries:
            entry.prev_hash = last_hash
            entry.hash = last_hash = _entry_hash(last_hash, _hashed_fields(entry))
        # Plain SQL, not save() and update(): every lodging appends, and building these statements
        # through the ORM cost more than running them.
        insert_instances(AuditEntry, entries)
        with shared_cursor() as cursor:
            cursor.execute(
                f"UPDATE {_HEAD} SET last_hash = %s, {_COUNT} = %s WHERE id = 1", [last_hash, count + len(entries)]
            )


def _locked_head() -> tuple[str, int]:
    """The chain's newest hash and length, the head row locked until the transaction ends (SQLite
    has no row locks: its transactions take the write lock up front)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with shared_cursor() as cursor:
        cursor.execute(f"SELECT last_hash, {_COUNT} FROM {_HEAD} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH, "count": 0})
        return _locked_head()
    return row[0], row[1]


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
