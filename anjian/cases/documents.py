"""Context builders: case records → the documents engine (anjian/documents).

Written by the documents owner for the cases app; imports only this app and lower layers.
``register()`` is called at start-up by ``anjian.documents.apps.discover_context_builders`` to offer the documents on the case page
(``{% include "documents/_document_panel.html" with subject_type="cases.case" subject_id=case.pk %}``).
Every document of a case gets ``case_key = "cases.case:<pk>"``, so the case file
(/documents/case-files/cases.case:<pk>/pdf/) collects them in file order.

A value the case does not record (an approver's name, the attachments of a transfer) is left out:
the document then shows 【未填写：…】 in its draft and cannot be issued until it is given, never a
blank.

The written records of a case (``CaseRecord``: 询问通知书, 询问笔录, 勘验笔录, 陈述申辩笔录,
听证会通知书, 听证笔录, 集体讨论记录; ``anjian/cases/records.py``) are subjects of their own,
``cases.record.<kind>`` with the record's id, one document type each; a preservation
(先行登记保存 of evidence linked to a case) is the subject ``cases.preservation`` of its notice and
its handling decision. All of them carry the case's ``case_key``, so the case file collects them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone

from anjian.cases import selectors
from anjian.cases.effects import surcharge_accrued
from anjian.cases.guards import effective_payment_due
from anjian.cases.identity import age_on, parse_id_number
from anjian.cases.models import Case, CaseRecord, PartyKind, PaymentKind, Procedure, RecordKind
from anjian.cases.records import SPECS
from anjian.core.errors import DomainError
from anjian.documents.providers import Source, register_subject
from anjian.documents.selectors import (
    agency_contact,
    case_file_totals,
    latest_issued,
    latest_issued_of_subject,
)
from anjian.evidence.models import Preservation
from anjian.law.core.catalog import default_catalog

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
    "summary_penalty_decision",
)
DECISION_TYPES = ("penalty_decision_unit", "penalty_decision_individual")


def case_key(case: Case) -> str:
    return f"cases.case:{case.pk}"


def _party(case: Case, on: dt.date | None = None) -> dict[str, Any]:
    """The first party's block. A person's age is their full years on ``on`` (the document's
    date), read from the date of birth in a citizen identity number; other values as recorded,
    and a value not recorded is left out (the layout marks what the form requires)."""
    party = case.parties.order_by("position", "id").first()
    if party is None:
        return {"name": case.party_name}
    if party.kind == PartyKind.UNIT and party.enterprise is not None:
        enterprise = party.enterprise
        unit = {
            "kind": "unit",
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "address": enterprise.address,
            "legal_representative": enterprise.legal_representative,
        }
        return {**unit, "phone": party.phone} if party.phone else unit
    person = {
        "kind": "individual",
        "name": party.name,
        "gender": party.get_gender_display() if party.gender else "",
        "id_number": party.id_number,
        "employer": party.employer,
        "position": party.job_title,
        "phone": party.phone,
        "address": party.address,
    }
    birth_date = parse_id_number(party.id_number).birth_date if party.id_number else None
    if birth_date is not None:
        person["age"] = str(age_on(birth_date, on or timezone.localdate()))
    return {k: v for k, v in person.items() if v}


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
        "contact": {"name": (_handlers(case) or [""])[0], **agency_contact(case.agency)},
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
            # Deciding is the head's approval of the proposal (行政处罚法第五十七条).
            "opinion": case.decision_reason or ("同意承办人意见。" if approved else ""),
            "name": _officer_name(approved.actor) if approved else "",
            "date": case.decided_on,
        },
    }


def decision_context(case: Case) -> dict[str, Any]:
    violated, basis, facts = _citations(case)
    return {
        "party": _party(case, case.decided_on),
        "facts": facts,
        "evidence": [e.title for e in selectors.case_evidence(case)],
        "violated": violated,
        "penalty_basis": basis,
        "discretion": _discretion(case),
        "penalties": _penalties(case, decided=True),
        "decided_on": case.decided_on,
    }


def reminder_context(case: Case) -> dict[str, Any]:
    """The figures are the case's own (``effective_payment_due`` and ``surcharge_accrued``, as the
    case page and the payment form use them): a deferral (暂缓) or an instalment plan (分期) moves
    the day payment falls due, and the surcharge runs from that day, not from the 15-day limit."""
    today = timezone.localdate()
    return {
        "party": _party(case),
        "decision_number": _decision_number(case),
        "decided_on": case.decided_on,
        "delivered_on": case.delivered_on,
        "payment_due_on": effective_payment_due(case),
        "fine_amount": case.fine_total - case.paid_total,
        "surcharge_amount": surcharge_accrued(case, today),
        "surcharge_as_of": today,
        "issued_on": today,
    }


def surcharge_context(case: Case) -> dict[str, Any]:
    context = reminder_context(case)
    due = context["payment_due_on"]
    return {
        **context,
        "fine_amount": case.fine_total,
        "surcharge_from": due + dt.timedelta(days=1) if due else None,
    }


def transfer_context(case: Case) -> dict[str, Any]:
    return {
        "receiver": case.transferred_to,
        "party": _party(case),
        "case_title": case.title,
        "reason": case.end_reason,
        "basis": [{"label": "《中华人民共和国行政处罚法》第二十七条第一款"}],
        # The materials sent with it: the case's evidence (copies), one item each.
        "attachments": [
            {"title": f"{e.get_kind_display()}：{e.title}（复印件）"}
            for e in selectors.case_evidence(case)
            if e.is_usable
        ],
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
    documents, pages = case_file_totals(case_key(case))
    totals = {"document_count": documents, "page_count": pages} if documents else {}
    return {
        **totals,
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


def _team(case: Case, on: dt.date | None) -> list[dict[str, str]]:
    day = on or timezone.localdate()
    team = []
    for assignment in case.case_officers.select_related("officer").order_by("-is_lead", "id"):
        certificate = assignment.officer.valid_certificate(day)
        team.append(
            {
                "name": assignment.officer.name,
                "certificate": certificate.number if certificate else "",
            }
        )
    return team


def summary_decision_context(case: Case) -> dict[str, Any]:
    """当场处罚决定书 (行政处罚法第五十一条、第五十二条): only a case decided on the spot."""
    if case.procedure != Procedure.SIMPLIFIED:
        raise DomainError(
            "not_simplified_procedure",
            "只有适用简易程序（当场处罚）的案件才制作当场处罚决定书。",
            "Only a case decided on the spot (simplified procedure) has this document.",
            status=422,
        )
    violated, basis, facts = _citations(case)
    first = next(iter(selectors.case_evidence(case)), None)
    party = _party(case, case.decided_on)
    return {
        "party": party,
        "acted_at": first.collected_at if first is not None else None,
        "place": first.place if first is not None else party.get("address", ""),
        "facts": facts,
        "violated": violated,
        "penalty_basis": basis,
        "penalties": _penalties(case, decided=True),
        "payment": "bank",
        "decided_on": case.decided_on,
        "officers": _team(case, case.decided_on),
    }


BUILDERS = {
    "summary_penalty_decision": summary_decision_context,
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


# ------------------------------------------------------------------------- written records


def _person(content: dict[str, Any], prefix: str, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: content[f"{prefix}_{k}"] for k in keys if content.get(f"{prefix}_{k}")}


def record_context(record: CaseRecord) -> dict[str, Any]:
    """The context of a record's document: the record's content under the catalogue's keys."""
    case, c = record.case, dict(record.content)
    kind = record.kind
    if kind == RecordKind.INQUIRY_NOTICE:
        return {
            "recipient": c.get("recipient"),
            "case_title": case.title,
            "appointment_at": c.get("appointment_at"),
            "place": c.get("place"),
            "materials": c.get("materials", []),
            "contact": {"name": c.get("contact_name"), "phone": c.get("contact_phone")},
            "issued_on": c.get("issued_on"),
        }
    if kind == RecordKind.INQUIRY:
        keys = ("name", "gender", "age", "id_number", "employer", "position", "phone", "address")
        return {
            "case_title": case.title,
            "started_at": c.get("started_at"),
            "ended_at": c.get("ended_at"),
            "place": c.get("place"),
            "interviewee": _person(c, "interviewee", keys),
            "interviewers": c.get("officer_ids", []),
            "recorder": c.get("recorder"),
            "qa": c.get("qa", []),
        }
    if kind == RecordKind.SURVEY:
        context: dict[str, Any] = {
            "case_title": case.title,
            "started_at": c.get("started_at"),
            "ended_at": c.get("ended_at"),
            "place": c.get("place"),
            "weather": c.get("weather"),
            "surveyors": c.get("officer_ids", []),
            "present": _person(c, "present", ("name", "employer")),
            "recorder": c.get("recorder"),
            "observations": c.get("observations"),
        }
        if c.get("witness_name"):
            context["witness"] = _person(c, "witness", ("name", "employer"))
        return context
    if kind == RecordKind.STATEMENT:
        return {
            "case_title": case.title,
            "started_at": c.get("started_at"),
            "ended_at": c.get("ended_at"),
            "place": c.get("place"),
            "speaker": _person(c, "speaker", ("name", "gender", "employer", "position", "phone")),
            "officers": c.get("officer_ids", []),
            "recorder": c.get("recorder"),
            "statement": c.get("statement"),
        }
    if kind == RecordKind.HEARING_NOTICE:
        presiding = {"name": c.get("presiding_name")}
        if c.get("presiding_position"):
            presiding["position"] = c["presiding_position"]
        return {
            "party": _party(case),
            "case_title": case.title,
            "requested_on": case.hearing_requested_on,
            "hearing_at": c.get("hearing_at"),
            "place": c.get("place"),
            "is_public": c.get("is_public", True),
            "presiding": presiding,
            "members": c.get("members", []),
            "clerk": c.get("clerk"),
            "issued_on": c.get("issued_on"),
        }
    if kind == RecordKind.HEARING:
        return {
            "case_title": case.title,
            "started_at": c.get("started_at"),
            "ended_at": c.get("ended_at"),
            "place": c.get("place"),
            "presiding": {"name": c.get("presiding_name")},
            "members": c.get("members", []),
            "clerk": c.get("clerk"),
            "party": _party(case),
            "agents": c.get("agents", []),
            "investigators": c.get("investigators", []),
            "proceedings": c.get("proceedings", []),
        }
    # RecordKind.COLLECTIVE_DISCUSSION
    return {
        "case_title": case.title,
        "started_at": c.get("started_at"),
        "ended_at": c.get("ended_at"),
        "place": c.get("place"),
        "host": c.get("host"),
        "reporter": c.get("reporter"),
        "recorder": c.get("recorder"),
        "attendees": c.get("attendees", []),
        "absent": c.get("absent", ""),
        "discussion": [
            {"speaker": e["speaker"], "opinion": e["text"]} for e in c.get("discussion", [])
        ],
        "conclusion": c.get("conclusion"),
    }


def record_subject_type(kind: str) -> str:
    return f"cases.record.{kind}"


def _record_source(kind: str) -> Any:
    def build(user: Any, subject_id: str, type_id: str) -> Source:
        record = selectors.record_for(user, subject_id)  # 404 outside the user's scope
        if record.kind != kind or type_id != SPECS[kind].document_type:
            raise Http404
        case = record.case
        return Source(
            agency=case.agency,
            region=case.region,
            context=record_context(record),
            case_key=case_key(case),
            title=f"{case.reference} {record.get_kind_display()} {record.held_at:%Y-%m-%d}",
        )

    return build


# ----------------------------------------------------------------------------- preservations

ITEM_SEPARATORS = ("｜", "|", "\t")
QUANTITY = re.compile(r"^(?P<name>.*?\D)\s*(?P<quantity>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]{1,3})$")


def preservation_items(text: str) -> list[dict[str, str]]:
    """The 物品清单 of a preservation, one item a line: ``名称｜规格｜数量｜单位｜备注``, or
    ``灭火器3具`` (name, quantity and unit read from the line). A line without a quantity gives an
    item without one: the document then names it missing and cannot be issued."""
    items = []
    for line in (x.strip() for x in (text or "").splitlines()):
        if not line:
            continue
        separator = next((s for s in ITEM_SEPARATORS if s in line), None)
        if separator is not None:
            parts = [p.strip() for p in line.split(separator)] + [""] * 5
            item = dict(zip(("name", "spec", "quantity", "unit", "note"), parts[:5], strict=True))
        else:
            match = QUANTITY.match(line)
            item = (
                {k: v.strip() for k, v in match.groupdict().items()}
                if match
                else {"name": line, "quantity": ""}
            )
        items.append({k: v for k, v in item.items() if v})
    return items


def _preservation_case(user: Any, subject_id: str) -> tuple[Preservation, Case]:
    preservation = Preservation.objects.visible_to(user).filter(pk=_int(subject_id)).first()
    if preservation is None:
        raise Http404
    case = (
        selectors.cases(user)
        .filter(evidence_links__evidence__preservations=preservation)
        .order_by("id")
        .first()
    )
    if case is None:
        raise Http404
    return preservation, selectors.case_for(user, case.pk)


def _int(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise Http404 from None


def preservation_notice_context(preservation: Preservation, case: Case) -> dict[str, Any]:
    return {
        "party": _party(case),
        "suspected_violation": "、".join(
            v.title for v in case.violations.order_by("position", "id")
        )
        or case.title,
        "items": preservation_items(preservation.items),
        "storage_place": preservation.place,
        "period_from": preservation.started_on,
        "period_to": preservation.due_on,
        "decided_on": preservation.approved_on,
        "officers": _team(case, preservation.started_on),
    }


def preservation_decision_context(preservation: Preservation, case: Case) -> dict[str, Any]:
    notice = latest_issued_of_subject(
        "cases.preservation", preservation.pk, ["preservation_notice"]
    )
    handling = preservation.get_decision_display() if preservation.decision else ""
    if handling and preservation.decision_note:
        handling += f"（{preservation.decision_note}）"
    return {
        "party": _party(case),
        "notice_number": notice.number if notice is not None else "",
        "preserved_on": preservation.started_on,
        "items": [
            {**item, "handling": handling} if handling else item
            for item in preservation_items(preservation.items)
        ],
        "decided_on": preservation.decided_on,
    }


def preservation_source(user: Any, subject_id: str, type_id: str) -> Source:
    preservation, case = _preservation_case(user, subject_id)
    build = {
        "preservation_notice": preservation_notice_context,
        "preservation_decision": preservation_decision_context,
    }.get(type_id)
    if build is None:
        raise Http404
    return Source(
        agency=case.agency,
        region=case.region,
        context=build(preservation, case),
        case_key=case_key(case),
        title=f"{case.reference} 先行登记保存 {preservation.started_on:%Y-%m-%d}",
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
    for kind, spec in SPECS.items():
        register_subject(
            subject_type=record_subject_type(kind),
            label=spec.label,
            document_types=(spec.document_type,),
            build=_record_source(kind),
            url=lambda pk: f"/cases/records/{pk}/",
        )
    register_subject(
        subject_type="cases.preservation",
        label="先行登记保存",
        document_types=("preservation_notice", "preservation_decision"),
        build=preservation_source,
        url=lambda pk: f"/evidence/preservations/{pk}/",
    )
