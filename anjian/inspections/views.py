"""Field pages for a tablet: my tasks, find an enterprise, record item by item, orders, re-inspection.

Thin: authorize through the selectors (scope + role), call services, render. A failed submit
re-renders the form with every value typed (the draft was saved first) and the legal reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.exports import export_response
from anjian.core.pagination import paginate
from anjian.core.permissions import user_can
from anjian.core.xlsx import wants_xlsx
from anjian.inspections import selectors, services
from anjian.inspections.models import (
    Acknowledgement,
    AttachmentKind,
    Domain,
    FindingStatus,
    HazardLevel,
    Inspection,
    InspectionKind,
    InspectionStatus,
    ItemResultValue,
    Measure,
    OnSiteMeasureKind,
    OrderStatus,
    ReinspectionOutcome,
)
from anjian.law.core.catalog import default_catalog
from anjian.planning.models import InspectionTask
from anjian.registry import selectors as registry_selectors
from anjian.registry.models import Enterprise, KeyTag, Officer
from anjian.registry.selectors import EnterpriseFilters


def _denied(error: PermissionDenied) -> DjangoPermissionDenied:
    return DjangoPermissionDenied(error.localized_message)


def _require(user: Any, action: str) -> None:
    try:
        selectors.require(user, action)
    except PermissionDenied as error:
        raise _denied(error) from None


# ---------------------------------------------------------------------------------------------
# My tasks, start


def _url_for_rows(name: str) -> Any:
    """``reverse`` once for a list: the URL of row ``pk`` is the pattern with its id."""
    pattern = reverse(name, args=[0])
    head, tail = pattern.rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.view")
    data = selectors.my_tasks(request.user)
    for rows, name in (
        (data.tasks, "inspections:start_task"),
        (data.drafts, "inspections:record"),
        (data.orders, "inspections:order_detail"),
    ):
        url = _url_for_rows(name)
        for row in rows:
            row["url"] = url(row["id"])
    return render(
        request,
        "inspections/my_tasks.html",
        {
            "data": data,
            "can_record": user_can(request.user, "inspections.record"),
        },
    )


def _list_page(
    request: HttpRequest,
    *,
    export: str,
    parse: Any,
    read: Any,
    shape: Any,
    template: str,
    extra: dict[str, Any],
) -> HttpResponseBase:
    """A filtered, paginated list of records or orders; ``?format=xlsx`` exports the same rows.
    A filter that cannot be read is named above the list, which is shown without it."""
    _require(request.user, "inspections.view")
    error = None
    try:
        filters = parse(request.GET)
    except DomainError as refused:
        error = refused.localized_message
        filters = parse({})
    if wants_xlsx(request) and error is None:
        return export_response(request, export)
    page = paginate(read(request.user, filters), request.GET.get("page"), request.GET.get("size"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        template,
        {
            "rows": [shape(row, today) for row in page.items],
            "page": page,
            "query": query.urlencode(),
            "get": request.GET,
            "filter_error": error,
            **extra,
        },
        status=422 if error else 200,
    )


@login_required
def record_list(request: HttpRequest) -> HttpResponseBase:
    return _list_page(
        request,
        export="inspections.records",
        parse=selectors.record_filters,
        read=selectors.records,
        shape=selectors.record_row,
        template="inspections/record_list.html",
        extra={"kinds": InspectionKind.choices, "statuses": InspectionStatus.choices},
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponseBase:
    return _list_page(
        request,
        export="inspections.orders",
        parse=selectors.order_filters,
        read=selectors.orders,
        shape=selectors.order_row,
        template="inspections/order_list.html",
        extra={"statuses": OrderStatus.choices},
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Find an enterprise by name or credit code, then start an inspection there."""
    _require(request.user, "inspections.record")
    keyword = request.GET.get("q", "").strip()[:100]
    results: list[Enterprise] = []
    if keyword:
        try:
            results = list(
                registry_selectors.enterprises(request.user, EnterpriseFilters(q=keyword))[:30]
            )
        except PermissionDenied as error:
            raise _denied(error) from None
    return render(
        request,
        "inspections/start.html",
        {"q": keyword, "results": results, "kinds": _start_kinds()},
    )


def _start_kinds() -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in InspectionKind if k != InspectionKind.REINSPECTION]


def _my_agency(request: HttpRequest) -> Any:
    officer = selectors.officer_of(request.user)
    if officer is None:
        raise DjangoPermissionDenied(_("只有执法人员可以开展现场检查。"))
    return officer


@login_required
@require_POST
def start_for_enterprise(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    _require(request.user, "inspections.record")
    officer = _my_agency(request)
    try:
        enterprise = registry_selectors.enterprise_for(request.user, enterprise_id)
    except PermissionDenied as error:
        raise _denied(error) from None
    try:
        inspection = services.start_inspection(
            actor=request.user,
            enterprise=enterprise,
            agency=officer.agency,
            kind=request.POST.get("kind", InspectionKind.PLANNED),
            officers=[officer],
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
        return redirect("inspections:start")
    return redirect("inspections:record", pk=inspection.pk)


@login_required
@require_POST
def start_task(request: HttpRequest, task_id: int) -> HttpResponse:
    _require(request.user, "inspections.record")
    officer = _my_agency(request)
    try:
        task = (
            InspectionTask.objects.visible_to(request.user)
            .select_related("enterprise__region", "agency")
            .get(pk=task_id)
        )
    except InspectionTask.DoesNotExist:
        raise Http404 from None
    try:
        inspection = services.start_inspection(
            actor=request.user,
            enterprise=task.enterprise,
            agency=task.agency or officer.agency,
            kind=task.kind,
            task=task,
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
        return redirect("inspections:my_tasks")
    return redirect("inspections:record", pk=inspection.pk)


# ---------------------------------------------------------------------------------------------
# The record form


def _local_input(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _parse_local(value: str) -> dt.datetime | None:
    parsed = parse_datetime(value.strip()) if value and value.strip() else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _violation_choices(item: Any, catalog: Any) -> list[tuple[str, str]]:
    choices = []
    for code in item.violation_codes:
        try:
            choices.append((code, catalog.violation(code).title_zh))
        except KeyError:
            continue
    return choices


def _values_from_db(inspection: Inspection) -> dict[str, Any]:
    values: dict[str, Any] = {
        "started_at": _local_input(inspection.started_at),
        "ended_at": _local_input(inspection.ended_at),
        "place": inspection.place,
        "summary": inspection.summary,
        "officers": [str(o.pk) for o in inspection.officers.all()],
        "representative_name": inspection.representative_name,
        "representative_title": inspection.representative_title,
        "acknowledgement": inspection.acknowledgement,
        "refusal_note": inspection.refusal_note,
        "witness_name": inspection.witness_name,
    }
    for result in inspection.results.all():
        values[f"r-{result.item_id}"] = result.result
        values[f"n-{result.item_id}"] = result.note
    for finding in inspection.findings.all():
        key = finding.item_id
        if f"fid-{key}" in values:
            continue
        values.update(
            {
                f"fid-{key}": str(finding.pk),
                f"fd-{key}": finding.description,
                f"fl-{key}": finding.location,
                f"fh-{key}": finding.hazard_level,
                f"fv-{key}": finding.violation_code,
                f"fm-{key}": finding.measure,
                f"fdl-{key}": finding.deadline.isoformat() if finding.deadline else "",
                f"fp-{key}": "1" if finding.propose_case else "",
            }
        )
    return values


def _values_from_post(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {key: request.POST.get(key, "") for key in request.POST}
    values["officers"] = request.POST.getlist("officers")
    return values


def _record_context(
    request: HttpRequest, inspection: Inspection, values: dict[str, Any], errors: list[str]
) -> dict[str, Any]:
    catalog = default_catalog()
    items = selectors.items_of(inspection.item_list)
    if inspection.scheme_id:
        allowed = set(inspection.scheme.items.values_list("pk", flat=True))  # type: ignore[union-attr]
        items = [i for i in items if i.pk in allowed]
    applicable = selectors.applicable_items(
        items, inspection.enterprise, {t.tag for t in inspection.enterprise.tags.all()}
    )
    photos: dict[int | None, list[Any]] = {}
    signature = None
    for attachment in inspection.attachments.all():
        if attachment.kind == AttachmentKind.SIGNATURE:
            signature = attachment
        else:
            photos.setdefault(attachment.finding_id, []).append(attachment)
    findings_by_id = {f.pk: f for f in inspection.findings.all()}
    rows = []
    for item in applicable:
        key = item.pk
        finding_id = values.get(f"fid-{key}") or ""
        finding = findings_by_id.get(int(finding_id)) if str(finding_id).isdecimal() else None
        rows.append(
            {
                "item": item,
                "result": values.get(f"r-{key}", ""),
                "note": values.get(f"n-{key}", ""),
                "finding_id": finding_id,
                "description": values.get(f"fd-{key}", ""),
                "location": values.get(f"fl-{key}", ""),
                "hazard": values.get(f"fh-{key}", HazardLevel.ORDINARY),
                "violation": values.get(f"fv-{key}", ""),
                "measure": values.get(f"fm-{key}", Measure.RECTIFICATION),
                "deadline": values.get(f"fdl-{key}", ""),
                "propose": bool(values.get(f"fp-{key}")),
                "violations": _violation_choices(item, catalog),
                "photos": photos.get(finding.pk, []) if finding else [],
                "open": values.get(f"r-{key}") == ItemResultValue.FINDING
                or bool(values.get(f"fd-{key}")),
            }
        )
    sections = [
        (
            _("通用事项：安全生产"),
            [
                r
                for r in rows
                if r["item"].category == "general" and r["item"].domain == Domain.WORK_SAFETY
            ],
        ),
        (
            _("通用事项：职业卫生"),
            [
                r
                for r in rows
                if r["item"].category == "general"
                and r["item"].domain == Domain.OCCUPATIONAL_HEALTH
            ],
        ),
        (_("重点行业领域事项"), [r for r in rows if r["item"].category != "general"]),
    ]
    recorded = sum(1 for r in rows if r["result"])
    return {
        "inspection": inspection,
        "values": values,
        "errors": errors,
        "sections": [(title, section) for title, section in sections if section],
        "recorded": recorded,
        "total": len(rows),
        "team": [
            (o, o.valid_certificate(inspection.inspected_on) is not None)
            for o in selectors.team_candidates(request.user, inspection.agency_id)
        ],
        "today": timezone.localdate(),
        "signature": signature,
        "loose_photos": photos.get(None, []),
        "results": ItemResultValue.choices,
        "hazard_levels": HazardLevel.choices,
        "measures": Measure.choices,
        "acknowledgements": [c for c in Acknowledgement.choices if c[0]],
        "min_deadline": (inspection.inspected_on + dt.timedelta(days=1)).isoformat(),
        "measure_kinds": OnSiteMeasureKind.choices,
        "can_record": True,
    }


def _parse_record(
    request: HttpRequest, inspection: Inspection, errors: list[str]
) -> services.RecordInput:
    post = request.POST
    started = _parse_local(post.get("started_at", ""))
    if post.get("started_at") and started is None:
        errors.append(_("检查开始时间格式不正确，已保留原时间。"))
    ended = _parse_local(post.get("ended_at", ""))
    if post.get("ended_at") and ended is None:
        errors.append(_("检查结束时间格式不正确。"))
    officer_ids = [v for v in post.getlist("officers") if v.isdecimal()]
    officers = list(
        Officer.objects.visible_to(request.user).filter(pk__in=officer_ids, is_active=True)
    )
    results: list[services.ResultInput] = []
    findings: list[services.FindingInput] = []
    item_ids = sorted(
        {
            int(key.split("-", 1)[1])
            for key in post
            if key.split("-", 1)[0] in {"r", "n", "fd"} and key.split("-", 1)[-1].isdecimal()
        }
    )
    for item_id in item_ids:
        result = post.get(f"r-{item_id}", "")
        note = post.get(f"n-{item_id}", "").strip()
        if result:
            results.append(services.ResultInput(item_id=item_id, result=result, note=note))
        description = post.get(f"fd-{item_id}", "").strip()
        if result == ItemResultValue.FINDING or description:
            deadline_text = post.get(f"fdl-{item_id}", "").strip()
            deadline = parse_date(deadline_text) if deadline_text else None
            if deadline_text and deadline is None:
                errors.append(_("整改期限“%(text)s”格式不正确。") % {"text": deadline_text})
            finding_id = post.get(f"fid-{item_id}", "")
            findings.append(
                services.FindingInput(
                    id=int(finding_id) if finding_id.isdecimal() else None,
                    item_id=item_id,
                    description=description,
                    location=post.get(f"fl-{item_id}", ""),
                    hazard_level=post.get(f"fh-{item_id}", HazardLevel.ORDINARY),
                    violation_code=post.get(f"fv-{item_id}", ""),
                    measure=post.get(f"fm-{item_id}", Measure.RECTIFICATION),
                    deadline=deadline,
                    propose_case=bool(post.get(f"fp-{item_id}")),
                )
            )
    return services.RecordInput(
        started_at=started,
        ended_at=ended,
        place=post.get("place", ""),
        officers=officers,
        summary=post.get("summary", ""),
        results=results,
        findings=findings,
        representative_name=post.get("representative_name", ""),
        representative_title=post.get("representative_title", ""),
        acknowledgement=post.get("acknowledgement", ""),
        refusal_note=post.get("refusal_note", ""),
        witness_name=post.get("witness_name", ""),
    )


def _store_uploads(request: HttpRequest, inspection: Inspection, errors: list[str]) -> None:
    findings_by_item = {f.item_id: f for f in inspection.findings.all()}
    for key in request.FILES:
        if key.startswith("ph-"):
            item_id = key[3:]
            finding = findings_by_item.get(int(item_id)) if item_id.isdecimal() else None
            if finding is None:
                errors.append(_("照片须附在已填写问题描述的事项下，请先填写问题描述。"))
                continue
            for upload in request.FILES.getlist(key):
                try:
                    services.add_attachment(
                        actor=request.user, inspection=inspection, upload=upload, finding=finding
                    )
                except DomainError as error:
                    errors.append(error.localized_message)
    signature = request.FILES.get("signature")
    if signature is not None:
        try:
            services.add_attachment(
                actor=request.user,
                inspection=inspection,
                upload=signature,
                kind=AttachmentKind.SIGNATURE,
            )
        except DomainError as error:
            errors.append(error.localized_message)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        inspection = selectors.inspection_for_update(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    if not inspection.is_draft:
        return redirect("inspections:detail", pk=inspection.pk)
    if request.method == "GET":
        context = _record_context(request, inspection, _values_from_db(inspection), [])
        return render(request, "inspections/record.html", context)
    errors: list[str] = []
    data = _parse_record(request, inspection, errors)
    try:
        services.save_draft(actor=request.user, inspection=inspection, data=data)
    except DomainError as error:
        errors.append(error.localized_message)
        context = _record_context(request, inspection, _values_from_post(request), errors)
        return render(request, "inspections/record.html", context, status=400)
    inspection = selectors.inspection_for(request.user, pk)
    _store_uploads(request, inspection, errors)
    inspection = selectors.inspection_for(request.user, pk)
    values = _values_from_post(request)
    # After the save every finding has an id: keep it in the re-rendered form.
    for finding in inspection.findings.all():
        values[f"fid-{finding.item_id}"] = str(finding.pk)
    if errors:
        context = _record_context(request, inspection, values, errors)
        return render(request, "inspections/record.html", context, status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, _("草稿已保存。"))
        return redirect("inspections:record", pk=inspection.pk)
    try:
        submitted = services.submit_inspection(actor=request.user, inspection=inspection)
    except DomainError as error:
        context = _record_context(
            request,
            inspection,
            values,
            [_("未能提交（草稿已保存）：%(error)s") % {"error": error.localized_message}],
        )
        return render(request, "inspections/record.html", context, status=400)
    text = _("检查记录已提交：%(number)s。") % {"number": submitted.number}
    order = getattr(submitted, "rectification_order", None)
    if order is not None:
        text += _("已下达责令限期整改指令书：%(number)s。") % {"number": order.number}
    messages.success(request, text)
    return redirect("inspections:detail", pk=submitted.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        inspection = selectors.inspection_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    order = getattr(inspection, "rectification_order", None) if not inspection.is_draft else None
    results = {r.item_id: r for r in inspection.results.all()}
    items = {i.pk: i for i in selectors.items_of(inspection.item_list) if i.pk in results}
    photos: dict[int | None, list[Any]] = {}
    for attachment in inspection.attachments.all():
        photos.setdefault(attachment.finding_id, []).append(attachment)
    findings = [(f, photos.get(f.pk, [])) for f in inspection.findings.all()]
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "order": order,
            "schedule": selectors.reinspection_schedule(order) if order else None,
            "results": [(items[i], r) for i, r in results.items() if i in items],
            "findings": findings,
            "signature": next(
                (a for a in inspection.attachments.all() if a.kind == AttachmentKind.SIGNATURE),
                None,
            ),
            "measure_kinds": OnSiteMeasureKind.choices,
            "can_record": user_can(request.user, "inspections.record"),
            "proposals": list(inspection.case_proposals.all()),
            "today": timezone.localdate(),
        },
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.attachment_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    content = services.read_verified_attachment(actor=request.user, attachment=item)
    response = HttpResponse(content, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{item.sha256}"'
    return response


@login_required
@require_POST
def decide_measure(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        inspection = selectors.inspection_for_update(request.user, pk)
        finding = selectors.finding_for(request.user, request.POST.get("finding"))
    except PermissionDenied as error:
        raise _denied(error) from None
    try:
        measure = services.decide_onsite_measure(
            actor=request.user,
            inspection=inspection,
            finding=finding,
            kind=request.POST.get("kind", ""),
            target=request.POST.get("target", ""),
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(
            request, _("已作出现场处理措施决定：%(number)s。") % {"number": measure.number}
        )
    return redirect(
        "inspections:record" if inspection.is_draft else "inspections:detail", pk=inspection.pk
    )


@login_required
@require_POST
def lift_measure(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        selectors.require(request.user, "inspections.record")
        measure = selectors.onsite_measure_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    try:
        services.lift_onsite_measure(
            actor=request.user,
            measure=measure,
            lifted_on=timezone.localdate(),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, _("现场处理措施已解除。"))
    return redirect("inspections:detail", pk=measure.inspection_id)


# ---------------------------------------------------------------------------------------------
# Rectification orders and re-inspection


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        order = selectors.order_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    today = timezone.localdate()
    open_findings = [f for f in order.findings.all() if f.status == FindingStatus.OPEN]
    values: dict[str, Any] = {"performed_on": today.isoformat(), "officers": []}
    error_text = ""
    status = 200
    if request.method == "POST":
        try:
            selectors.require(request.user, "inspections.record")
        except PermissionDenied as error:
            raise _denied(error) from None
        values = _values_from_post(request)
        performed_on = parse_date(request.POST.get("performed_on", "") or "") or None
        officers = list(
            Officer.objects.visible_to(request.user).filter(
                pk__in=[v for v in request.POST.getlist("officers") if v.isdecimal()]
            )
        )
        outcomes = [
            services.OutcomeInput(
                finding_id=f.pk,
                outcome=request.POST.get(f"o-{f.pk}", ""),
                note=request.POST.get(f"on-{f.pk}", ""),
            )
            for f in open_findings
            if request.POST.get(f"o-{f.pk}")
        ]
        if performed_on is None:
            error_text = _("请填写复查日期。")
        else:
            try:
                reinspection = services.reinspect(
                    actor=request.user,
                    order=order,
                    performed_on=performed_on,
                    officers=officers,
                    outcomes=outcomes,
                    early_reason=request.POST.get("early_reason", ""),
                    notes=request.POST.get("notes", ""),
                )
            except DomainError as error:
                error_text = error.localized_message
            else:
                text = _("整改复查已记录：%(number)s，结论：%(outcome)s。") % {
                    "number": reinspection.number,
                    "outcome": reinspection.get_outcome_display(),
                }
                if reinspection.outcome == ReinspectionOutcome.NOT_RECTIFIED:
                    text += _("已生成立案建议。")
                messages.success(request, text)
                return redirect("inspections:order_detail", pk=order.pk)
        status = 400
    rows = [
        {
            "finding": f,
            "outcome": values.get(f"o-{f.pk}", ""),
            "note": values.get(f"on-{f.pk}", ""),
        }
        for f in open_findings
    ]
    return render(
        request,
        "inspections/order_detail.html",
        {
            "order": order,
            "schedule": selectors.reinspection_schedule(order, today=today),
            "rows": rows,
            "values": values,
            "error": error_text,
            "team": [
                (o, o.valid_certificate(today) is not None)
                for o in selectors.team_candidates(request.user, order.inspection.agency_id)
            ],
            "outcomes": ReinspectionOutcome.choices,
            "is_early": any(f.deadline and today < f.deadline for f in open_findings),
            "can_record": user_can(request.user, "inspections.record"),
            "all_findings": list(order.findings.all()),
            "reinspections": list(order.reinspections.all()),
        },
        status=status,
    )


@login_required
def enterprise_history(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    try:
        page = selectors.enterprise_history(
            request.user, enterprise_id, page=request.GET.get("page")
        )
    except PermissionDenied as error:
        raise _denied(error) from None
    record_url = _url_for_rows("inspections:detail")
    order_url = _url_for_rows("inspections:order_detail")
    for row in page.items:
        row["url"] = record_url(row["id"])
        row["order_url"] = order_url(row["order_id"]) if row["order_id"] else ""
    return render(
        request,
        "inspections/enterprise_history.html",
        {"page": page, "can_record": user_can(request.user, "inspections.record")},
    )


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """The section head's page: every overdue rectification and every case proposal in scope."""
    _require(request.user, "inspections.supervise")
    today = timezone.localdate()
    return render(
        request,
        "inspections/supervision.html",
        {
            "orders": [
                (o, selectors.reinspection_schedule(o, today=today))
                for o in selectors.overdue_orders(request.user)
            ],
            "proposals": list(selectors.case_proposals(request.user)[:100]),
            "today": today,
        },
    )


# ---------------------------------------------------------------------------------------------
# Schemes


class SchemeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("方案名称"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("检查方式"), choices=InspectionKind.choices)
    period_start = forms.DateField(
        label=gettext_lazy("检查期间起"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("检查期间止"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scope_note = forms.CharField(
        label=gettext_lazy("检查范围说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    enterprise_codes = forms.CharField(
        label=gettext_lazy("点名检查对象（统一社会信用代码，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    selection_industry = forms.CharField(
        label=gettext_lazy("筛选：行业代码前缀"), required=False, max_length=5
    )
    selection_tag = forms.ChoiceField(
        label=gettext_lazy("筛选：重点监管类别"),
        required=False,
        choices=[("", "—"), *KeyTag.choices],
    )
    items = forms.MultipleChoiceField(
        label=gettext_lazy("检查事项"), widget=forms.CheckboxSelectMultiple
    )
    officers = forms.MultipleChoiceField(
        label=gettext_lazy("检查组成员"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, items: list[Any], officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field: Any = self.fields["items"]
        officer_field: Any = self.fields["officers"]
        item_field.choices = [(str(i.pk), f"{i.code} {i.title}") for i in items]
        officer_field.choices = [(str(o.pk), o.name) for o in officers]


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.view")
    return render(
        request,
        "inspections/scheme_list.html",
        {
            "schemes": list(selectors.schemes(request.user)[:200]),
            "can_draft": user_can(request.user, "inspections.draft_scheme"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.draft_scheme")
    officer = _my_agency(request)
    item_list = selectors.current_item_list(request.user)
    items = selectors.items_of(item_list) if item_list is not None else []
    team = selectors.team_candidates(request.user, officer.agency_id)
    form = SchemeForm(request.POST or None, items=items, officers=team)
    notice = ""
    if item_list is None:
        notice = _("尚未公布检查事项清单，不能编制检查方案（%(basis)s）。") % {
            "basis": services.LEGAL_LIST
        }
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = [c.strip().upper() for c in data["enterprise_codes"].split() if c.strip()]
        enterprises = (
            list(registry_selectors.enterprises(request.user).filter(uscc__in=codes))
            if codes
            else []
        )
        missing = sorted(set(codes) - {e.uscc for e in enterprises})
        if missing:
            form.add_error(
                "enterprise_codes",
                _("以下代码不存在或不在您的管辖范围内：%(codes)s") % {"codes": "、".join(missing)},
            )
        else:
            chosen_items = [i for i in items if str(i.pk) in set(data["items"])]
            chosen_officers = [o for o in team if str(o.pk) in set(data["officers"])]
            try:
                scheme = services.create_scheme(
                    actor=request.user,
                    agency=officer.agency,
                    data=services.SchemeInput(
                        title=data["title"],
                        kind=data["kind"],
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        scope_note=data["scope_note"],
                        enterprises=enterprises,
                        selection={
                            "industry": data["selection_industry"].strip(),
                            "tag": data["selection_tag"],
                        },
                        items=chosen_items,
                        officers=chosen_officers,
                    ),
                )
            except DomainError as error:
                form.add_error(None, error.localized_message)
            else:
                messages.success(request, _("检查方案已保存，请报批。"))
                return redirect("inspections:scheme_detail", pk=scheme.pk)
    status = 400 if request.method == "POST" and (form.errors or item_list is None) else 200
    return render(
        request,
        "inspections/scheme_form.html",
        {"form": form, "notice": notice},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        scheme = selectors.scheme_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                selectors.require(request.user, "inspections.draft_scheme")
                services.submit_scheme(actor=request.user, scheme=scheme)
                messages.success(request, _("方案已报批。"))
            elif action in {"approve", "reject"}:
                selectors.require(request.user, "inspections.approve_scheme")
                services.decide_scheme(
                    actor=request.user,
                    scheme=scheme,
                    approve=action == "approve",
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request, _("方案已批准。") if action == "approve" else _("方案已退回。")
                )
        except PermissionDenied as error:
            raise _denied(error) from None
        except DomainError as error:
            messages.error(request, error.localized_message)
        return redirect("inspections:scheme_detail", pk=scheme.pk)
    return render(
        request,
        "inspections/scheme_detail.html",
        {
            "scheme": scheme,
            "can_draft": user_can(request.user, "inspections.draft_scheme"),
            "can_approve": user_can(request.user, "inspections.approve_scheme"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Item list


@login_required
@require_http_methods(["GET", "POST"])
def item_lists(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.view")
    if request.method == "POST":
        _require(request.user, "inspections.manage_items")
        try:
            published = services.publish_packaged_item_list(actor=request.user)
        except DomainError as error:
            messages.error(request, error.localized_message)
        else:
            messages.success(
                request, _("现行检查事项清单：第%(version)s版。") % {"version": published.version}
            )
        return redirect("inspections:item_lists")
    return render(
        request,
        "inspections/item_lists.html",
        {
            "lists": list(selectors.item_lists(request.user)),
            "can_manage": user_can(request.user, "inspections.manage_items"),
        },
    )


@login_required
def item_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item_list = selectors.item_list_for(request.user, pk)
    except PermissionDenied as error:
        raise _denied(error) from None
    return render(
        request,
        "inspections/item_list_detail.html",
        {
            "item_list": item_list,
            "items": selectors.items_of(item_list),
            "tags": dict(KeyTag.choices),
        },
    )


# ---------------------------------------------------------------------------------------------
# Figures


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.figures")
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = (
        int(year_text) if year_text.isdecimal() and 2000 <= int(year_text) <= 2100 else today.year
    )
    data = selectors.figures(request.user, year=year)
    kinds = dict(InspectionKind.choices)
    domains = dict(Domain.choices)
    return render(
        request,
        "inspections/figures.html",
        {"data": data, "year": year, "kinds": kinds, "domains": domains},
    )
