"""The demo province (`anjian seed`): deterministic, valid codes, a clean jurisdiction, working logins.

One small province (two counties of Nanjing, 300 enterprises) is seeded twice from an empty registry for the
whole module: the first run is rolled back, the second kept until the module ends (then rolled
back too), so the two runs start from the same empty database.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum.cn import uscc

from anjian.accounts.models import User
from anjian.audit.models import AuditEntry
from anjian.audit.services import verify_chain
from anjian.registry import seeding, selectors
from anjian.registry.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    Grid,
    JurisdictionClaim,
    Officer,
    Region,
)

pytestmark = pytest.mark.django_db

SIZE = 300
COUNTIES = "320102,320106"  # 玄武区 and 鼓楼区: every demo login lives there


def run_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed", *args, enterprises=SIZE, counties=COUNTIES, stdout=out)
    return out.getvalue()


def content() -> list[tuple[Any, ...]]:
    """Every enterprise and tag by value (no database ids), sorted."""
    enterprises = Enterprise.objects.values_list(
        "uscc",
        "name",
        "legal_representative",
        "address",
        "region__code",
        "industry__code",
        "employees",
        "revenue",
        "status",
        "risk_grade",
        "supervising_agency__name",
        "grid__name",
    )
    tags = EnterpriseTag.objects.values_list(
        "enterprise__uscc", "tag", "grade", "valid_from", "valid_to", "reason"
    )
    return sorted(enterprises) + sorted(tags)


@dataclass
class Seeded:
    first: list[tuple[Any, ...]]
    second: list[tuple[Any, ...]]
    output: str


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        savepoint = transaction.savepoint()
        run_seed()
        first = content()
        transaction.savepoint_rollback(savepoint)
        assert not Agency.objects.exists()
        output = run_seed("--if-empty")
        yield Seeded(first=first, second=content(), output=output)
        transaction.set_rollback(True)


def test_two_runs_from_an_empty_registry_give_the_same_province(seeded):
    assert len(seeded.first) >= SIZE
    assert seeded.first == seeded.second


def test_every_credit_code_passes_stdnum_and_carries_its_county_code(seeded):
    rows = list(Enterprise.objects.values_list("uscc", "county_code"))
    assert len(rows) == SIZE
    assert all(uscc.is_valid(code) for code, _ in rows)
    assert all(code[2:8] == county for code, county in rows)
    assert len({code for code, _ in rows}) == SIZE


def test_jurisdiction_report_is_clean(seeded):
    admin = User.objects.get(username="admin")
    report = selectors.jurisdiction_report(admin)
    assert report.is_clean
    active = Enterprise.objects.filter(status__in=selectors.ACTIVE_STATUSES)
    assert not active.filter(supervising_agency__isnull=True).exists()
    assert JurisdictionClaim.objects.count() == 0


def test_township_agencies_supervise_only_with_a_delegation_in_force(seeded):
    today = timezone.localdate()
    supervising = Agency.objects.filter(
        level__in=["township", "zone"], supervised_enterprises__isnull=False
    ).distinct()
    assert supervising.exists()
    assert all(agency.delegation_in_force(today) is not None for agency in supervising)


def test_some_certificates_are_expired_and_some_suspended(seeded):
    today = timezone.localdate()
    assert Certificate.objects.filter(valid_to__lt=today).exists()
    assert Certificate.objects.filter(status=CertificateStatus.SUSPENDED).exists()
    expired = Officer.objects.get(user__username="expired")
    assert expired.valid_certificate(today) is None
    for username in ["xuanwu", "xuanwu2", "jiedao", "sheng"]:
        assert Officer.objects.get(user__username=username).valid_certificate(today) is not None


def test_every_grid_has_a_certified_responsible_officer(seeded):
    today = timezone.localdate()
    grids = Grid.objects.select_related("responsible_officer")
    assert grids.exists()
    assert all(g.responsible_officer.valid_certificate(today) is not None for g in grids)


def test_townships_are_synthetic_with_nine_digit_codes(seeded):
    townships = Region.objects.filter(level__in=["township", "zone"])
    assert townships.count() >= 2 * 3
    assert all(len(r.code) == 9 and r.is_synthetic for r in townships)
    assert not Region.objects.filter(level="county", is_synthetic=True).exists()


def test_enterprises_are_written_with_one_summary_audit_entry(seeded):
    entries = AuditEntry.objects.filter(action="registry.seed")
    assert entries.count() == 1
    assert entries.get().after["enterprises"] == SIZE
    assert not AuditEntry.objects.filter(action="registry.register_enterprise").exists()
    assert AuditEntry.objects.filter(action="registry.create_officer").count() == (
        Officer.objects.count()
    )
    assert verify_chain().ok


def test_if_empty_does_nothing_once_agencies_exist(seeded):
    counts = (Agency.objects.count(), Enterprise.objects.count(), AuditEntry.objects.count())
    output = run_seed("--if-empty")
    assert "跳过" in output
    assert (
        Agency.objects.count(),
        Enterprise.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_seeding_a_seeded_registry_is_refused(seeded):
    with pytest.raises(CommandError, match="--if-empty"):
        run_seed()


def test_demo_users_can_log_in(seeded):
    password = os.environ.get("ANJIAN_DEMO_PASSWORD") or seeding.DEFAULT_DEMO_PASSWORD
    for username in seeding.demo_usernames():
        assert Client().login(request=HttpRequest(), username=username, password=password), username
        assert username in seeded.output


def test_demo_county_inspector_sees_only_their_county(seeded):
    xuanwu = User.objects.get(username="xuanwu")
    visible = Enterprise.objects.visible_to(xuanwu)
    assert visible.exists()
    assert set(visible.values_list("county_code", flat=True)) == {"320102"}
    assert Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).count() > SIZE // 2


def test_credit_code_prefix_finds_the_enterprise_province_wide(seeded):
    client = Client()
    client.force_login(User.objects.get(username="sheng"))
    target = Enterprise.objects.order_by("id")[SIZE // 2]
    for keyword in [target.uscc, target.uscc[:12].lower(), target.uscc[:8]]:
        body = client.get("/api/v1/registry/enterprises", {"q": keyword}).json()
        codes = [row["uscc"] for row in body["items"]]
        assert all(code.startswith(keyword.upper()) for code in codes), keyword
        if len(keyword) > 8:
            assert target.uscc in codes, keyword


def test_enterprise_list_needs_the_same_queries_for_1_or_50_rows(seeded):
    client = Client()
    client.force_login(User.objects.get(username="sheng"))
    client.get("/api/v1/registry/enterprises", {"page_size": 1})
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/registry/enterprises", {"page_size": 1})
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/api/v1/registry/enterprises", {"page_size": 50})
    assert len(response.json()["items"]) == 50
    assert len(fifty) == len(one)
