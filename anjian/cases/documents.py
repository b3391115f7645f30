"""Context builders: case records → the documents engine (anjian/documents).

Written by the documents owner for the cases app; imports only this app and lower layers.
``register()`` is called at start-up by ``anjian.documents.apps.discover_context_builders`` to offer the documents on the case page
(``{% include "documents/_document_panel.html" with subject_type="cases.case" subject_id=case.pk %}``).
Every document of a case gets ``case_key = "cases.case:<pk>"``, so the case file
(/documents/case-files/cases.case:<pk>/pdf/) collects them in file order.

A value the case does not record (an approver's name, the attachments of a transfer) is left out:
the document then shows 【未填写：…】 in its draft and cannot be issued until it is given, never a
blank. Types whose contents live in records this app does not keep yet (询问笔录's questions and
answers, 勘验笔录, 听证笔录, 集体讨论记录's speakers, 先行登记保存 lists) are not offered here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone

from anjian.cases import selectors
from anjian.cases.models import Case, PartyKind, PaymentKind
from anjian.documents.providers import Source, register_subject
from anjian.documents.selectors import latest_issued
from anjian.law.core.catalog import default_catalog
from anjian.law.core.timelimits import late_surcharge

CASE_TYPES = (
    "case_filing_approval",
    "penalty_notice",
    "hearing_notice",
    "case_handling_approval",
    "penalty_decision_unit",
    "penalty_decision_individual",
    "payment_reminder",
    "surcharge_decision",
    "case_transfer",
    "closure_approval",
    "case_file_cover",
)
DECISION_TYPES = ("penalty_decision_unit", "penalty_decision_individual")


def case_key(case: Case) -> str:
    return f"cases.case:{case.pk}"


def _party(case: Case) -> dict[str, Any]:
    party = case.parties.order_by("position", "id").first()
    if party is None:
        return {"name": case.party_name}
    if party.kind == PartyKind.UNIT and party.enterprise is not None:
        enterprise = party.enterprise
        return {
            "kind": "unit",
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "address": enterprise.address,
            "legal_representative": enterprise.legal_representative,
        }
    return {
        "kind": "individual",
        "name": party.name,
        "id_number": party.id_number,
        "address": party.address,
    }


def _handlers(case: Case) -> list[str]:
    return [
        a.officer.name
        for a in case.case_officers.select_related("officer").order_by("-is_lead", "id")
    ]


def _officer_name(user: Any) -> str:
    if user is None:
        return ""
    officer = getattr(user, "officer", None)
    return (
        officer.name
        if officer is not None
        else (getattr(user, "display_name", "") or user.username)
    )


def _event(case: Case, *actions: str) -> Any:
    return (
        case.events.filter(action__in=actions).select_related("actor").order_by("-sequence").first()
    )


def _citations(case: Case) -> tuple[list[dict[str, str]], list[dict[str, str]], str]:
    catalog = default_catalog()
    violated: list[dict[str, str]] = []
    basis: list[dict[str, str]] = []
    facts: list[str] = []
    for violation in case.violations.order_by("position", "id"):
        try:
            kind = catalog.violation(violation.violation_code)
        except KeyError:
            continue
        for citation in kind.violated_provisions:
            label = citation.label_zh()
            if {"label": label} not in violated:
                violated.append({"label": label})
        label = kind.penalty_provision.label_zh()
        if {"label": label} not in basis:
            basis.append({"label": label})
        if violation.facts:
            facts.append(violation.facts)
    return violated, basis, "\n".join(facts)


def _penalties(case: Case, *, decided: bool) -> list[dict[str, Any]]:
    rows = selectors.current_penalties(case)
    if decided:
        rows = rows.filter(is_decided=True)
    items: list[dict[str, Any]] = []
    for penalty in rows:
        item: dict[str, Any] = {"kind": penalty.get_kind_display()}
        if penalty.amount is not None:
            item["amount"] = penalty.amount
        if penalty.detail:
            item["kind"] += f"（{penalty.detail}）"
        items.append(item)
    return items


def _penalty_text(case: Case) -> str:
    from anjian.documents.content import amount_phrase

    parts = []
    for item in _penalties(case, decided=False):
        parts.append(item["kind"] + (amount_phrase(item["amount"]) if "amount" in item else ""))
    return "，".join(parts)


def _discretion(case: Case) -> str:
    reasons = [p.reason for p in selectors.current_penalties(case) if p.reason]
    return "；".join(dict.fromkeys(reasons))


def _decision_number(case: Case) -> str:
    decision = latest_issued(case_key(case), DECISION_TYPES)
    return decision.number if decision is not None else ""


def filing_context(case: Case) -> dict[str, Any]:
    violated, _, facts = _citations(case)
    filed = _event(case, "approve_filing")
    return {
        "case_title": case.title,
        "case_source": case.get_source_kind_display(),
        "received_on": case.discovered_on,
        "party": _party(case),
        "summary": facts or case.source_note,
        "proposal": {
            "opinion": "建议立案调查。",
            "names": _handlers(case),
            "date": case.proposed_on,
        },
        "approval": {
            "opinion": "同意立案。" if case.filed_on else "",
            "name": _officer_name(filed.actor) if filed else "",
            "date": case.filed_on,
        },
    }


def notice_context(case: Case) -> dict[str, Any]:
    from anjian.cases import procedure

    violated, basis, facts = _citations(case)
    return {
        "party": _party(case),
        "facts": facts,
        "violated": violated,
        "penalty_basis": basis,
        "proposed_penalty": _penalty_text(case),
        "statement_days": procedure.statement_period()["amount"],
        "contact": {"name": (_handlers(case) or [""])[0]},
        "issued_on": timezone.localdate(),
    }


def handling_context(case: Case) -> dict[str, Any]:
    violated, basis, facts = _citations(case)
    reviewed = _event(case, "pass_legal_review")
    approved = _event(case, "decide")
    return {
        "case_title": case.title,
        "party": _party(case),
        "facts": facts,
        "violated": violated,
        "penalty_basis": basis,
        "discretion": _discretion(case),
        "proposal": {
            "opinion": f"建议给予{_penalty_text(case)}的行政处罚。",
            "names": _handlers(case),
            "date": case.legal_reviewed_on or timezone.localdate(),
        },
        "review": {
            "opinion": case.legal_review_opinion,
            "name": _officer_name(reviewed.actor) if reviewed else "",
            "date": case.legal_reviewed_on,
        },
        "approval": {
            "opinion": case.decision_reason,
            "name": _officer_name(approved.actor) if approved else "",
            "date": case.decided_on,
        },
    }


def decision_context(case: Case) -> dict[str, Any]:
    violated, basis, facts = _citations(case)
    return {
        "party": _party(case),
        "facts": facts,
        "evidence": [e.title for e in selectors.case_evidence(case)],
        "violated": violated,
        "penalty_basis": basis,
        "discretion": _discretion(case),
        "penalties": _penalties(case, decided=True),
        "decided_on": case.decided_on,
    }


def _surcharge(case: Case, on: dt.date) -> Decimal:
    if not case.payment_due_on or not case.fine_total:
        return Decimal("0.00")
    return late_surcharge(case.fine_total - case.paid_total, case.payment_due_on, on)


def reminder_context(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "party": _party(case),
        "decision_number": _decision_number(case),
        "decided_on": case.decided_on,
        "delivered_on": case.delivered_on,
        "fine_amount": case.fine_total - case.paid_total,
        "surcharge_amount": _surcharge(case, today),
        "surcharge_as_of": today,
        "issued_on": today,
    }


def surcharge_context(case: Case) -> dict[str, Any]:
    return {
        **reminder_context(case),
        "fine_amount": case.fine_total,
        "surcharge_from": case.payment_due_on + dt.timedelta(days=1)
        if case.payment_due_on
        else None,
    }


def transfer_context(case: Case) -> dict[str, Any]:
    return {
        "receiver": case.transferred_to,
        "party": _party(case),
        "case_title": case.title,
        "reason": case.end_reason,
        "basis": [{"label": "《中华人民共和国行政处罚法》第二十七条第一款"}],
        "issued_on": timezone.localdate(),
    }


def closure_context(case: Case) -> dict[str, Any]:
    closed = _event(case, "approve_closure")
    paid = sum((p.amount for p in case.payments.filter(kind=PaymentKind.FINE)), Decimal(0))
    surcharge = sum(
        (p.amount for p in case.payments.filter(kind=PaymentKind.SURCHARGE)), Decimal(0)
    )
    execution = f"已缴纳罚款{paid}元" + (f"、加处罚款{surcharge}元" if surcharge else "") + "。"
    return {
        "case_title": case.title,
        "party": _party(case),
        "filed_on": case.filed_on,
        "decision_number": _decision_number(case),
        "decision_summary": _penalty_text(case) or case.get_decision_outcome_display(),
        "execution_summary": execution if case.fine_total else case.get_decision_outcome_display(),
        "proposal": {
            "opinion": "处罚决定已执行完毕，建议结案。",
            "names": _handlers(case),
            "date": case.closure_requested_on,
        },
        "approval": {
            "opinion": "同意结案。" if case.closed_on else "",
            "name": _officer_name(closed.actor) if closed else "",
            "date": case.closed_on,
        },
    }


def cover_context(case: Case) -> dict[str, Any]:
    return {
        "case_title": case.title,
        "cause": "、".join(v.title for v in case.violations.order_by("position", "id"))
        or case.title,
        "party_name": case.party_name,
        "filed_on": case.filed_on,
        "closed_on": case.closed_on,
        "result": _penalty_text(case) or case.get_decision_outcome_display(),
        "handlers": _handlers(case),
        "retention": "永久",
        "archived_on": case.archived_on,
        "archive_number": case.reference,
    }


BUILDERS = {
    "case_filing_approval": filing_context,
    "penalty_notice": notice_context,
    "hearing_notice": notice_context,
    "case_handling_approval": handling_context,
    "penalty_decision_unit": decision_context,
    "penalty_decision_individual": decision_context,
    "payment_reminder": reminder_context,
    "surcharge_decision": surcharge_context,
    "case_transfer": transfer_context,
    "closure_approval": closure_context,
    "case_file_cover": cover_context,
}


def case_source(user: Any, subject_id: str, type_id: str) -> Source:
    case = selectors.case_for(user, subject_id)  # 404 outside the user's scope
    if type_id not in BUILDERS:
        raise Http404
    return Source(
        agency=case.agency,
        region=case.region,
        context=BUILDERS[type_id](case),
        case_key=case_key(case),
        title=f"{case.reference} {case.party_name}",
    )


def register() -> None:
    """Offer the case documents (called by the documents app at start-up)."""
    register_subject(
        subject_type="cases.case",
        label="行政处罚案件",
        document_types=CASE_TYPES,
        build=case_source,
        url=lambda pk: f"/cases/{pk}/",
    )
