"""Recording and verifying the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from anjian.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


def normalise(data: Any) -> Any:
    """Make a value JSON-safe and stable (what is stored is exactly what is hashed)."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_json_default, ensure_ascii=False, sort_keys=True))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after records."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = getattr(instance, field.attname)
    return normalise(data)


def compute_hash(
    *,
    sequence: int,
    recorded_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    previous_hash: str,
) -> str:
    canonical = json.dumps(
        [
            sequence,
            recorded_at,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            before,
            after,
            previous_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EntryInput:
    """One entry for :func:`record_many` (the same fields as :func:`record` takes, minus the actor)."""

    action: str
    object_type: str
    object_id: str | int | None = None
    before: Any = None
    after: Any = None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction (the write it records)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    item = EntryInput(
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        before=before,
        after=after,
    )
    _, last = _append(actor=actor, entries=(item,), batch_size=1, caller="audit.record")
    assert last is not None
    return last


def record_many(*, actor: Any, entries: Iterable[EntryInput], batch_size: int = 1000) -> int:
    """Append many entries (a bulk import) under ONE lock of the chain head; return how many.

    Must run inside the caller's transaction, like :func:`record`, and chains the entries with the
    same code as :func:`record` (one after the other, one timestamp for the lot). They are inserted
    with ``bulk_create`` in batches, so 100,000 entries cost seconds, not 100,000 round trips.
    ``entries`` is consumed lazily (constant memory). Take the lock late: every other write in the
    system waits for it until the caller's transaction ends.
    """
    count, _ = _append(
        actor=actor, entries=entries, batch_size=batch_size, caller="audit.record_many"
    )
    return count


def _append(
    *, actor: Any, entries: Iterable[EntryInput], batch_size: int, caller: str
) -> tuple[int, AuditEntry | None]:
    """The one implementation of appending to the chain: lock the head, chain each entry to the
    previous one, insert in batches, move the head. Returns how many, and the last entry."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{caller} must be called inside the write's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    actor_id = actor.pk if getattr(actor, "pk", None) is not None else None
    actor_label = (getattr(actor, "username", "") or "system") if actor is not None else "system"
    now = timezone.now()
    recorded_at = _timestamp(now)
    sequence, previous_hash = head.last_sequence, head.last_hash
    batch: list[AuditEntry] = []
    entry: AuditEntry | None = None
    count = 0
    for item in entries:
        sequence += 1
        before_n, after_n = normalise(item.before), normalise(item.after)
        object_id = str(item.object_id if item.object_id is not None else "")
        entry_hash = compute_hash(
            sequence=sequence,
            recorded_at=recorded_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=item.action,
            object_type=item.object_type,
            object_id=object_id,
            before=before_n,
            after=after_n,
            previous_hash=previous_hash,
        )
        entry = AuditEntry(
            sequence=sequence,
            recorded_at=now,
            actor_id=actor_id,
            actor_label=actor_label,
            action=item.action,
            object_type=item.object_type,
            object_id=object_id,
            before=before_n,
            after=after_n,
            previous_hash=previous_hash,
            entry_hash=entry_hash,
        )
        batch.append(entry)
        previous_hash = entry_hash
        count += 1
        if len(batch) >= batch_size:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEntry.objects.bulk_create(batch)
    if count:
        AuditChainHead.objects.filter(id=1).update(last_sequence=sequence, last_hash=previous_hash)
    return count, entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_sequence: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Recompute the chain. Detects changed, removed (gap or truncated tail) and reordered entries."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    queryset = AuditEntry.objects.order_by("sequence").values_list(
        "sequence",
        "recorded_at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "previous_hash",
        "entry_hash",
    )
    for row in queryset.iterator(chunk_size=batch_size):
        (
            sequence,
            recorded_at,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            before,
            after,
            previous_hash,
            entry_hash,
        ) = row
        if sequence != expected_sequence:
            return VerifyResult(
                False,
                checked,
                expected_sequence,
                f"entry #{expected_sequence} is missing (next present is #{sequence})",
            )
        if previous_hash != expected_previous:
            return VerifyResult(
                False, checked, sequence, f"entry #{sequence} does not follow entry #{sequence - 1}"
            )
        recomputed = compute_hash(
            sequence=sequence,
            recorded_at=_timestamp(recorded_at),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            previous_hash=previous_hash,
        )
        if recomputed != entry_hash:
            return VerifyResult(
                False, checked, sequence, f"entry #{sequence} was changed after it was written"
            )
        expected_previous = entry_hash
        expected_sequence += 1
        checked += 1
    # The head row is written with every append: it tells a truncated or rewritten tail.
    head = AuditChainHead.objects.filter(id=1).first()
    head_sequence = head.last_sequence if head is not None else 0
    head_hash = head.last_hash if head is not None else GENESIS_HASH
    if head_sequence > checked:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            f"entries after #{checked} were removed (the chain head records #{head_sequence})",
        )
    if head_sequence < checked:
        return VerifyResult(
            False,
            checked,
            head_sequence + 1,
            f"entry #{head_sequence + 1} was added outside the audit service "
            f"(the chain head records #{head_sequence})",
        )
    if head_hash != expected_previous:
        return VerifyResult(
            False,
            checked,
            checked,
            f"the chain was rewritten: entry #{checked} does not end in the hash the chain head records",
        )
    return VerifyResult(True, checked)
