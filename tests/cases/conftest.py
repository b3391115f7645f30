"""Fixtures of the penalty-procedure tests: a handling team in 玄武区, the calendar years the
tests reach, and helpers that bring a case to a given state with lawful, past dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import make_officer

TODAY = dt.date.today()
CODE = "WSL2021-097-01a"  # 未按照规定设置安全生产管理机构: unit fine up to 100,000 yuan, 3 elements


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def declare_missing_years() -> None:
    """Declare the years after the holiday library's last year (weekends only), so 90-day and
    15-day deadlines that reach them compute in tests (an administrator does this in production)."""
    from anjian.law import services as law_services
    from anjian.law.core.workcalendar import default_calendar

    calendar = default_calendar()
    for year in range(TODAY.year - 1, TODAY.year + 3):
        if not calendar.knows_year(year):
            law_services.set_calendar_override(
                actor=None,
                day=dt.date(year, 1, 1),
                is_working_day=False,
                note="测试：元旦",
                declares_year=True,
            )


@pytest.fixture(autouse=True)
def known_calendar_years(db: Any) -> None:
    declare_missing_years()


@dataclass
class Team:
    lead: Any  # section head + inspector (cast.xuanwu)
    second: Any  # inspector
    head: Any  # bureau head (juzhang)
    legal: Any  # legal reviewer (fazhi)
    chair: Any  # section head, not on the case: hearing chair
    agency: Any
    enterprise: Any

    def officer(self, user: Any) -> Any:
        return user.officer


@pytest.fixture
def team(cast: Any) -> Team:
    from anjian.core.permissions import Role

    agency = cast.agencies["xuanwu"]
    return Team(
        lead=cast.xuanwu,
        second=make_officer("xw_inspector2", agency, [Role.INSPECTOR]),
        head=make_officer("xw_juzhang", agency, [Role.BUREAU_HEAD]),
        legal=make_officer("xw_fazhi", agency, [Role.LEGAL_REVIEWER]),
        chair=make_officer("xw_chair", agency, [Role.SECTION_HEAD]),
        agency=agency,
        enterprise=cast.enterprises["xuanwu"],
    )


def propose_payload(
    team: Team, *, on: dt.date, code: str = CODE, act_date: dt.date | None = None, **extra: Any
) -> dict[str, Any]:
    payload = {
        "parties": [{"kind": "unit", "role": "unit", "enterprise_id": team.enterprise.pk}],
        "violations": [
            {
                "party": 0,
                "violation_code": code,
                "act_date": act_date or on - dt.timedelta(days=10),
                "facts": "经查，该单位未按照规定设置安全生产管理机构。",
            }
        ],
        "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
        "source_kind": "inspection_finding",
        "discovered_on": on,
        "on": on,
    }
    payload.update(extra)
    return payload


def propose(team: Team, *, on: dt.date, **extra: Any) -> Any:
    from anjian.cases import services

    return services.create_case(
        actor=team.lead, agency=team.agency, payload=propose_payload(team, on=on, **extra)
    )


def act(case: Any, action: str, actor: Any, **payload: Any) -> Any:
    from anjian.cases import services

    return services.perform(case=case, action=action, actor=actor, payload=payload)


def prove_all(team: Team, case: Any, *, on: dt.date) -> Any:
    """One 现场笔录 per violation, linked to every element."""
    from anjian.cases.guards import elements_for

    for violation in case.violations.all():
        proofs = [
            {"violation_id": violation.pk, "element_index": i}
            for i, _ in enumerate(elements_for(violation.violation_code))
        ]
        case = act(
            case,
            "add_evidence",
            team.lead,
            kind="inspection_record",
            title="现场检查笔录",
            collected_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))),
            place="玄武化工有限公司厂区",
            source="现场检查",
            method="site_inspection",
            collector_ids=[team.lead.officer.pk, team.second.officer.pk],
            proofs=proofs,
        )
    return case


def investigated(team: Team, *, filed: dt.date) -> Any:
    """A filed case with every element proved, submitted for review."""
    case = propose(team, on=filed)
    case = act(case, "approve_filing", team.head, on=filed)
    case = prove_all(team, case, on=filed + dt.timedelta(days=1))
    return act(case, "submit_investigation", team.lead, on=filed + dt.timedelta(days=2))


def proposed_penalty(team: Team, *, filed: dt.date, amount: str = "20000", reason: str = "") -> Any:
    case = investigated(team, filed=filed)
    violation = case.violations.get()
    return act(
        case,
        "propose_penalty",
        team.lead,
        on=filed + dt.timedelta(days=3),
        penalties=[
            {"violation_id": violation.pk, "kind": "fine", "amount": amount, "reason": reason}
        ],
    )


def notified(
    team: Team, *, filed: dt.date, notice: dt.date, amount: str = "20000", reason: str = ""
) -> Any:
    case = proposed_penalty(team, filed=filed, amount=amount, reason=reason)
    if case.legal_review_required:
        case = act(case, "request_legal_review", team.lead, on=notice)
        case = act(
            case,
            "pass_legal_review",
            team.legal,
            on=notice,
            opinion="事实清楚，证据确凿，适用依据正确，程序合法。",
        )
    return act(case, "serve_notice", team.lead, on=notice)


def hearing_case(team: Team, *, notice: dt.date, filed: dt.date | None = None) -> Any:
    """Fine of 60,000 yuan on a unit: above the 50,000 line (hearing, legal review, collective
    discussion) and above the ordinary tier (a written reason, flagged)."""
    return notified(
        team,
        filed=filed or notice - dt.timedelta(days=20),
        notice=notice,
        amount="60000",
        reason="拒不配合整改，情节较重",
    )


def decided(team: Team, *, filed: dt.date, notice: dt.date, decided_on: dt.date) -> Any:
    case = notified(team, filed=filed, notice=notice)
    case = act(case, "end_notice_period", team.lead, on=decided_on)
    violation = case.violations.get()
    return act(
        case,
        "decide",
        team.head,
        on=decided_on,
        order_due_dates=[
            {"violation_id": violation.pk, "due_on": decided_on + dt.timedelta(days=30)}
        ],
    )


def executing(
    team: Team,
    *,
    filed: dt.date,
    notice: dt.date,
    decided_on: dt.date,
    delivered: dt.date | None = None,
) -> Any:
    case = decided(team, filed=filed, notice=notice, decided_on=decided_on)
    return act(
        case, "deliver", team.lead, on=delivered or decided_on, method="direct", recipient="张三"
    )


AMOUNT = Decimal("20000.00")


def inspection_proposal(team: Team, *, days_back: int = 22) -> Any:
    """An inspection record with a finding corrected on the spot and a proposal to file a case
    (the inspections app's own services): what the case procedure takes over."""
    from anjian.inspections import services as inspections
    from anjian.inspections.models import CaseProposal

    item_list = inspections.publish_packaged_item_list(actor=None)
    exits = item_list.items.get(code="GEN-24")
    inspection = inspections.start_inspection(
        actor=team.lead,
        enterprise=team.enterprise,
        agency=team.agency,
        kind="planned",
        officers=[team.lead.officer, team.second.officer],
        started_at=timezone.now() - dt.timedelta(days=days_back),
    )
    inspections.save_draft(
        actor=team.lead,
        inspection=inspection,
        data=inspections.RecordInput(
            place="一号车间",
            results=[inspections.ResultInput(item_id=exits.pk, result="finding")],
            findings=[
                inspections.FindingInput(
                    item_id=exits.pk,
                    description="一号车间东侧安全出口被货物堵塞",
                    location="一号车间东门",
                    violation_code="WSL2021-105-02b",
                    measure="on_spot",
                    propose_case=True,
                )
            ],
            representative_name="王经理",
            representative_title="安全总监",
            acknowledgement="refused",
            refusal_note="负责人拒绝签字",
            witness_name="李四",
        ),
    )
    inspections.submit_inspection(actor=team.lead, inspection=inspection)
    return CaseProposal.objects.get(inspection=inspection)
