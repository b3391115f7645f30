"""One translation of a case into plain data for the API and the pages (JSON-safe values)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from anjian.cases import selectors
from anjian.cases.deadlines import FLAG_LABELS_ZH
from anjian.cases.guards import effective_payment_due
from anjian.cases.models import Case, CaseStatus
from anjian.cases.selectors import LIST_FIELDS
from anjian.cases.services import action_states
from anjian.cases.transitions import STATE_GUIDE, TRANSITIONS


def _deadline(
    due: dt.date | None,
    label: str,
    rule: str,
    basis: str,
    flag: str,
    flag_label: str,
    today: dt.date,
) -> dict[str, Any]:
    days = (due - today).days if due else None
    return {
        "due_on": due.isoformat() if due else None,
        "days_left": days,
        "overdue": days is not None and days < 0,
        "overdue_days": -days if days is not None and days < 0 else 0,
        "label": label,
        "rule": rule,
        "basis": basis,
        "flag": flag or None,
        "flag_label": f"{flag_label}：{FLAG_LABELS_ZH.get(flag, flag)}" if flag else None,
    }


def deadline_dict(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    return _deadline(
        case.next_deadline_on,
        case.next_deadline_label,
        case.next_deadline_rule,
        case.next_deadline_basis,
        case.next_deadline_flag,
        case.next_deadline_flag_label,
        today or timezone.localdate(),
    )


_STATUS_LABELS = dict(CaseStatus.choices)


def row_values(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A list row from ``selectors.cases(...).values(*LIST_FIELDS)`` (no model instances: the
    list at 50,000 cases is one indexed query and a little arithmetic)."""
    filed = row["filed_on"]
    return {
        "id": row["id"],
        "reference": row["reference"],
        "title": row["title"],
        "party_name": row["party_name"],
        "status": row["status"],
        "status_label": _STATUS_LABELS.get(row["status"], row["status"]),
        "version": row["version"],
        "procedure": row["procedure"],
        "is_accident_case": row["is_accident_case"],
        "agency_id": row["agency_id"],
        "filed_on": filed.isoformat() if filed else None,
        "next_deadline": _deadline(
            row["next_deadline_on"],
            row["next_deadline_label"],
            row["next_deadline_rule"],
            row["next_deadline_basis"],
            row["next_deadline_flag"],
            row["next_deadline_flag_label"],
            today,
        ),
    }


def row_dict(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    return row_values(
        {field: getattr(case, field) for field in LIST_FIELDS}, today or timezone.localdate()
    )


def _money(value: Any) -> str | None:
    return f"{value:.2f}" if value is not None else None


def detail_dict(case: Case, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    states = action_states(case, user)
    violations = selectors.violation_rows(case)
    return {
        **row_dict(case, today),
        "agency": case.agency.name,
        "source": {
            "kind": case.source_kind,
            "label": case.get_source_kind_display(),
            "reference": case.source_reference,
            "proposal_id": case.source_proposal_id,
        },
        "accident_grade": case.accident_grade or None,
        "dates": {
            key: (getattr(case, key).isoformat() if getattr(case, key) else None)
            for key in (
                "discovered_on",
                "proposed_on",
                "filed_on",
                "decision_due_on",
                "decision_extended_until",
                "notice_served_on",
                "statement_due_on",
                "hearing_request_due_on",
                "hearing_requested_on",
                "hearing_date",
                "hearing_held_on",
                "legal_reviewed_on",
                "collective_discussed_on",
                "decided_on",
                "delivered_on",
                "payment_due_on",
                "deferral_until",
                "reminder_served_on",
                "court_applied_on",
                "closed_on",
                "archived_on",
            )
        },
        "parties": [
            {
                "id": p.pk,
                "kind": p.kind,
                "role": p.role,
                "name": p.name,
                "enterprise_id": p.enterprise_id,
                "id_number": p.id_number,
                "gender": p.gender,
                "employer": p.employer,
                "job_title": p.job_title,
                "phone": p.phone,
                "address": p.address,
            }
            for p in case.parties.all()
        ],
        "officers": [
            {"id": co.officer_id, "name": co.officer.name, "is_lead": co.is_lead}
            for co in case.case_officers.select_related("officer")
        ],
        "violations": [
            {
                "id": row.violation.pk,
                "code": row.violation.violation_code,
                "title": row.violation.title,
                "party_id": row.violation.party_id,
                "stage": row.violation.stage,
                "act_date": row.violation.act_date.isoformat(),
                "facts": row.violation.facts,
                "circumstances": row.violation.circumstances,
                "proven": row.proven,
                "elements": [
                    {
                        "index": e.index,
                        "text": e.text,
                        "proven": e.proven,
                        "evidence_ids": [x.pk for x in e.evidence],
                    }
                    for e in row.elements
                ],
            }
            for row in violations
        ],
        "evidence_ids": list(case.evidence_links.values_list("evidence_id", flat=True)),
        "proposal_version": case.proposal_version,
        "penalties": [
            {
                "id": p.pk,
                "violation_id": p.violation_id,
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "amount": _money(p.amount),
                "is_decided": p.is_decided,
                "legal_range": [_money(p.legal_min), _money(p.legal_max)],
                "tier": p.tier,
                "tier_range": [_money(p.tier_min), _money(p.tier_max)],
                "recommended": _money(p.recommended),
                "outside_tier": p.outside_tier,
                "reason": p.reason,
                "basis": p.basis,
            }
            for p in case.penalties.order_by("proposal_version", "id")
        ],
        "procedure_checks": {
            "hearing_right": case.hearing_right,
            "legal_review_required": case.legal_review_required,
            "collective_discussion_required": case.collective_discussion_required,
            "triggers": case.procedure_triggers,
            "legal_review_result": case.legal_review_result or None,
        },
        "money": money_dict(case, today),
        "orders": [
            {
                "id": o.pk,
                "text": o.text,
                "issued_on": o.issued_on.isoformat(),
                "due_on": o.due_on.isoformat() if o.due_on else None,
                "outcome": o.outcome or None,
            }
            for o in case.orders.all()
        ],
        "flags": [
            {
                "id": f.pk,
                "kind": f.kind,
                "message": f.message,
                "reason": f.reason,
                "resolved": f.resolved_at is not None,
            }
            for f in case.flags.all()
        ],
        "guide": STATE_GUIDE.get(case.status, ""),
        "actions": [
            {
                "action": s.action,
                "label_zh": s.transition.label_zh,
                "to": s.transition.target,
                "basis": s.transition.basis,
                "permitted": s.permitted,
                "possible": s.possible,
                "reason_required": s.transition.reason_required,
                "blocked_by": [{"guard": f.guard, "message": f.message} for f in s.failures],
            }
            for s in states
        ],
    }


def money_dict(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    from anjian.cases.effects import surcharge_accrued

    due = effective_payment_due(case)
    return {
        "fine_total": _money(case.fine_total),
        "paid_total": _money(case.paid_total),
        "outstanding": _money(max(case.fine_total - case.paid_total, 0)),
        "payment_due_on": due.isoformat() if due else None,
        "surcharge_accrued": _money(surcharge_accrued(case, today or timezone.localdate())),
        "surcharge_paid": _money(case.surcharge_paid),
        "instalments": case.instalments,
    }


def event_dict(event: Any) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "action": event.action,
        "from_status": event.from_status or None,
        "to_status": event.to_status,
        "actor": event.actor_label,
        "reason": event.reason,
        "legal_basis": event.legal_basis,
        "occurred_on": event.occurred_on.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "payload": event.payload,
    }


def transitions_table() -> list[dict[str, Any]]:
    return [
        {
            "from": t.source,
            "action": t.action,
            "to": t.target,
            "permission": t.permission,
            "guards": list(t.guards),
            "basis": t.basis,
            "label_zh": t.label_zh,
            "reason_required": t.reason_required,
            "kind": t.kind,
        }
        for t in TRANSITIONS
    ]
