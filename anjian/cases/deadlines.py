"""The next legal deadline of a case, computed after every event and stored on the case.

Stored so that the list of 50,000 open cases with their deadlines is one indexed query. Computed
with the time-limit table (anjian.law.core.timelimits) and the working calendar with the
administrators' overrides (``current_calendar()``). Where a rule cannot be computed (the holiday
arrangement of a year is unknown, or no version is in force) the flag is stored and shown; no date
is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from anjian.cases import procedure
from anjian.cases.models import Case, CaseStatus
from anjian.evidence import selectors as evidence_selectors
from anjian.law.core.timelimits import compute_due
from anjian.law.core.workcalendar import UnknownCalendarYear

S = CaseStatus

FLAG_LABELS_ZH = {
    "unknown_calendar_year": "该年度节假日安排未知，期限无法计算",
    "no_version_in_force": "该日期无有效规定，期限无法计算",
    "trigger_time_required": "须填写具体时间",
}


@dataclass(frozen=True)
class Candidate:
    due: dt.date | None
    rule: str
    label: str
    basis: str
    flag: str = ""


@dataclass(frozen=True)
class NextDeadline:
    due: dt.date | None
    rule: str
    label: str
    basis: str
    flag: str
    flag_label: str = ""

    def as_fields(self) -> dict[str, Any]:
        return {
            "next_deadline_on": self.due,
            "next_deadline_rule": self.rule[:64],
            "next_deadline_label": self.label[:100],
            "next_deadline_basis": self.basis[:200],
            "next_deadline_flag": self.flag[:64],
            "next_deadline_flag_label": self.flag_label[:100],
        }


NONE = NextDeadline(None, "", "", "", "", "")

#: Among deadlines on the same day, the one listed first (money before orders).
PRIORITY = {"fine_payment": 0, "enforcement_reminder_wait": 1, "correction_order": 5}


def _rule(rule_id: str, trigger: dt.date, label: str, calendar: Any) -> Candidate:
    due = compute_due(rule_id, trigger, calendar=calendar)
    if due.due is None:
        return Candidate(
            None, rule_id, label, due.basis or "", due.flags[0] if due.flags else "unknown"
        )
    value = due.due.date() if isinstance(due.due, dt.datetime) else due.due
    return Candidate(value, rule_id, label, due.basis or "")


def candidates(case: Case, calendar: Any) -> list[Candidate]:
    """Every pending legal deadline of the case in its current state."""
    from anjian.cases.guards import effective_payment_due

    out: list[Candidate] = []
    status = case.status
    before_decision = status in {
        S.INVESTIGATING,
        S.UNDER_REVIEW,
        S.LEGAL_REVIEW,
        S.COLLECTIVE_DISCUSSION,
        S.NOTIFIED,
        S.HEARING_REQUESTED,
        S.HEARING_SCHEDULED,
    }
    if before_decision and case.filed_on is not None:
        if case.decision_extended_until:
            out.append(
                Candidate(
                    case.decision_extended_until,
                    "decision_after_filing",
                    "作出处罚决定（已延长）",
                    case.extension_reason[:200],
                )
            )
        elif case.decision_due_on:
            out.append(
                Candidate(
                    case.decision_due_on,
                    "decision_after_filing",
                    "作出处罚决定（立案之日起九十日）",
                    "《中华人民共和国行政处罚法》第六十条",
                )
            )
        else:
            out.append(
                _rule(
                    "decision_after_filing",
                    case.filed_on,
                    "作出处罚决定（立案之日起九十日）",
                    calendar,
                )
            )
    if status in {
        S.INVESTIGATING,
        S.UNDER_REVIEW,
        S.LEGAL_REVIEW,
        S.COLLECTIVE_DISCUSSION,
        S.NOTIFIED,
        S.HEARING_REQUESTED,
        S.HEARING_SCHEDULED,
        S.DECIDED,
        S.EXECUTING,
    }:
        ids = list(case.evidence_links.values_list("evidence_id", flat=True))
        if ids:
            for p in evidence_selectors.open_preservations_for_evidence(ids):
                out.append(
                    Candidate(
                        p.due_on,
                        "evidence_preservation_decision",
                        "先行登记保存处理决定（七个工作日）",
                        "《中华人民共和国行政处罚法》第五十六条",
                        "" if p.due_on else (p.due_flags[0] if p.due_flags else "unknown"),
                    )
                )
    if status == S.NOTIFIED and case.rights_waived_on is None:
        period = procedure.statement_period()
        if case.statement_due_on:
            out.append(
                Candidate(
                    case.statement_due_on,
                    "statement_period",
                    "陈述申辩期限届满",
                    period["basis_zh"][:200],
                )
            )
        if case.hearing_right and case.notice_served_on:
            if case.hearing_request_due_on:
                out.append(
                    Candidate(
                        case.hearing_request_due_on,
                        "hearing_request",
                        "听证申请期限届满（五个工作日）",
                        "《中华人民共和国行政处罚法》第六十四条第（一）项",
                    )
                )
            else:
                out.append(
                    _rule("hearing_request", case.notice_served_on, "听证申请期限届满", calendar)
                )
    if status == S.HEARING_SCHEDULED and case.hearing_date:
        out.append(
            Candidate(
                case.hearing_date,
                "hearing_scheduled",
                "举行听证",
                "《中华人民共和国行政处罚法》第六十四条",
            )
        )
    if status == S.DECIDED and case.decided_on:
        out.append(
            _rule(
                "decision_delivery",
                case.decided_on,
                "送达决定书（当事人不在场，七个工作日）",
                calendar,
            )
        )
    if status == S.EXECUTING:
        outstanding = case.fine_total - case.paid_total
        if outstanding > 0 and case.court_applied_on is None:
            due = effective_payment_due(case)
            if case.reminder_served_on:
                out.append(
                    _rule(
                        "enforcement_reminder_wait",
                        case.reminder_served_on,
                        "催告期满（可申请强制执行）",
                        calendar,
                    )
                )
            elif due is not None:
                label = (
                    "缴纳罚款（暂缓、分期）"
                    if case.deferral_until or case.instalments
                    else "缴纳罚款（十五日）"
                )
                out.append(
                    Candidate(
                        due,
                        "fine_payment",
                        label,
                        "《中华人民共和国行政处罚法》第六十六条、第六十七条",
                    )
                )
            elif case.delivered_on:
                out.append(_rule("fine_payment", case.delivered_on, "缴纳罚款（十五日）", calendar))
        for order in case.orders.all():
            if not order.outcome and order.due_on:
                out.append(
                    Candidate(
                        order.due_on,
                        "correction_order",
                        f"责令改正期限：{order.text}"[:100],
                        "《中华人民共和国行政处罚法》第二十八条",
                    )
                )
    return out


def next_deadline(case: Case, calendar: Any) -> NextDeadline:
    """The earliest pending deadline; a flagged rule is kept in ``flag`` (and wins when no rule
    has a date)."""
    try:
        items = candidates(case, calendar)
    except UnknownCalendarYear:
        return NextDeadline(None, "", "期限无法计算", "", "unknown_calendar_year", "期限无法计算")
    dated = sorted(
        (c for c in items if c.due is not None),
        key=lambda c: (c.due, PRIORITY.get(c.rule, 3), c.rule),
    )
    flagged = [c for c in items if c.due is None]
    flag, flag_label = (flagged[0].flag or "unknown", flagged[0].label) if flagged else ("", "")
    if dated:
        first = dated[0]
        return NextDeadline(first.due, first.rule, first.label, first.basis, flag, flag_label)
    if flagged:
        first = flagged[0]
        return NextDeadline(None, first.rule, first.label, first.basis, flag, flag_label)
    return NONE
