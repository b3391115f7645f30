"""Demo data for field inspections, on top of the demo province of ``anjian seed``.

Everything goes through the services (so every step is audited and checked like a real one):
the item list is published, a scheme is drafted and approved, today's tasks are given to the
county inspectors ``xuanwu`` and ``xuanwu2``, and past inspections leave findings, a rectified
order, a not-rectified order with its case proposal, and an overdue rectification.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core.errors import DomainError
from anjian.inspections import services
from anjian.inspections.models import Inspection, Item, RectificationOrder
from anjian.planning import services as planning_services
from anjian.registry.models import Enterprise, EnterpriseStatus, Officer

INSPECTORS = ("xuanwu", "xuanwu2")


@dataclass
class DemoResult:
    item_list_version: int = 0
    scheme_id: int | None = None
    tasks: int = 0
    records: int = 0
    overdue_orders: int = 0
    case_proposals: int = 0
    skipped: bool = False
    notes: list[str] = field(default_factory=list)


def demo_png(
    width: int = 160, height: int = 120, colour: tuple[int, int, int] = (200, 60, 40)
) -> bytes:
    """A plain PNG (a stand-in for a camera photo or a signature), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(colour) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _officer(username: str) -> Officer:
    officer = (
        Officer.objects.select_related("agency__region", "user")
        .filter(user__username=username)
        .first()
    )
    if officer is None:
        raise DomainError(
            "demo_missing_officer",
            f"没有找到演示执法人员“{username}”，请先运行 anjian seed。",
            f"Demo officer {username!r} not found: run `anjian seed` first.",
        )
    return officer


def _items(item_list: Any) -> dict[str, Item]:
    return {i.code: i for i in item_list.items.all()}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_inspections(*, today: dt.date | None = None, force: bool = False) -> DemoResult:
    today = today or timezone.localdate()
    result = DemoResult()
    first, second = (_officer(name) for name in INSPECTORS)
    actor: User = first.user
    head = User.objects.filter(username="juzhang").first() or actor
    agency = first.agency
    if Inspection.objects.filter(agency=agency).exists() and not force:
        result.skipped = True
        result.notes.append("已有现场检查数据，未重复生成（可用 --force）。")
        return result
    admin = User.objects.filter(is_superuser=True).first()
    item_list = services.publish_packaged_item_list(actor=admin or actor)
    result.item_list_version = item_list.version
    items = _items(item_list)
    team = [first, second]
    enterprises = list(
        Enterprise.objects.visible_to(actor)
        .filter(status=EnterpriseStatus.OPERATING, county_code=agency.region.code)
        .select_related("region", "industry")
        .order_by("id")[:12]
    )
    if len(enterprises) < 8:
        raise DomainError(
            "demo_too_few_enterprises",
            f"{agency.name}辖区的在营单位不足8家，无法生成现场检查演示数据。",
            "Too few enterprises in the demo county.",
        )

    scheme = services.create_scheme(
        actor=actor,
        agency=agency,
        data=services.SchemeInput(
            title=f"{today.year}年危险化学品和有限空间作业专项检查方案",
            kind="special",
            period_start=today.replace(day=1),
            period_end=today + dt.timedelta(days=45),
            scope_note="辖区内涉及危险化学品、有限空间作业的生产经营单位；安全生产和职业卫生同步检查。",
            enterprises=enterprises[:6],
            selection={"tag": "confined_space"},
            items=[
                items[c]
                for c in (
                    "GEN-08",
                    "GEN-11",
                    "GEN-20",
                    "GEN-24",
                    "HC-02",
                    "CS-01",
                    "CS-03",
                    "OH-03",
                )
            ],
            officers=team,
        ),
    )
    services.submit_scheme(actor=actor, scheme=scheme)
    services.decide_scheme(actor=head, scheme=scheme, approve=True, note="同意实施。")
    result.scheme_id = scheme.pk

    month = today.replace(day=1)
    for enterprise, kind, title in [
        (enterprises[0], "planned", "年度计划检查（第四季度）"),
        (enterprises[1], "random_draw", "双随机抽查"),
        (enterprises[2], "complaint", "举报核查：安全出口被占用"),
    ]:
        planning_services.create_task(
            actor=head,
            agency=agency,
            enterprise=enterprise,
            month=month,
            kind=kind,
            officers=team,
            title=title,
            due_date=today,
        )
        result.tasks += 1

    def record(
        enterprise: Enterprise,
        day: dt.date,
        kind: str,
        findings: list[tuple[str, str, str, str, int]],
        signed: bool,
        major: bool = False,
    ) -> Inspection:
        draft = services.start_inspection(
            actor=actor,
            enterprise=enterprise,
            agency=agency,
            kind=kind,
            started_at=_at(day, 9),
            officers=team,
        )
        finding_codes = {code for code, *_ in findings}
        results = [
            services.ResultInput(
                item_id=items[code].pk, result="finding" if code in finding_codes else "compliant"
            )
            for code in (
                "GEN-02",
                "GEN-08",
                "GEN-13",
                "GEN-15",
                "GEN-24",
                "GEN-27",
                "GEN-33",
                "OH-03",
                "OH-09",
            )
        ]
        services.save_draft(
            actor=actor,
            inspection=draft,
            data=services.RecordInput(
                started_at=_at(day, 9),
                ended_at=_at(day, 11),
                place=enterprise.address,
                officers=team,
                results=results,
                findings=[
                    services.FindingInput(
                        item_id=items[code].pk,
                        description=description,
                        location=location,
                        violation_code=violation,
                        hazard_level="major" if major and index == 0 else "ordinary",
                        deadline=day + dt.timedelta(days=days) if days else None,
                        measure="rectification" if days else "on_spot",
                    )
                    for index, (code, description, location, violation, days) in enumerate(findings)
                ],
                summary=(
                    f"对{enterprise.name}的安全生产管理、现场作业和职业卫生进行了检查，"
                    + (f"发现问题{len(findings)}项，详见下列问题。" if findings else "未发现问题。")
                ),
                representative_name="周建华",
                representative_title="安全生产管理负责人",
                acknowledgement="signed" if signed else "refused",
                refusal_note="" if signed else "负责人以需请示总经理为由拒绝签字",
                witness_name="" if signed else "陈明（社区网格员）",
            ),
        )
        saved = Inspection.objects.get(pk=draft.pk)
        for finding in saved.findings.all()[:1]:
            services.add_attachment(
                actor=actor,
                inspection=saved,
                upload=ContentFile(demo_png(), name="现场照片.png"),
                finding=finding,
            )
        if signed:
            services.add_attachment(
                actor=actor,
                inspection=saved,
                upload=ContentFile(demo_png(240, 80, (30, 30, 30)), name="签字.png"),
                kind="signature",
            )
        submitted = services.submit_inspection(actor=actor, inspection=saved)
        result.records += 1
        return submitted

    blocked = ("GEN-24", "二号仓库安全出口被成品堆垛堵塞", "二号仓库北门", "WSL2021-105-02b", 7)
    no_drill = ("GEN-33", "未制定生产安全事故应急救援预案", "", "WSL2021-097-06a", 15)
    signs = ("GEN-13", "配电房门口未设置安全警示标志", "配电房", "WSL2021-099-01", 0)
    ppe = ("OH-03", "打磨岗位作业人员未佩戴防尘口罩", "打磨车间", "", 10)
    maintenance = ("GEN-15", "消防泵未按期维护保养，无检测记录", "泵房", "WSL2021-099-03", 5)

    # 1. Rectified on re-inspection.
    rectified = record(
        enterprises[3], today - dt.timedelta(days=24), "planned", [blocked, signs], True
    )
    # 2. Not rectified on re-inspection: a case proposal.
    unrectified = record(
        enterprises[4], today - dt.timedelta(days=21), "random_draw", [no_drill], False
    )
    # 3. Overdue: deadline passed, no re-inspection yet.
    record(enterprises[5], today - dt.timedelta(days=12), "complaint", [maintenance, ppe], True)
    # 4. Open, not yet due.
    # A major hazard: the exit stays blocked, so the warehouse is closed until it is cleared
    #    (现场处理措施决定书, 安全生产法第六十五条第一款第（三）项).
    covert = record(
        enterprises[6], today - dt.timedelta(days=3), "covert", [blocked], True, major=True
    )
    services.decide_onsite_measure(
        actor=actor,
        inspection=covert,
        finding=covert.findings.get(),
        kind="stop_using",
        target="二号仓库",
        decided_on=today - dt.timedelta(days=3),
    )
    # 5. Compliant.
    record(enterprises[7], today - dt.timedelta(days=2), "planned", [], True)

    for inspection, outcome in ((rectified, "rectified"), (unrectified, "not_rectified")):
        order = RectificationOrder.objects.get(inspection=inspection)
        services.reinspect(
            actor=actor,
            order=order,
            performed_on=min(today, order.deadline + dt.timedelta(days=1)),
            officers=team,
            outcomes=[
                services.OutcomeInput(
                    finding_id=f.pk,
                    outcome=outcome,
                    note="已整改到位" if outcome == "rectified" else "仍未整改",
                )
                for f in order.findings.all()
            ],
        )
    result.overdue_orders = sum(
        1
        for o in RectificationOrder.objects.filter(inspection__agency=agency, status="open")
        if o.deadline < today
    )
    result.case_proposals = unrectified.case_proposals.count()
    return result
