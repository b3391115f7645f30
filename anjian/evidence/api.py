"""Evidence endpoints under /api/v1/evidence. Thin: authorize, call one selector or service, shape JSON.

Evidence is normally created through the case (``POST /api/v1/cases/{id}/evidence``), which links
it to the case; ``POST /api/v1/evidence`` records evidence before a case exists (e.g. during an
inspection), to be linked later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from anjian.core.errors import DomainError
from anjian.core.i18n import chinese
from anjian.evidence import selectors, services
from anjian.evidence.models import Evidence, EvidenceFile, Preservation
from anjian.registry.models import Agency, Enterprise, Officer

router = Router(tags=["evidence"])


class FileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str


class CustodyOut(Schema):
    action: str
    occurred_at: dt.datetime
    from_holder: str
    to_holder: str
    place: str
    note: str


class EvidenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    collected_at: dt.datetime
    place: str
    source: str
    method: str
    collectors: list[str]
    custody_status: str
    holder: str
    is_excluded: bool
    exclusion_reason: str
    enterprise_id: int | None
    files: list[FileOut]
    custody: list[CustodyOut]


def file_dict(f: EvidenceFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "original_name": f.original_name,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "uploaded_at": f.uploaded_at,
        "download_url": f"/api/v1/evidence/files/{f.pk}/download",
    }


def evidence_dict(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": chinese(e.get_kind_display()),
        "title": e.title,
        "description": e.description,
        "collected_at": e.collected_at,
        "place": e.place,
        "source": e.source,
        "method": e.method,
        "collectors": [o.name for o in e.collectors.all()],
        "custody_status": e.custody_status,
        "holder": e.holder,
        "is_excluded": e.is_excluded,
        "exclusion_reason": e.exclusion_reason,
        "enterprise_id": e.enterprise_id,
        "files": [file_dict(f) for f in e.files.all()],
        "custody": [
            {
                "action": c.action,
                "occurred_at": c.occurred_at,
                "from_holder": c.from_holder,
                "to_holder": c.to_holder,
                "place": c.place,
                "note": c.note,
            }
            for c in e.custody_events.all()
        ],
    }


class EvidenceIn(Schema):
    kind: str = Field(
        ...,
        description="documentary, physical, audiovisual, electronic, witness, party_statement, expert_opinion, inspection_record (行政处罚法 Art 46)",
    )
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    collected_at: dt.datetime
    place: str = Field(..., min_length=1, max_length=300)
    source: str = Field(..., min_length=1, max_length=200)
    method: str
    method_note: str = ""
    collector_ids: list[int] = Field(..., min_length=1)
    enterprise_id: int | None = None
    agency_id: int | None = None
    holder: str = ""


def visible_officers(user: Any, ids: list[int]) -> list[Officer]:
    found = list(
        Officer.objects.visible_to(user).filter(pk__in=ids).prefetch_related("certificates")
    )
    if len(found) != len(set(ids)):
        raise DomainError(
            "unknown_officer",
            "执法人员不存在或不在您的管辖范围内。",
            "Unknown officer, or outside your jurisdiction.",
            status=422,
        )
    return found


def acting_agency(user: Any, agency_id: int | None) -> Agency:
    if agency_id is not None:
        agency = (
            Agency.objects.visible_to(user).filter(pk=agency_id).select_related("region").first()
        )
    else:
        officer = Officer.objects.filter(user=user).select_related("agency__region").first()
        if officer is None:
            raise DomainError(
                "not_an_officer", "只有执法人员可以登记证据。", "Officers only.", status=403
            )
        agency = officer.agency
    if agency is None:
        raise DomainError(
            "unknown_agency",
            "执法机构不存在或不在您的管辖范围内。",
            "Unknown agency, or outside your jurisdiction.",
            status=422,
        )
    return agency


def visible_enterprise(user: Any, enterprise_id: int | None) -> Enterprise | None:
    if enterprise_id is None:
        return None
    enterprise = Enterprise.objects.visible_to(user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise DomainError(
            "unknown_enterprise",
            "单位不存在或不在您的管辖范围内。",
            "Unknown enterprise, or outside your jurisdiction.",
            status=422,
        )
    return enterprise


@router.post("", response={201: EvidenceOut})
def create_evidence(request: HttpRequest, payload: EvidenceIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "evidence.collect")
    evidence = services.register_evidence(
        actor=request.user,
        agency=acting_agency(request.user, payload.agency_id),
        enterprise=visible_enterprise(request.user, payload.enterprise_id),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        collected_at=payload.collected_at,
        place=payload.place,
        source=payload.source,
        method=payload.method,
        method_note=payload.method_note,
        collectors=visible_officers(request.user, payload.collector_ids),
        holder=payload.holder,
    )
    return 201, evidence_dict(selectors.evidence_for(request.user, evidence.pk))


@router.get("/{int:evidence_id}", response=EvidenceOut)
def get_evidence(request: HttpRequest, evidence_id: int) -> dict[str, Any]:
    return evidence_dict(selectors.evidence_for(request.user, evidence_id))


@router.post("/{int:evidence_id}/files", response={201: FileOut})
def upload_file(
    request: HttpRequest, evidence_id: int, file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    evidence = selectors.evidence_for(request.user, evidence_id)
    selectors.require(request.user, "evidence.collect")
    record = services.attach_file(actor=request.user, evidence=evidence, upload=file)
    return 201, file_dict(record)


@router.get("/files/{int:file_id}/download", response={200: None})
def download_file(request: HttpRequest, file_id: int) -> FileResponse:
    evidence_file = selectors.file_for(request.user, file_id)
    services.verify_for_download(actor=request.user, evidence_file=evidence_file)
    response = FileResponse(
        default_storage.open(evidence_file.file.name, "rb"),
        as_attachment=True,
        filename=evidence_file.original_name,
        content_type=evidence_file.content_type,
    )
    response["X-Content-SHA256"] = evidence_file.sha256
    return response


class CustodyIn(Schema):
    action: str = Field(..., description="sealed, transferred, returned, destroyed")
    occurred_at: dt.datetime
    to_holder: str = ""
    place: str = ""
    note: str = ""


@router.post("/{int:evidence_id}/custody", response={201: CustodyOut})
def record_custody(
    request: HttpRequest, evidence_id: int, payload: CustodyIn
) -> tuple[int, dict[str, Any]]:
    evidence = selectors.evidence_for(request.user, evidence_id)
    selectors.require(request.user, "evidence.record_custody")
    event = services.record_custody(actor=request.user, evidence=evidence, **payload.dict())
    return 201, {
        "action": event.action,
        "occurred_at": event.occurred_at,
        "from_holder": event.from_holder,
        "to_holder": event.to_holder,
        "place": event.place,
        "note": event.note,
    }


class ExcludeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


@router.post("/{int:evidence_id}/exclude", response=EvidenceOut)
def exclude(request: HttpRequest, evidence_id: int, payload: ExcludeIn) -> dict[str, Any]:
    evidence = selectors.evidence_for(request.user, evidence_id)
    selectors.require(request.user, "evidence.exclude")
    services.exclude_evidence(actor=request.user, evidence=evidence, reason=payload.reason)
    return evidence_dict(selectors.evidence_for(request.user, evidence_id))


class PreservationOut(Schema):
    id: int
    items: str
    place: str
    approved_by: str
    approved_on: dt.date
    started_on: dt.date
    due_on: dt.date | None
    due_flags: list[str]
    decided_on: dt.date | None
    decision: str
    late_reason: str
    evidence_ids: list[int]


def preservation_dict(p: Preservation) -> dict[str, Any]:
    return {
        "id": p.pk,
        "items": p.items,
        "place": p.place,
        "approved_by": p.approved_by.name,
        "approved_on": p.approved_on,
        "started_on": p.started_on,
        "due_on": p.due_on,
        "due_flags": list(p.due_flags or []),
        "decided_on": p.decided_on,
        "decision": p.decision,
        "late_reason": p.late_reason,
        "evidence_ids": [e.pk for e in p.evidence.all()],
    }


@router.get("/preservations/{int:preservation_id}", response=PreservationOut)
def get_preservation(request: HttpRequest, preservation_id: int) -> dict[str, Any]:
    return preservation_dict(selectors.preservation_for(request.user, preservation_id))


class PreservationDecisionIn(Schema):
    decision: str
    decided_on: dt.date
    note: str = ""
    late_reason: str = ""


@router.post("/preservations/{int:preservation_id}/decision", response=PreservationOut)
def decide_preservation(
    request: HttpRequest, preservation_id: int, payload: PreservationDecisionIn
) -> dict[str, Any]:
    preservation = selectors.preservation_for(request.user, preservation_id)
    selectors.require(request.user, "evidence.preserve")
    selectors.refuse_outside_owner(preservation)
    services.decide_preservation(actor=request.user, preservation=preservation, **payload.dict())
    return preservation_dict(selectors.preservation_for(request.user, preservation_id))
