"""Planning fixtures on top of the shared cast: 玄武区 gets 30 more enterprises (31 with the cast's), four more inspectors, two teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Cast, make_officer, make_uscc

YEAR = dt.date.today().year + 1
# Risk grades and tags of 玄武区's 30 enterprises: 3 major, 5 high, 10 moderate (2 tagged), 12 low.
GRADES = ["major"] * 3 + ["high"] * 5 + ["moderate"] * 10 + ["low"] * 12
TAGGED = {8: ["confined_space"], 9: ["labour_intensive"]}


@dataclass
class World:
    cast: Cast
    enterprises: list[Any]
    inspectors: list[Any]  # registry.Officer, certified, 玄武区
    teams: list[Any]
    year: int


def add_enterprise(
    cast: Cast, name: str, serial: int, risk_grade: str, tags=(), region=None, agency=None
):
    from anjian.registry import services

    region = region or cast.regions["320102"]
    agency = agency or cast.agencies["xuanwu"]
    return services.register_enterprise(
        actor=None,
        data=services.EnterpriseInput(
            uscc=make_uscc(serial, region.code[:6]),
            name=name,
            legal_representative="王五",
            address=f"{region.name}某路{serial}号",
            region_code=region.code,
            industry_code=cast.industry.code,
            employees=20,
            revenue=100,
            risk_grade=risk_grade,
            supervising_agency_id=agency.pk,
            tags=[{"tag": t} for t in tags],
        ),
    )


@pytest.fixture
def world(cast: Cast) -> World:
    from anjian.core.permissions import Role
    from anjian.planning import services
    from anjian.registry.models import Officer

    enterprises = [
        add_enterprise(cast, f"玄武测试{i:02d}有限公司", 100 + i, grade, TAGGED.get(i, ()))
        for i, grade in enumerate(GRADES)
    ]
    users = [
        make_officer(f"xuanwu_inspector{i}", cast.agencies["xuanwu"], [Role.INSPECTOR])
        for i in range(4)
    ]
    inspectors = [Officer.objects.get(user=u) for u in users]
    teams = [
        services.create_team(
            actor=None, agency=cast.agencies["xuanwu"], name="一中队", officers=inspectors[:2]
        ),
        services.create_team(
            actor=None, agency=cast.agencies["xuanwu"], name="二中队", officers=inspectors[2:]
        ),
    ]
    return World(cast=cast, enterprises=enterprises, inspectors=inspectors, teams=teams, year=YEAR)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))
