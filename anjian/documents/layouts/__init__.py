"""One layout function per document type: ``Ctx`` (the context) → the blocks of the body.

``build_content`` adds the heading and number line and checks the catalogue's required fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from anjian.core.errors import DomainError
from anjian.documents.catalogue import DocumentType, catalogue
from anjian.documents.content import Block, Content, Ctx, lookup
from anjian.documents.layouts import archive, case, inspection
from anjian.documents.remedies import ISSUER_LABELS

LAYOUTS: dict[str, Callable[[Ctx], list[Block]]] = {
    "inspection_scheme": inspection.inspection_scheme,
    "inspection_record": inspection.inspection_record,
    "onsite_measure_decision": inspection.onsite_measure_decision,
    "rectification_order": inspection.rectification_order,
    "reinspection_opinion": inspection.reinspection_opinion,
    "case_filing_approval": case.case_filing_approval,
    "inquiry_notice": case.inquiry_notice,
    "inquiry_record": case.inquiry_record,
    "survey_record": case.survey_record,
    "preservation_notice": case.preservation_notice,
    "preservation_decision": case.preservation_decision,
    "penalty_notice": case.penalty_notice,
    "statement_record": case.statement_record,
    "hearing_notice": case.hearing_notice,
    "hearing_meeting_notice": case.hearing_meeting_notice,
    "hearing_record": case.hearing_record,
    "case_handling_approval": case.case_handling_approval,
    "collective_discussion_record": case.collective_discussion_record,
    "penalty_decision_unit": case.penalty_decision_unit,
    "penalty_decision_individual": case.penalty_decision_individual,
    "summary_penalty_decision": case.summary_penalty_decision,
    "delivery_receipt": archive.delivery_receipt,
    "payment_reminder": case.payment_reminder,
    "surcharge_decision": case.surcharge_decision,
    "case_transfer": case.case_transfer,
    "closure_approval": case.closure_approval,
    "case_file_cover": archive.case_file_cover,
    "case_file_index": archive.case_file_index,
}

_EMPTY: tuple[object, ...] = (None, "", [], {}, ())


def build_content(
    document_type: DocumentType,
    context: Mapping[str, Any],
    *,
    number: str | None,
    draft: bool = False,
    time_zone: str = "Asia/Shanghai",
) -> tuple[Content, list[tuple[str, str]]]:
    """Lay out one document; return it and the missing fields (path, label), required ones first."""
    labels = {f.path: f.label for f in document_type.required} | ISSUER_LABELS
    missing: list[tuple[str, str]] = []
    for required in document_type.required:
        value = lookup(context, required.path)
        if value in _EMPTY or (isinstance(value, str) and not value.strip()):
            missing.append((required.path, required.label))
    ctx = Ctx(context, labels, time_zone=time_zone)
    blocks = LAYOUTS[document_type.id](ctx)
    for item in ctx.missing:
        if item not in missing:
            missing.append(item)
    content = Content(
        type_id=document_type.id,
        agency=str(lookup(context, "issuer.agency_name") or ""),
        title=document_type.title_zh,
        number=number,
        blocks=blocks,
        draft=draft,
        figures=list(ctx.figures),
    )
    return content, missing


def missing_fields_error(missing: list[tuple[str, str]]) -> DomainError:
    """Issuing refused: the required fields ``build_content`` found missing, named."""
    labels = "、".join(label for _, label in missing)
    return DomainError(
        "document_incomplete",
        f"文书内容不完整，不能签发。缺少：{labels}。",
        "The document is incomplete and cannot be issued; missing: "
        + ", ".join(path for path, _ in missing),
        details=[{"field": path, "label": label} for path, label in missing],
        status=422,
    )


def check_layouts() -> list[str]:
    """Every catalogue type has a layout and every layout a type (a test calls this)."""
    types = {t.id for t in catalogue().types}
    return sorted(types ^ set(LAYOUTS))
