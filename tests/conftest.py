"""The cast of users every authorization test runs over, and shared fixtures.

Regions are real (Jiangsu reference data, loaded by migration); townships below are synthetic.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("ANJIAN_TESTING", "1")
os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")

PASSWORD = "correct-horse-battery-42"
TODAY = dt.date.today()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases, and on PostgreSQL no stray session left when they are dropped.

    The live server of the browser tests answers each request in a daemon thread; a request still
    in flight when a test ends (a page's last load) is abandoned with its database connection open,
    and the test database then cannot be dropped ("being accessed by other users"). Before the drop,
    other sessions on the test database are ended."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def flush_passes_the_audit_triggers_on_sqlite() -> Iterator[None]:
    """A transactional test (``django_db(transaction=True)``, ``live_server``, the browser tests)
    ends with a flush. SQLite flushes with DELETE, which the audit table's append-only triggers
    refuse (PostgreSQL flushes with TRUNCATE, which row triggers do not see). In the tests only, a
    flush on SQLite drops the triggers around its DELETEs and recreates them exactly as migration
    0002 creates them, in the flush's own transaction."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    triggers = importlib.import_module("anjian.audit.migrations.0002_append_only_triggers")
    sql_flush = operations.sql_flush

    def sql_flush_past_the_audit_triggers(
        self: Any, style: Any, tables: Any, **options: Any
    ) -> list[str]:
        statements = sql_flush(self, style, tables, **options)
        if not any("audit_auditentry" in statement for statement in statements):
            return statements
        return [*triggers.SQLITE_DROP, *statements, *triggers.SQLITE]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush_past_the_audit_triggers)
        yield


@dataclass
class Cast:
    province: Any
    nanjing: Any
    xuanwu: Any  # county 320102, with a section head
    xuanwu_viewer: Any  # same county, an archivist: may view, may not change
    gulou: Any  # county 320106: another county
    township: Any
    uncertified: Any
    agencies: dict[str, Any]
    regions: dict[str, Any]
    enterprises: dict[str, Any]
    industry: Any


def make_industry() -> Any:
    from anjian.registry.models import Industry

    section, _ = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": "section"}
    )
    division, _ = Industry.objects.get_or_create(
        code="26",
        defaults={"name": "化学原料和化学制品制造业", "level": "division", "parent": section},
    )
    return division


def make_officer(username: str, agency: Any, roles: list[str], *, certified: bool = True) -> Any:
    from anjian.registry import services

    officer = services.create_officer(
        actor=None, username=username, name=username, agency=agency, roles=roles, password=PASSWORD
    )
    if certified:
        services.add_certificate(
            actor=None,
            officer=officer,
            number=f"JS-{username}",
            issuer="江苏省人民政府",
            valid_from=TODAY - dt.timedelta(days=365),
            valid_to=TODAY + dt.timedelta(days=365),
        )
    else:
        services.add_certificate(
            actor=None,
            officer=officer,
            number=f"JS-{username}",
            issuer="江苏省人民政府",
            valid_from=TODAY - dt.timedelta(days=800),
            valid_to=TODAY - dt.timedelta(days=35),
        )
    return officer.user


def make_uscc(serial: int, region: str = "320102") -> str:
    """A valid unified social credit code; python-stdnum computes the check digit."""
    from anjian.registry.validation import uscc_with_check_digit

    return uscc_with_check_digit(f"91{region}{serial:09d}")


def make_enterprise(name: str, region: Any, agency: Any, industry: Any, serial: int) -> Any:
    from anjian.registry import services

    return services.register_enterprise(
        actor=None,
        data=services.EnterpriseInput(
            uscc=make_uscc(serial, region.code[:6]),
            name=name,
            legal_representative="张三",
            address=f"{region.name}某路1号",
            region_code=region.code,
            industry_code=industry.code,
            employees=50,
            revenue=1000,
            supervising_agency_id=agency.pk,
        ),
    )


@pytest.fixture
def cast(db: Any) -> Cast:
    from anjian.core.permissions import Role
    from anjian.registry import services
    from anjian.registry.models import Region

    regions = {
        code: Region.objects.get(code=code) for code in ["320000", "320100", "320102", "320106"]
    }
    township = services.create_region(
        actor=None,
        code="320102001",
        name="演示街道",
        level="township",
        parent=regions["320102"],
        is_synthetic=True,
    )
    regions["320102001"] = township
    province = services.create_agency(
        actor=None,
        name="江苏省应急管理厅",
        short_name="苏",
        kind="emergency_bureau",
        region=regions["320000"],
        parent=None,
    )
    nanjing = services.create_agency(
        actor=None,
        name="南京市应急管理局",
        short_name="苏宁",
        kind="emergency_bureau",
        region=regions["320100"],
        parent=province,
    )
    xuanwu = services.create_agency(
        actor=None,
        name="玄武区应急管理局",
        short_name="苏宁玄",
        kind="emergency_bureau",
        region=regions["320102"],
        parent=nanjing,
    )
    gulou = services.create_agency(
        actor=None,
        name="鼓楼区应急管理局",
        short_name="苏宁鼓",
        kind="emergency_bureau",
        region=regions["320106"],
        parent=nanjing,
    )
    street = services.create_agency(
        actor=None,
        name="演示街道办事处",
        short_name="苏宁玄演",
        kind="township_government",
        region=township,
        parent=xuanwu,
    )
    industry = make_industry()
    enterprises = {
        "xuanwu": make_enterprise("玄武化工有限公司", regions["320102"], xuanwu, industry, 1),
        "gulou": make_enterprise("鼓楼化工有限公司", regions["320106"], gulou, industry, 2),
        "street": make_enterprise("演示街道仓储有限公司", township, street, industry, 3),
    }
    return Cast(
        province=make_officer("province_head", province, [Role.SECTION_HEAD, Role.INSPECTOR]),
        nanjing=make_officer("nanjing_head", nanjing, [Role.SECTION_HEAD, Role.INSPECTOR]),
        xuanwu=make_officer("xuanwu_head", xuanwu, [Role.SECTION_HEAD, Role.INSPECTOR]),
        xuanwu_viewer=make_officer("xuanwu_archivist", xuanwu, [Role.ARCHIVIST]),
        gulou=make_officer("gulou_head", gulou, [Role.SECTION_HEAD, Role.INSPECTOR]),
        township=make_officer("street_inspector", street, [Role.INSPECTOR]),
        uncertified=make_officer("xuanwu_expired", xuanwu, [Role.INSPECTOR], certified=False),
        agencies={
            "province": province,
            "nanjing": nanjing,
            "xuanwu": xuanwu,
            "gulou": gulou,
            "street": street,
        },
        regions=regions,
        enterprises=enterprises,
        industry=industry,
    )


def client_for(user: Any) -> Any:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
