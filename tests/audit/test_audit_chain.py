"""The audit trail: one entry per write, in the write's own transaction; an append-only hash chain.

- Every public function of the registry's and the accounts' services is classified below: a write
  (with the audit actions it must append, in order) or not a write. A new service without an entry
  here fails ``test_every_service_is_classified``.
- ``anjian audit verify`` passes on an intact chain and names the first bad entry when an entry was
  changed, removed (in the middle or at the end) or reordered. The tampering is done with raw SQL
  after dropping the append-only triggers, exactly as a database administrator could.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, ProgrammingError, connection, transaction

from anjian.accounts import services as account_services
from anjian.audit import services as audit
from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.core.errors import DomainError
from anjian.registry import services as registry_services
from anjian.registry.models import Enterprise, Region
from tests.conftest import PASSWORD, TODAY, Cast, make_uscc

ROOT = Path(__file__).resolve().parents[2]
TRIGGERS = importlib.import_module("anjian.audit.migrations.0002_append_only_triggers")


def _last_sequence() -> int:
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def _actions_after(sequence: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(sequence__gt=sequence)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def _enterprise_input(cast: Cast, **changes: Any) -> registry_services.EnterpriseInput:
    values: dict[str, Any] = {
        "uscc": make_uscc(700),
        "name": "审计测试有限公司",
        "legal_representative": "赵六",
        "address": "玄武区审计路1号",
        "region_code": "320102",
        "industry_code": cast.industry.code,
        "employees": 3,
        "revenue": 12,
        "supervising_agency_id": cast.agencies["xuanwu"].pk,
    }
    values.update(changes)
    return registry_services.EnterpriseInput(**values)


def _token_request() -> Any:
    """The request django-axes needs to authenticate (POST /api/v1/auth/token)."""
    from django.test import RequestFactory

    return RequestFactory().post("/api/v1/auth/token")


def _grant(cast: Cast) -> Any:
    return registry_services.grant_scope(
        actor=cast.nanjing,
        region=cast.regions["320106"],
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=7),
        operation_reference="宁应急联〔2026〕1号",
        reason="跨区联合检查",
        granting_agency=cast.agencies["nanjing"],
        officer=cast.xuanwu.officer,
    )


def _certificate(cast: Cast) -> Any:
    return cast.xuanwu.officer.certificates.get()


# name → (the audit actions the call appends, in order; the call, given the cast)
WRITES: dict[str, tuple[list[str], Callable[[Cast], Any]]] = {
    "registry.create_region": (
        ["registry.create_region"],
        lambda cast: registry_services.create_region(
            actor=cast.xuanwu,
            code="320102002",
            name="审计街道",
            level="township",
            parent=cast.regions["320102"],
            is_synthetic=True,
        ),
    ),
    "registry.create_agency": (
        ["registry.create_agency"],
        lambda cast: registry_services.create_agency(
            actor=cast.nanjing,
            name="玄武区综合行政执法大队",
            short_name="苏宁玄综",
            kind="enforcement_team",
            region=cast.regions["320102"],
            parent=cast.agencies["xuanwu"],
        ),
    ),
    "registry.add_delegation": (
        ["registry.add_delegation"],
        lambda cast: registry_services.add_delegation(
            actor=cast.xuanwu,
            agency=cast.agencies["street"],
            kind="entrustment",
            scope="安全生产法第九十七条至第一百零一条规定的行政处罚",
            instrument_number="玄应急委〔2026〕1号",
            valid_from=TODAY,
            valid_to=None,
            delegating_agency=cast.agencies["xuanwu"],
            violation_codes=["WSL2021-097", "WSL2021-099"],
        ),
    ),
    "registry.change_delegation": (
        ["registry.add_delegation", "registry.change_delegation"],
        lambda cast: registry_services.change_delegation(
            actor=cast.xuanwu,
            delegation=_delegation(cast),
            kind="entrustment",
            scope="安全生产法第九十七条规定的行政处罚",
            instrument_number="玄应急委〔2026〕1号",
            valid_from=TODAY,
            valid_to=None,
            delegating_agency=cast.agencies["xuanwu"],
            violation_codes=["WSL2021-097"],
            reason="委托范围调整",
        ),
    ),
    "registry.end_delegation": (
        ["registry.add_delegation", "registry.end_delegation"],
        lambda cast: registry_services.end_delegation(
            actor=cast.xuanwu, delegation=_delegation(cast), valid_to=TODAY, reason="收回委托"
        ),
    ),
    # An officer is a user (accounts.create_user) and an officer record: two entries, one transaction.
    "registry.create_officer": (
        ["accounts.create_user", "registry.create_officer"],
        lambda cast: registry_services.create_officer(
            actor=cast.xuanwu,
            username="new_inspector",
            name="新执法员",
            agency=cast.agencies["xuanwu"],
            roles=["inspector"],
            password=PASSWORD,
        ),
    ),
    "registry.add_certificate": (
        ["registry.add_certificate"],
        lambda cast: registry_services.add_certificate(
            actor=cast.xuanwu,
            officer=cast.xuanwu_viewer.officer,
            number="JS-AUDIT-1",
            issuer="江苏省人民政府",
            valid_from=TODAY,
            valid_to=TODAY + dt.timedelta(days=365),
        ),
    ),
    "registry.set_certificate_status": (
        ["registry.set_certificate_status"],
        lambda cast: registry_services.set_certificate_status(
            actor=cast.xuanwu, certificate=_certificate(cast), status="suspended", reason="停职"
        ),
    ),
    "registry.create_grid": (
        ["registry.create_grid"],
        lambda cast: registry_services.create_grid(
            actor=cast.xuanwu,
            name="第一网格",
            region=cast.regions["320102001"],
            agency=cast.agencies["street"],
        ),
    ),
    "registry.assign_grid_officer": (
        ["registry.create_grid", "registry.assign_grid_officer"],
        lambda cast: registry_services.assign_grid_officer(
            actor=cast.xuanwu,
            grid=registry_services.create_grid(
                actor=cast.xuanwu,
                name="第二网格",
                region=cast.regions["320102001"],
                agency=cast.agencies["street"],
            ),
            officer=cast.township.officer,
        ),
    ),
    "registry.register_enterprise": (
        ["registry.register_enterprise"],
        lambda cast: registry_services.register_enterprise(
            actor=cast.xuanwu, data=_enterprise_input(cast)
        ),
    ),
    "registry.update_enterprise": (
        ["registry.update_enterprise"],
        lambda cast: registry_services.update_enterprise(
            actor=cast.xuanwu,
            enterprise=cast.enterprises["xuanwu"],
            data=_enterprise_input(cast, uscc=cast.enterprises["xuanwu"].uscc, name="玄武化工更名"),
        ),
    ),
    "registry.assign_supervising_agency": (
        ["registry.assign_supervising_agency"],
        lambda cast: registry_services.assign_supervising_agency(
            actor=cast.xuanwu,
            enterprise=cast.enterprises["street"],
            agency=cast.agencies["xuanwu"],
            reason="街道无处罚权",
        ),
    ),
    "registry.claim_jurisdiction": (
        ["registry.claim_jurisdiction"],
        lambda cast: registry_services.claim_jurisdiction(
            actor=cast.xuanwu, agency=cast.agencies["xuanwu"], enterprise=cast.enterprises["street"]
        ),
    ),
    "registry.withdraw_claim": (
        ["registry.claim_jurisdiction", "registry.withdraw_claim"],
        lambda cast: registry_services.withdraw_claim(
            actor=cast.xuanwu,
            claim=registry_services.claim_jurisdiction(
                actor=cast.xuanwu,
                agency=cast.agencies["xuanwu"],
                enterprise=cast.enterprises["street"],
            ),
            reason="申报有误",
        ),
    ),
    "registry.decide_claim": (
        ["registry.claim_jurisdiction", "registry.uphold_claim"],
        lambda cast: registry_services.decide_claim(
            actor=cast.xuanwu,
            claim=registry_services.claim_jurisdiction(
                actor=cast.xuanwu,
                agency=cast.agencies["xuanwu"],
                enterprise=cast.enterprises["street"],
            ),
            uphold=True,
            reason="街道无处罚权",
        ),
    ),
    "registry.grant_scope": (["registry.grant_scope"], _grant),
    "registry.revoke_scope_grant": (
        ["registry.grant_scope", "registry.revoke_scope_grant"],
        lambda cast: registry_services.revoke_scope_grant(
            actor=cast.nanjing, grant=_grant(cast), reason="行动结束"
        ),
    ),
    "accounts.create_user": (
        ["accounts.create_user"],
        lambda cast: account_services.create_user(
            actor=cast.xuanwu, username="clerk", full_name="文员", password=None
        ),
    ),
    "accounts.set_roles": (
        ["accounts.set_roles"],
        lambda cast: account_services.set_roles(
            actor=cast.xuanwu, user=cast.xuanwu_viewer, roles=["archivist", "inspector"]
        ),
    ),
    "accounts.issue_token": (
        ["accounts.issue_token"],
        lambda cast: account_services.issue_token(
            request=_token_request(), username="xuanwu_head", password=PASSWORD, name="终端"
        ),
    ),
    "accounts.revoke_token": (
        ["accounts.issue_token", "accounts.revoke_token"],
        lambda cast: account_services.revoke_token(
            actor=cast.xuanwu,
            token=account_services.issue_token(
                request=_token_request(), username="xuanwu_head", password=PASSWORD, name="终端"
            )[0],
        ),
    ),
}


def _delegation(cast: Any) -> Any:
    return registry_services.add_delegation(
        actor=cast.xuanwu,
        agency=cast.agencies["street"],
        kind="entrustment",
        scope="安全生产法第九十七条至第九十九条规定的行政处罚",
        instrument_number="玄应急委〔2026〕1号",
        valid_from=TODAY,
        valid_to=None,
        delegating_agency=cast.agencies["xuanwu"],
        violation_codes=["WSL2021-097", "WSL2021-099"],
    )


# Public functions of the services modules that are not audited writes, and why.
NOT_AUDITED = {
    "registry.region_codes": "pure function",
    "registry.check_penalty_power": "a check; raises or returns",
    "registry.require_certified": "a check; raises or returns",
    "registry.validate_enterprise_input": "a check; returns problems",
    # Runs inside create_user's transaction, whose entry records the roles.
    "accounts.set_roles_unaudited": "helper of create_user",
    # Runs inside the transaction of the write that changed roles, officers or grants (audited).
    "accounts.invalidate_access": "helper of those writes; raises access_version",
    # Housekeeping: at most one conditional UPDATE of last_used_at a minute; no business data.
    "accounts.user_for_token": "authentication",
}

SERVICE_MODULES = {"registry": registry_services, "accounts": account_services}


def test_every_service_is_classified():
    public = {
        f"{label}.{name}"
        for label, module in SERVICE_MODULES.items()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    assert sorted(public - set(WRITES) - set(NOT_AUDITED)) == []
    assert sorted((set(WRITES) | set(NOT_AUDITED)) - public) == []


@pytest.mark.django_db
@pytest.mark.parametrize("service", list(WRITES))
def test_service_appends_its_documented_audit_entries(service, cast):
    actions, call = WRITES[service]
    start = _last_sequence()

    call(cast)

    assert _actions_after(start) == actions
    assert audit.verify_chain().ok is True


@pytest.mark.django_db
def test_entry_names_actor_object_and_values(cast):
    start = _last_sequence()

    enterprise = registry_services.register_enterprise(
        actor=cast.xuanwu, data=_enterprise_input(cast)
    )

    entry = AuditEntry.objects.get(sequence=start + 1)
    assert (entry.actor_id, entry.actor_label, entry.object_type, entry.object_id) == (
        cast.xuanwu.pk,
        "xuanwu_head",
        "registry.enterprise",
        str(enterprise.pk),
    )
    assert entry.before is None
    assert (entry.after["uscc"], entry.after["name"], entry.after["revenue"]) == (
        make_uscc(700),
        "审计测试有限公司",
        "12",
    )
    assert entry.previous_hash == AuditEntry.objects.get(sequence=start).entry_hash


@pytest.mark.django_db
def test_repeated_claim_and_revocation_append_nothing(cast):
    enterprise, agency = cast.enterprises["street"], cast.agencies["xuanwu"]
    registry_services.claim_jurisdiction(actor=cast.xuanwu, agency=agency, enterprise=enterprise)
    token, _ = account_services.issue_token(
        request=_token_request(), username="xuanwu_head", password=PASSWORD, name="终端"
    )
    account_services.revoke_token(actor=cast.xuanwu, token=token)
    start = _last_sequence()

    registry_services.claim_jurisdiction(actor=cast.xuanwu, agency=agency, enterprise=enterprise)
    account_services.revoke_token(actor=cast.xuanwu, token=token)

    assert _actions_after(start) == []


# --- a failing write leaves no entry ---------------------------------------------------------


def _register_duplicate(cast: Cast) -> None:
    registry_services.register_enterprise(
        actor=cast.xuanwu,
        data=_enterprise_input(cast, uscc=cast.enterprises["gulou"].uscc),
    )


FAILING_WRITES: dict[str, tuple[str, Callable[[Cast], Any]]] = {
    "duplicate credit code": ("uscc_duplicate", _register_duplicate),
    "wrong check digit": (
        "invalid_enterprise",
        lambda cast: registry_services.register_enterprise(
            actor=cast.xuanwu, data=_enterprise_input(cast, uscc=make_uscc(700)[:-1] + "X")
        ),
    ),
    "supervisor outside the region": (
        "jurisdiction_outside",
        lambda cast: registry_services.register_enterprise(
            actor=cast.xuanwu,
            data=_enterprise_input(cast, supervising_agency_id=cast.agencies["gulou"].pk),
        ),
    ),
    "duplicate agency (database constraint)": (
        "agency_duplicate",
        lambda cast: registry_services.create_agency(
            actor=cast.xuanwu,
            name="玄武区应急管理局",
            short_name="苏宁玄",
            kind="emergency_bureau",
            region=cast.regions["320102"],
            parent=cast.agencies["nanjing"],
        ),
    ),
    "duplicate region": (
        "region_duplicate",
        lambda cast: registry_services.create_region(
            actor=cast.xuanwu,
            code="320102001",
            name="重复街道",
            level="township",
            parent=cast.regions["320102"],
        ),
    ),
    "duplicate username": (
        "duplicate_username",
        lambda cast: registry_services.create_officer(
            actor=cast.xuanwu, username="gulou_head", name="重名", agency=cast.agencies["xuanwu"]
        ),
    ),
    "grid officer without a valid certificate": (
        "officer_not_certified",
        lambda cast: registry_services.create_grid(
            actor=cast.xuanwu,
            name="第三网格",
            region=cast.regions["320102001"],
            agency=cast.agencies["street"],
            responsible_officer=cast.uncertified.officer,
        ),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("failure", list(FAILING_WRITES))
def test_failing_write_leaves_no_entry_and_no_row(failure, cast):
    code, call = FAILING_WRITES[failure]
    start = _last_sequence()
    counts = (Enterprise.objects.count(), Region.objects.count())

    with pytest.raises(DomainError) as raised:
        call(cast)

    assert raised.value.code == code
    assert _actions_after(start) == []
    assert (Enterprise.objects.count(), Region.objects.count()) == counts
    assert AuditChainHead.objects.get().last_sequence == start


@pytest.mark.django_db
def test_write_and_entry_commit_or_roll_back_together(cast, monkeypatch):
    """When recording the entry fails, the write it records is rolled back with it."""
    real_record = audit.record

    def record_then_fail(**kwargs: Any) -> Any:
        real_record(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    start, enterprises = _last_sequence(), Enterprise.objects.count()

    with pytest.raises(RuntimeError, match="disk full"):
        registry_services.register_enterprise(actor=cast.xuanwu, data=_enterprise_input(cast))

    assert Enterprise.objects.count() == enterprises
    assert _actions_after(start) == []
    assert AuditChainHead.objects.get().last_sequence == start


# --- the chain and `anjian audit verify` -------------------------------------------------------


@pytest.fixture
def chain(db: Any) -> list[AuditEntry]:
    """Five entries (sequences 1–5) written by services, on an empty trail."""
    assert AuditEntry.objects.count() == 0
    for number in range(1, 6):
        account_services.create_user(
            actor=None, username=f"chain{number}", full_name=f"链{number}", password=None
        )
    return list(AuditEntry.objects.order_by("sequence"))


def _drop_triggers() -> None:
    statements = {"sqlite": TRIGGERS.SQLITE_DROP, "postgresql": TRIGGERS.POSTGRES_DROP}
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _broken(number: int, problem: str) -> str:
    return f"审计链校验失败：第 {number} 条。{problem} (audit chain broken at entry #{number})"


def test_verify_passes_on_an_intact_chain(chain):
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5]
    assert _verify() == "审计链完整：共 5 条 (audit chain intact: 5 entries)\n"


def test_verify_passes_on_an_empty_trail(db):
    assert _verify() == "审计链完整：共 0 条 (audit chain intact: 0 entries)\n"


def _change_action(sequence: int) -> None:
    _sql("UPDATE audit_auditentry SET action = %s WHERE sequence = %s", ["forged", sequence])


def _change_after(sequence: int) -> None:
    _sql(
        "UPDATE audit_auditentry SET after = %s WHERE sequence = %s",
        ['{"full_name": "改", "roles": [], "username": "chain3"}', sequence],
    )


def _change_time(sequence: int) -> None:
    entry = AuditEntry.objects.get(sequence=sequence)
    moved = connection.ops.adapt_datetimefield_value(entry.recorded_at - dt.timedelta(days=1))
    _sql("UPDATE audit_auditentry SET recorded_at = %s WHERE sequence = %s", [moved, sequence])


def _change_actor(sequence: int) -> None:
    _sql("UPDATE audit_auditentry SET actor_label = %s WHERE sequence = %s", ["other", sequence])


@pytest.mark.parametrize(
    "change",
    [_change_action, _change_after, _change_time, _change_actor],
    ids=["action", "after", "recorded_at", "actor_label"],
)
def test_verify_names_a_changed_entry(chain, change):
    _drop_triggers()
    change(3)

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(3, "entry #3 was changed after it was written")


def test_verify_names_an_entry_removed_in_the_middle(chain):
    _drop_triggers()
    _sql("DELETE FROM audit_auditentry WHERE sequence = 3")

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(3, "entry #3 is missing (next present is #4)")


def test_verify_names_the_removed_last_entry(chain):
    _drop_triggers()
    _sql("DELETE FROM audit_auditentry WHERE sequence = 5")

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(
        5, "entries after #4 were removed (the chain head records #5)"
    )


def test_verify_names_the_first_of_two_reordered_entries(chain):
    _drop_triggers()
    _sql("UPDATE audit_auditentry SET sequence = 1000 WHERE sequence = 2")
    _sql("UPDATE audit_auditentry SET sequence = 2 WHERE sequence = 3")
    _sql("UPDATE audit_auditentry SET sequence = 3 WHERE sequence = 1000")

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(2, "entry #2 does not follow entry #1")


def test_verify_names_a_rewritten_chain_that_no_longer_matches_the_head(chain):
    """Recomputing every hash after a change is caught by the head row (a separate table)."""
    _drop_triggers()
    previous = audit.GENESIS_HASH
    for entry in AuditEntry.objects.order_by("sequence"):
        action = "forged" if entry.sequence == 3 else entry.action
        entry_hash = audit.compute_hash(
            sequence=entry.sequence,
            recorded_at=entry.recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            before=entry.before,
            after=entry.after,
            previous_hash=previous,
        )
        _sql(
            "UPDATE audit_auditentry SET action = %s, previous_hash = %s, entry_hash = %s "
            "WHERE sequence = %s",
            [action, previous, entry_hash, entry.sequence],
        )
        previous = entry_hash

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(
        5, "the chain was rewritten: entry #5 does not end in the hash the chain head records"
    )


def test_verify_names_an_entry_appended_outside_the_audit_service(chain):
    last = chain[-1]
    recorded = last.recorded_at + dt.timedelta(seconds=1)
    forged_hash = audit.compute_hash(
        sequence=6,
        recorded_at=recorded.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id=None,
        actor_label="system",
        action="forged",
        object_type="accounts.user",
        object_id="1",
        before=None,
        after=None,
        previous_hash=last.entry_hash,
    )
    AuditEntry(
        sequence=6,
        recorded_at=recorded,
        actor_label="system",
        action="forged",
        object_type="accounts.user",
        object_id="1",
        previous_hash=last.entry_hash,
        entry_hash=forged_hash,
    ).save(force_insert=True)

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(
        6, "entry #6 was added outside the audit service (the chain head records #5)"
    )


def test_verify_names_entry_1_when_the_chain_head_was_deleted(chain):
    AuditChainHead.objects.all().delete()

    with pytest.raises(CommandError) as raised:
        _verify()

    assert str(raised.value) == _broken(
        1, "entry #1 was added outside the audit service (the chain head records #0)"
    )


# --- append-only ---------------------------------------------------------------------------------


def _trigger_error() -> type[DatabaseError]:
    # SQLite: RAISE(ABORT) is a constraint error. PostgreSQL: RAISE EXCEPTION (SQLSTATE P0001),
    # which psycopg reports as a ProgrammingError.
    return {"sqlite": IntegrityError, "postgresql": ProgrammingError}[connection.vendor]


def test_database_refuses_update_of_an_entry(chain):
    with (
        pytest.raises(_trigger_error(), match="audit entries are append-only"),
        transaction.atomic(),
    ):
        _change_action(2)
    assert AuditEntry.objects.get(sequence=2).action == "accounts.create_user"


def test_database_refuses_delete_of_an_entry(chain):
    with (
        pytest.raises(_trigger_error(), match="audit entries are append-only"),
        transaction.atomic(),
    ):
        _sql("DELETE FROM audit_auditentry WHERE sequence = 2")
    assert AuditEntry.objects.count() == 5


def test_database_refuses_bulk_update_and_delete_through_the_orm(chain):
    with (
        pytest.raises(_trigger_error(), match="audit entries are append-only"),
        transaction.atomic(),
    ):
        AuditEntry.objects.filter(sequence=1).update(action="forged")
    with (
        pytest.raises(_trigger_error(), match="audit entries are append-only"),
        transaction.atomic(),
    ):
        AuditEntry.objects.filter(sequence=1).delete()
    assert _verify() == "审计链完整：共 5 条 (audit chain intact: 5 entries)\n"


def test_model_refuses_save_of_an_existing_entry(chain):
    entry = chain[1]
    entry.action = "forged"

    with pytest.raises(RuntimeError, match="^audit entries are append-only$"):
        entry.save()

    assert AuditEntry.objects.get(sequence=2).action == "accounts.create_user"


def test_model_refuses_delete(chain):
    with pytest.raises(RuntimeError, match="^audit entries are append-only$"):
        chain[1].delete()

    assert AuditEntry.objects.count() == 5


# --- the console command in a subprocess (exit codes) ------------------------------------------


def _write_chain_sqlite(db: sqlite3.Connection, count: int) -> None:
    """A valid chain of ``count`` entries written straight into a migrated SQLite file."""
    previous = audit.GENESIS_HASH
    for sequence in range(1, count + 1):
        recorded = dt.datetime(2026, 3, 2, 9, 0, sequence, tzinfo=dt.UTC)
        after = {"n": sequence}
        entry_hash = audit.compute_hash(
            sequence=sequence,
            recorded_at=recorded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor_id=None,
            actor_label="system",
            action="cli.test",
            object_type="cli.thing",
            object_id=str(sequence),
            before=None,
            after=after,
            previous_hash=previous,
        )
        db.execute(
            "INSERT INTO audit_auditentry (sequence, recorded_at, actor_id, actor_label, action,"
            " object_type, object_id, before, after, previous_hash, entry_hash)"
            " VALUES (?, ?, NULL, 'system', 'cli.test', 'cli.thing', ?, NULL, ?, ?, ?)",
            (
                sequence,
                recorded.strftime("%Y-%m-%d %H:%M:%S.%f"),
                str(sequence),
                f'{{"n": {sequence}}}',
                previous,
                entry_hash,
            ),
        )
        previous = entry_hash
    db.execute(
        "INSERT INTO audit_auditchainhead (id, last_sequence, last_hash) VALUES (1, ?, ?)",
        (count, previous),
    )
    db.commit()


def _cli_verify(database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "PYTEST", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}", ANJIAN_ALLOW_DEV_SECRET="1", ANJIAN_TESTING="1"
    )
    return subprocess.run(
        [str(Path(sys.executable).parent / "anjian"), "audit", "verify"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# The two tables `audit verify` reads, as the migrations create them on SQLite (with the triggers).
CLI_SCHEMA = [
    "CREATE TABLE audit_auditentry (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,"
    " sequence bigint NOT NULL UNIQUE, recorded_at datetime NOT NULL,"
    " actor_label varchar(150) NOT NULL, action varchar(100) NOT NULL,"
    " object_type varchar(100) NOT NULL, object_id varchar(64) NOT NULL, before text NULL,"
    " after text NULL, previous_hash varchar(64) NOT NULL, entry_hash varchar(64) NOT NULL,"
    " actor_id bigint NULL)",
    "CREATE TABLE audit_auditchainhead (id smallint unsigned NOT NULL PRIMARY KEY,"
    " last_sequence bigint NOT NULL, last_hash varchar(64) NOT NULL)",
    *TRIGGERS.SQLITE,
]


def test_cli_exits_0_on_an_intact_chain_and_1_on_a_changed_one(tmp_path):
    """The console command against its own SQLite file (not the test database): exit codes."""
    database = tmp_path / "anjian.sqlite3"
    with sqlite3.connect(database) as db:
        for statement in CLI_SCHEMA:
            db.execute(statement)
        _write_chain_sqlite(db, 3)

    intact = _cli_verify(database)

    assert (intact.returncode, intact.stdout) == (
        0,
        "审计链完整：共 3 条 (audit chain intact: 3 entries)\n",
    ), intact.stderr
    with sqlite3.connect(database) as db:
        for statement in TRIGGERS.SQLITE_DROP:
            db.execute(statement)
        db.execute("UPDATE audit_auditentry SET object_id = '99' WHERE sequence = 2")
        db.commit()

    broken = _cli_verify(database)

    assert broken.returncode == 1
    assert broken.stdout == ""
    assert broken.stderr == (
        "CommandError: " + _broken(2, "entry #2 was changed after it was written") + "\n"
    )


# --- concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_gapless_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks on the chain head across connections)")
    from django.db import connections

    county = Region.objects.get(code="320102")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(20):
                registry_services.create_region(
                    actor=None,
                    code=f"320102{number}{index:02d}",
                    name=f"并发街道{number}-{index}",
                    level="township",
                    parent=county,
                    is_synthetic=True,
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, 161)
    )
    assert Region.objects.filter(name__startswith="并发街道").count() == 160
    assert audit.verify_chain() == audit.VerifyResult(True, 160)
    assert _verify() == "审计链完整：共 160 条 (audit chain intact: 160 entries)\n"


@pytest.mark.django_db
def test_record_and_record_many_append_to_one_chain_through_the_same_code(cast):
    """record is record_many of one entry: the entry it returns is the stored one, and a batch
    appended after it continues the chain from it."""
    with transaction.atomic():
        single = audit.record(
            actor=cast.xuanwu, action="test.single", object_type="test", object_id=0
        )
    with transaction.atomic():
        audit.record_many(
            actor=cast.xuanwu,
            entries=[audit.EntryInput(action="test.many", object_type="test", object_id=1)],
        )

    stored = AuditEntry.objects.get(pk=single.pk)
    following = AuditEntry.objects.get(sequence=single.sequence + 1)
    assert (stored.entry_hash, stored.object_id, stored.actor_label) == (
        single.entry_hash,
        "0",
        "xuanwu_head",
    )
    assert following.previous_hash == single.entry_hash
    assert AuditChainHead.objects.get().last_hash == following.entry_hash
    assert audit.verify_chain().ok is True
