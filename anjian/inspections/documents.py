"""Context builders: inspection records → the documents engine (anjian/documents).

Written by the documents owner for the inspections app; imports only this app and lower layers.
``register()`` is called at start-up by ``anjian.documents.apps.discover_context_builders`` to offer the documents on the inspection and
scheme pages (``{% include "documents/_document_panel.html" with subject_type="inspections.inspection" subject_id=inspection.pk %}``).

The numbers inspections give their records (``Inspection.number``, ``RectificationOrder.number``,
…) come from the documents app's counter (``services.next_document_number`` calls
``anjian.documents.services.allocate_number``: one counter per agency, code and year) and are
passed as ``record_number``: the document prints the record's number (``adopt_number`` checks its
format; the counter is already past it).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from anjian.documents.providers import Source, register_subject
from anjian.inspections import selectors
from anjian.inspections.models import Inspection, InspectionScheme

INSPECTION_TYPES = (
    "inspection_record",
    "rectification_order",
    "onsite_measure_decision",
    "reinspection_opinion",
)


def _party(enterprise: Any) -> dict[str, Any]:
    return {
        "kind": "unit",
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
    }


def _team(snapshot: list[dict[str, Any]], officers: Any = None) -> list[dict[str, str]]:
    if snapshot:
        return [
            {"name": m.get("name", ""), "certificate": m.get("certificate", "")} for m in snapshot
        ]
    today = timezone.localdate()
    team = []
    for officer in officers.all() if officers is not None else []:
        certificate = officer.valid_certificate(today)
        team.append(
            {"name": officer.name, "certificate": certificate.number if certificate else ""}
        )
    return team


def _provision_label(short: str) -> str:
    """ "WSL:2021:42:2" → 《中华人民共和国安全生产法》（2021）第四十二条第二款 (the catalog's label)."""
    if not short:
        return ""
    from anjian.law.core.catalog import Citation

    try:
        return Citation.model_validate(short).label_zh()
    except ValueError:
        return short


def inspection_record_context(inspection: Inspection) -> dict[str, Any]:
    findings = [
        {
            "description": f.description,
            "location": f.location,
            "hazard_level": f.get_hazard_level_display(),
            "measure": f.get_measure_display(),
        }
        for f in inspection.findings.all()
    ]
    return {
        "record_number": inspection.number,
        "party": _party(inspection.enterprise),
        "place": inspection.place or inspection.enterprise.address,
        "started_at": inspection.started_at,
        "ended_at": inspection.ended_at,
        "officers": _team(inspection.team_snapshot, inspection.officers),
        "summary": inspection.summary,
        "findings": findings,
        "representative": {
            "name": inspection.representative_name,
            "title": inspection.representative_title,
        },
        "acknowledgement": inspection.acknowledgement,
        "refusal_note": inspection.refusal_note,
        "witness": inspection.witness_name,
    }


def rectification_order_context(inspection: Inspection) -> dict[str, Any]:
    order = getattr(inspection, "rectification_order", None)
    if order is None:
        raise Http404
    return {
        "record_number": order.number,
        "party": _party(inspection.enterprise),
        "inspected_on": inspection.inspected_on,
        "findings": [
            {
                "description": f.description,
                "location": f.location,
                "provision": _provision_label(f.provision),
                "deadline": f.deadline,
            }
            for f in order.findings.order_by("position", "id")
        ],
        "deadline": order.deadline,
        "issued_on": order.issued_on,
        "officers": _team(inspection.team_snapshot, inspection.officers),
    }


def onsite_measure_context(inspection: Inspection) -> dict[str, Any]:
    measures = list(inspection.onsite_measures.select_related("finding").order_by("id"))
    if not measures:
        raise Http404
    first = measures[0]
    return {
        "record_number": first.number,
        "party": _party(inspection.enterprise),
        "inspected_on": inspection.inspected_on,
        "problems": [{"description": m.finding.description} for m in measures],
        "basis": "《中华人民共和国安全生产法》（2021）第六十五条第一款第（三）项",
        "measures": [{"kind": m.get_kind_display(), "target": m.target} for m in measures],
        "decided_on": first.decided_on,
        "officers": _team(inspection.team_snapshot, inspection.officers),
    }


def reinspection_context(inspection: Inspection) -> dict[str, Any]:
    order = getattr(inspection, "rectification_order", None)
    reinspection = order.reinspections.order_by("-performed_on", "-id").first() if order else None
    if order is None or reinspection is None:
        raise Http404
    return {
        "record_number": reinspection.number,
        "party": _party(inspection.enterprise),
        "order_title": "责令限期整改指令书",
        "order_number": order.number,
        "order_issued_on": order.issued_on,
        "reinspected_on": reinspection.performed_on,
        "findings": [
            {
                "description": f.description,
                "outcome": f.get_status_display(),
                "note": f.review_note,
            }
            for f in order.findings.order_by("position", "id")
        ],
        "opinion": reinspection.notes or reinspection.get_outcome_display(),
        "officers": _team(reinspection.team_snapshot, reinspection.officers),
    }


BUILDERS = {
    "inspection_record": inspection_record_context,
    "rectification_order": rectification_order_context,
    "onsite_measure_decision": onsite_measure_context,
    "reinspection_opinion": reinspection_context,
}


def inspection_source(user: Any, subject_id: str, type_id: str) -> Source:
    inspection = selectors.inspection_for(user, subject_id)  # 404 outside the user's scope
    if type_id not in BUILDERS:
        raise Http404
    return Source(
        agency=inspection.agency,
        region=inspection.region,
        context=BUILDERS[type_id](inspection),
        title=f"{inspection.enterprise.name} {inspection.inspected_on:%Y-%m-%d}",
    )


def scheme_context(scheme: InspectionScheme, enterprise: Any | None = None) -> dict[str, Any]:
    target = enterprise or scheme.enterprises.order_by("id").first()
    return {
        "party": _party(target) if target is not None else {"name": scheme.scope_note},
        "planned_on": scheme.period_start,
        "method": scheme.get_kind_display(),
        "officers": _team([], scheme.officers),
        "items": [{"title": item.title} for item in scheme.items.all()],
        "scope_note": scheme.scope_note,
        "prepared_by": getattr(scheme.created_by, "display_name", "") or scheme.created_by.username,
        "prepared_on": timezone.localdate(scheme.submitted_at or scheme.created_at),
        "approval": {
            "opinion": scheme.decision_note,
            "name": (
                getattr(scheme.decided_by, "display_name", "") or scheme.decided_by.username
                if scheme.decided_by
                else ""
            ),
            "date": timezone.localdate(scheme.decided_at) if scheme.decided_at else None,
        },
    }


def scheme_source(user: Any, subject_id: str, type_id: str) -> Source:
    scheme = selectors.scheme_for(user, subject_id)
    return Source(
        agency=scheme.agency,
        region=scheme.region,
        context=scheme_context(scheme),
        title=scheme.title,
    )


def register() -> None:
    """Offer the inspection documents (called by the documents app at start-up)."""
    register_subject(
        subject_type="inspections.inspection",
        label="现场检查",
        document_types=INSPECTION_TYPES,
        build=inspection_source,
    )
    register_subject(
        subject_type="inspections.scheme",
        label="检查方案",
        document_types=("inspection_scheme",),
        build=scheme_source,
    )
