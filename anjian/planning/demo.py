"""The planning part of the demo province (``anjian seed_planning``, after ``anjian seed``).

For the current year it builds an annual plan per county with the solver and walks each through
the real pipeline on a replayed timeline (built and submitted mid-December of the year before,
approved, filed, put in force); tasks of past months are marked done with references marked
【演示】 (in real use an inspection record completes a task through the inspections layer); one
published and verified random draw in 玄武区; and one operation of each kind. Everything goes
through planning.services (each write audited); the clock is replayed with ``clock.at``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.planning import clock, selectors, services
from anjian.planning.models import (
    AnnualPlan,
    Draw,
    InspectionTask,
    Operation,
    PlanStatus,
    TaskStatus,
    Team,
)
from anjian.registry.models import Agency, AgencyLevel, Enterprise, EnterpriseTag, Officer, Region

DEMO_DRAW_COUNTY = "320102"  # 玄武区: the demo logins xuanwu, juzhang, gulou live around it
DEMO_DRAW_CITY = "320100"  # monthly draws for the counties of 南京市 (all counties: --all-draws)
CROSS_HOME_COUNTY = "320106"  # 鼓楼区 officers act in 玄武区


@dataclass
class DemoResult:
    year: int
    plans: int = 0
    skipped: int = 0
    tasks: int = 0
    done: int = 0
    shortfall_plans: list[str] = field(default_factory=list)
    worst_gap: float = 0.0
    build_seconds: float = 0.0
    draws: int = 0
    draw: str = ""
    draw_file: str = ""
    verdict: str = ""
    operations: list[str] = field(default_factory=list)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _certified(agency: Agency, on: dt.date) -> list[Officer]:
    return services.certified_officers(agency, on)


def _ensure_teams(agency: Agency, on: dt.date) -> None:
    if Team.objects.filter(agency=agency).exists():
        return
    officers = _certified(agency, on)
    for index in range(0, len(officers) - 1, 2):
        services.create_team(
            actor=None,
            agency=agency,
            name=f"执法{'一二三四五六七八九十'[index // 2 % 10]}中队",
            officers=officers[index : index + 2],
        )


def _demo_done(task: InspectionTask, index: int) -> bool:
    # Deterministic: about nine in ten past tasks done.
    digest = hashlib.sha256(f"{task.pk}:{index}".encode()).digest()
    return digest[0] < 230


def build_county_plans(
    *,
    year: int,
    today: dt.date,
    limit: int | None,
    time_limit: float,
    say: Callable[[str], None],
    result: DemoResult,
) -> list[AnnualPlan]:
    counties = Agency.objects.filter(level=AgencyLevel.COUNTY, is_active=True).select_related(
        "region", "parent"
    )
    counties = counties.order_by("region__code")
    if limit:
        demo_first = list(counties.filter(region__code=DEMO_DRAW_COUNTY)) + list(
            counties.exclude(region__code=DEMO_DRAW_COUNTY)
        )
        agencies = demo_first[:limit]
    else:
        agencies = list(counties)
    plans = []
    december = dt.date(year - 1, 12, 10)
    for number, agency in enumerate(agencies, start=1):
        if AnnualPlan.objects.filter(agency=agency, year=year).exists():
            result.skipped += 1
            continue
        with clock.at(_moment(december)):
            _ensure_teams(agency, december)
            plan = services.create_plan(
                actor=None, agency=agency, year=year, parameters={"time_limit": time_limit}
            )
            plan = services.build_plan(actor=None, plan=plan)
            plan = services.transition_plan(actor=None, plan=plan, action="submit")
        result.build_seconds += float(plan.solution.get("build_seconds", 0))
        result.worst_gap = max(result.worst_gap, float(plan.solution.get("gap", 0)))
        if plan.shortfall_classes:
            result.shortfall_plans.append(agency.name)
        government = f"{agency.region.name}人民政府"
        with clock.at(_moment(december + dt.timedelta(days=8))):
            plan = services.transition_plan(
                actor=None,
                plan=plan,
                action="approve",
                document_number=f"【演示】{agency.short_name}政复〔{year - 1}〕{number}号",
                approved_by=government,
                decided_on=december + dt.timedelta(days=8),
            )
        with clock.at(_moment(december + dt.timedelta(days=12))):
            plan = services.transition_plan(
                actor=None,
                plan=plan,
                action="file",
                document_number=f"【演示】{agency.parent.short_name if agency.parent else ''}应急备〔{year - 1}〕{number}号",
                decided_on=december + dt.timedelta(days=12),
            )
        with clock.at(_moment(december + dt.timedelta(days=18))):
            plan = services.transition_plan(actor=None, plan=plan, action="enact")
        plans.append(plan)
        result.plans += 1
        if number % 10 == 0 or number == len(agencies):
            say(
                f"  年度计划 {number}/{len(agencies)}：{agency.name}（{plan.solution.get('status')}）"
            )
    # Past months: tasks done (demo references), so that completion figures have records behind them.
    this_month = today.replace(day=1)
    for plan in plans:
        tasks = list(
            InspectionTask.objects.filter(plan=plan, month__lt=this_month, status=TaskStatus.OPEN)
        )
        result.tasks += InspectionTask.objects.filter(plan=plan).count()
        for index, task in enumerate(tasks):
            if _demo_done(task, index):
                services.complete_task(
                    actor=None,
                    task=task,
                    completed_on=min(task.due_date or task.month, today),
                    record_reference=f"【演示】检查记录-{task.pk}",
                )
                result.done += 1
    return plans


def _draw_once(plan: AnnualPlan, month: dt.date, commit_day: dt.date) -> Draw:
    draw = services.create_draw(actor=None, agency=plan.agency, title="", month=month, plan=plan)
    value_day = commit_day + dt.timedelta(days=1)
    with clock.at(_moment(commit_day)):
        draw = services.commit_draw(
            actor=None,
            draw=draw,
            seed_description=f"上证综合指数 {value_day.isoformat()} 收盘价（保留两位小数；演示数据，数值虚构）",
            seed_value_date=value_day,
        )
    digest = hashlib.sha256(f"{plan.pk}:{month}".encode()).hexdigest()
    seed_value = f"{3000 + int(digest[:6], 16) % 600}.{int(digest[6:8], 16) % 100:02d}"
    with clock.at(_moment(value_day + dt.timedelta(days=1))):
        draw = services.perform_draw(actor=None, draw=draw, seed_value=seed_value)
        return services.publish_draw(actor=None, draw=draw)


def _monthly_draws(plan: AnnualPlan, today: dt.date, result: DemoResult) -> Draw | None:
    """A draw for every month of the plan's quotas up to now; past months' tasks mostly done."""
    quotas = [sum(c["quotas"][i] for c in plan.solution["classes"]) for i in range(12)]
    months = [
        dt.date(plan.year, m, 1)
        for m in range(1, 13)
        if quotas[m - 1] and dt.date(plan.year, m, 1) <= today
    ]
    draw = None
    for month in months:
        if Draw.objects.filter(plan=plan, month=month).exists():
            continue
        commit_day = min(month - dt.timedelta(days=3), today - dt.timedelta(days=3))
        try:
            draw = _draw_once(plan, month, commit_day)
        except DomainError as error:
            result.operations.append(
                f"{plan.agency.name} {month:%Y-%m} 抽查未进行：{error.message}"
            )
            continue
        result.draws += 1
        result.tasks += InspectionTask.objects.filter(draw=draw).count()
        if month < today.replace(day=1):
            for index, task in enumerate(
                InspectionTask.objects.filter(draw=draw, status=TaskStatus.OPEN).order_by("id")
            ):
                if _demo_done(task, index):
                    services.complete_task(
                        actor=None,
                        task=task,
                        completed_on=min(task.due_date or month, today),
                        record_reference=f"【演示】检查记录-{task.pk}",
                    )
                    result.done += 1
    return draw


def demo_draw(
    *, plans: list[AnnualPlan], today: dt.date, result: DemoResult, all_counties: bool
) -> None:
    """Monthly draws (南京市's counties, or all); 玄武区's latest draw is verified and written out."""
    showcase = None
    for plan in plans:
        if not all_counties and plan.agency.region.city_code != DEMO_DRAW_CITY:
            continue
        draw = _monthly_draws(plan, today, result)
        if plan.agency.region.code == DEMO_DRAW_COUNTY or showcase is None:
            showcase = draw or showcase
    if showcase is None:
        return
    data = services.draw_file(showcase)
    verdict = selectors.verify_draw_file(data)
    path = Path(settings.BASE_DIR) / "var" / "demo-draw.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8"
    )
    result.draw = showcase.number
    result.draw_file = str(path)
    result.verdict = verdict.message


def _officers(agency: Agency, count: int, on: dt.date) -> list[Officer]:
    return _certified(agency, on)[:count]


def _targets(
    region: Region, count: int, used: set[int], tag: str | None = None
) -> list[Enterprise]:
    """Enterprises of the region not yet taken by another demo operation (no double inspection)."""
    queryset = (
        Enterprise.objects.filter(county_code=region.county_code or region.code)
        .exclude(pk__in=used)
        .order_by("-risk_grade", "id")
    )
    if tag:
        tagged = queryset.filter(
            pk__in=EnterpriseTag.objects.filter(tag=tag).values("enterprise_id")
        )
        if tagged.count() >= count:
            queryset = tagged
    chosen = list(queryset[:count])
    used.update(e.pk for e in chosen)
    return chosen


def demo_operations(*, today: dt.date, result: DemoResult) -> None:
    county = Agency.objects.filter(region__code=DEMO_DRAW_COUNTY, level=AgencyLevel.COUNTY).first()
    home = Agency.objects.filter(region__code=CROSS_HOME_COUNTY, level=AgencyLevel.COUNTY).first()
    if county is None or county.parent is None or county.parent.parent is None:
        return
    city, province = county.parent, county.parent.parent
    region = county.region
    end = today + dt.timedelta(days=30)
    used: set[int] = set()
    specs: list[dict[str, Any]] = [
        {
            "kind": "joint",
            "title": "危险化学品领域省市县三级联合执法（演示）",
            "lead_agency": province,
            "participants": [city, county],
            "officers": _officers(province, 2, today)
            + _officers(city, 2, today)
            + _officers(county, 2, today),
            "enterprises": _targets(region, 3, used, "hazchem_storage"),
            "items": ["AQ-06", "AQ-07"],
        },
        {
            "kind": "covert",
            "title": "有限空间作业暗查暗访（演示）",
            "lead_agency": county,
            "officers": _officers(county, 2, today),
            "enterprises": _targets(region, 2, used, "confined_space"),
        },
        {
            "kind": "special",
            "title": "粉尘涉爆专项执法行动（演示）",
            "lead_agency": county,
            "officers": _officers(county, 4, today),
            "enterprises": _targets(region, 4, used, "combustible_dust"),
        },
    ]
    if home is not None:
        specs.append(
            {
                "kind": "cross_region",
                "title": f"{home.region.name}执法人员赴{region.name}交叉执法（演示）",
                "lead_agency": city,
                "acting_agency": home,
                "officers": _officers(home, 2, today),
                "enterprises": _targets(region, 3, used),
            }
        )
    # Rerunning the demo seeding creates no second copy of an operation.
    existing = set(
        Operation.objects.filter(title__in=[spec["title"] for spec in specs]).values_list(
            "title", flat=True
        )
    )
    for spec in specs:
        if spec["title"] in existing:
            result.operations.append(f"{spec['title']}：已存在，未重复创建")
            continue
        if len(spec["officers"]) < 2 or not spec["enterprises"]:
            continue
        try:
            operation = services.create_operation(
                actor=None,
                region=region,
                starts_on=today,
                ends_on=end,
                basis_document="【演示】行动方案",
                **spec,
            )
        except DomainError as error:
            result.operations.append(f"{spec['title']}：未创建（{error.message}）")
            continue
        result.operations.append(f"{operation.number} {operation.title}")


def seed_planning(
    *,
    year: int | None = None,
    limit: int | None = None,
    time_limit: float = 20.0,
    all_draws: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    say = progress or (lambda message: None)
    if not Agency.objects.filter(level=AgencyLevel.COUNTY).exists():
        raise DomainError(
            "not_seeded",
            "没有县级执法机构：请先运行 anjian seed 生成演示省份。",
            "No county agencies: run `anjian seed` first.",
        )
    today = timezone.localdate()
    year = year or today.year
    result = DemoResult(year=year)
    started = time.monotonic()
    say(f"{year} 年度执法计划（每个县级机构一份，求解器编制并报批、备案、下达）……")
    plans = build_county_plans(
        year=year, today=today, limit=limit, time_limit=time_limit, say=say, result=result
    )
    say("双随机抽查（冻结、承诺、抽取、公示、验证）……")
    demo_draw(plans=plans, today=today, result=result, all_counties=all_draws)
    say("执法行动（联合、交叉、暗查暗访、专项）……")
    demo_operations(today=today, result=result)
    say(f"完成，用时 {time.monotonic() - started:.1f} 秒。")
    if not plans and not result.skipped:
        raise DomainError("no_plans", "没有生成任何计划。", "No plan was built.")
    assert all(p.status == PlanStatus.IN_FORCE for p in plans)
    return result
