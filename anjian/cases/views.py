"""Case pages: the list with next deadlines, the deadline overview, filing, the on-the-spot
procedure, and the case page that says what the law requires next and why a blocked step is blocked.

Thin: authorize through the selectors (scope + role), call ``services.perform``, render. Every form
carries the case version; a stale one is refused (someone acted first) and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from anjian.cases import discretion, forms, presenters, records, selectors, services
from anjian.cases.deadlines import FLAG_LABELS_ZH
from anjian.cases.exports import case_filters
from anjian.cases.guards import elements_for
from anjian.cases.models import Case, CaseSource, CaseStatus, Gender, PartyRole
from anjian.cases.selectors import CaseFilters
from anjian.cases.transitions import STATE_GUIDE, TRANSITIONS
from anjian.core.errors import Conflict, DomainError, PermissionDenied
from anjian.core.exports import export_response
from anjian.core.pagination import paginate
from anjian.core.permissions import user_can
from anjian.core.xlsx import wants_xlsx
from anjian.inspections.models import CaseProposal
from anjian.law.core.catalog import default_catalog
from anjian.registry.models import Enterprise, Officer

NOT_AN_OFFICER = DomainError(
    "not_an_officer",
    "只有执法机构的执法人员可以立案或者当场处罚。",
    "Only an agency's officers file cases.",
    status=403,
)


def _filters(request: HttpRequest) -> CaseFilters:
    return case_filters(request.GET)


@login_required
def case_list(request: HttpRequest) -> HttpResponseBase:
    if wants_xlsx(request):
        return export_response(request, "cases.cases")
    queryset = selectors.cases(request.user, _filters(request)).values(*selectors.LIST_FIELDS)
    page = paginate(queryset, request.GET.get("page"), request.GET.get("size", 50))
    today = timezone.localdate()
    rows = [presenters.row_values(c, today) for c in page.items]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "get": request.GET,
        "statuses": CaseStatus.choices,
        "can_propose": user_can(request.user, "cases.propose"),
    }
    template = (
        "cases/_case_rows.html" if getattr(request, "htmx", False) else "cases/case_list.html"
    )
    return render(request, template, context)


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    """Open cases' next deadlines per agency and per handling officer, and the overdue ones."""
    base = selectors.cases(request.user)
    today = timezone.localdate()
    by_agency = selectors.deadline_summary(request.user, "agency", today)
    by_officer = selectors.deadline_summary(request.user, "officer", today)
    overdue = [
        presenters.row_values(c, today)
        for c in base.filter(next_deadline_on__lt=today).values(*selectors.LIST_FIELDS)[:100]
    ]
    flagged = [
        presenters.row_values(c, today)
        for c in base.exclude(next_deadline_flag="").values(*selectors.LIST_FIELDS)[:100]
    ]
    return render(
        request,
        "cases/deadlines.html",
        {"by_agency": by_agency, "by_officer": by_officer, "overdue": overdue, "flagged": flagged},
    )


def _parse_new_case(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    payload: dict[str, Any] = {
        "source_kind": post.get("source_kind") or CaseSource.INSPECTION_FINDING,
        "source_reference": post.get("source_reference", ""),
        "is_accident_case": post.get("is_accident_case") == "on",
        "accident_grade": post.get("accident_grade", ""),
        "discovered_on": post.get("discovered_on") or None,
        "on": post.get("on") or None,
        "officer_ids": post.getlist("officer_ids"),
    }
    if post.get("source_proposal_id"):
        payload["source_proposal_id"] = post.get("source_proposal_id")
        return payload
    parties: list[dict[str, Any]] = []
    if post.get("enterprise_id"):
        parties.append({"kind": "unit", "role": "unit", "enterprise_id": post.get("enterprise_id")})
    if post.get("person_name"):
        parties.append(
            {
                "kind": "person",
                "role": post.get("person_role") or "principal_person",
                "name": post.get("person_name"),
                "id_number": post.get("person_id_number", ""),
                "gender": post.get("person_gender", ""),
                "employer": post.get("person_employer", ""),
                "job_title": post.get("person_job_title", ""),
                "phone": post.get("person_phone", ""),
                "address": post.get("person_address", ""),
            }
        )
    payload["parties"] = parties
    payload["violations"] = [
        {
            "party": 0,
            "violation_code": post.get("violation_code", "").strip(),
            "act_date": post.get("act_date") or None,
            "act_ended_on": post.get("act_ended_on") or None,
            "endangers_life_or_health": post.get("endangers_life_or_health") == "on",
            "facts": post.get("facts", ""),
            "stage": post.get("stage") or "first_order",
            "circumstances": post.get("circumstances", ""),
        }
    ]
    return payload


def _new_case_context(request: HttpRequest) -> dict[str, Any]:
    officer = selectors.officer_of(request.user)
    agency = officer.agency if officer else None
    today = timezone.localdate()
    return {
        "agency": agency,
        "officers": Officer.objects.visible_to(request.user)
        .filter(agency=agency, is_active=True)
        .order_by("name")
        if agency
        else [],
        "enterprises": Enterprise.objects.visible_to(request.user).order_by("name")[:500],
        "proposals": CaseProposal.objects.visible_to(request.user)
        .filter(status="proposed")
        .select_related("enterprise")[:100],
        "violation_types": [v for v in default_catalog().in_force(today)],
        "sources": CaseSource.choices,
        "roles": [c for c in PartyRole.choices if c[0] != "unit"],
        "genders": Gender.choices,
        "stages": forms.STAGES,
        "today": today.isoformat(),
        "post": request.POST,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "cases.propose")
    error = None
    if request.method == "POST":
        officer = selectors.officer_of(request.user)
        if officer is None:
            raise NOT_AN_OFFICER
        try:
            case = services.create_case(
                actor=request.user, agency=officer.agency, payload=_parse_new_case(request)
            )
            messages.success(
                request,
                gettext("已提交立案申请，案件编号 %(reference)s。") % {"reference": case.reference},
            )
            return redirect("cases:detail", pk=case.pk)
        except DomainError as exc:
            error = exc
    context = _new_case_context(request)
    context["error"] = error
    context["selected_proposal"] = request.GET.get("proposal", "")
    return render(request, "cases/case_new.html", context, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def on_the_spot(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "cases.handle")
    error = None
    if request.method == "POST":
        officer = selectors.officer_of(request.user)
        payload = _parse_new_case(request)
        payload["penalties"] = [
            {
                "violation": 0,
                "kind": request.POST.get("penalty_kind", "fine"),
                "amount": request.POST.get("amount") or None,
                "reason": request.POST.get("reason", ""),
            }
        ]
        code = request.POST.get("violation_code", "").strip()
        payload["proofs"] = (
            [
                {
                    "violation": 0,
                    "element_index": index,
                    "evidence_id": request.POST.get("evidence_id"),
                }
                for index, _ in enumerate(elements_for(code))
            ]
            if request.POST.get("evidence_id") and request.POST.get("proves_all") == "on"
            else []
        )
        payload["delivery_recipient"] = request.POST.get("delivery_recipient", "")
        if officer is None:
            raise NOT_AN_OFFICER
        try:
            case = services.create_case(
                actor=request.user,
                agency=officer.agency,
                action="decide_on_the_spot",
                payload=payload,
            )
            messages.success(
                request,
                gettext("已当场作出处罚决定并交付，案件编号 %(reference)s。")
                % {"reference": case.reference},
            )
            return redirect("cases:detail", pk=case.pk)
        except DomainError as exc:
            error = exc
    context = _new_case_context(request)
    context["error"] = error
    from anjian.cases.procedure import simplified_limits

    context["limits"] = simplified_limits(timezone.localdate())
    return render(request, "cases/on_the_spot.html", context, status=error.status if error else 200)


def _penalty_hints(case: Case) -> list[dict[str, Any]]:
    """Per violation, the engine's range, tier and recommendation (``discretion.assess_violation``,
    as the proposal itself is assessed), or why the engine cannot assess it."""
    hints = []
    today = timezone.localdate()
    for violation in case.violations.select_related("party"):
        try:
            a = discretion.assess_violation(violation, case=case, on=today)
        except DomainError as error:
            hints.append({"violation": violation, "error": error.localized_message})
            continue
        hints.append(
            {
                "violation": violation,
                "assessment": a,
                "kinds": [(k, label) for k, label in forms.KIND_CHOICES if k in a.allowed_kinds]
                or forms.KIND_CHOICES,
                "tier_label": gettext(discretion.tier_label(a.tier)),
            }
        )
    return hints


@dataclass(frozen=True)
class RefusedForm:
    """A step's form refused on the case page: shown again, open, with the message and what was
    entered (a file input cannot be refilled: the message asks for the file again)."""

    action: str
    post: Any
    message: str


def _case_page(
    request: HttpRequest, case: Case, refused: RefusedForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    states = services.action_states(case, request.user)
    possible = [s for s in states if s.possible]
    blocked = [s for s in states if s.permitted and not s.possible and not s.idle]
    action_forms = {
        s.action: forms.rendered_fields(
            s.action,
            case,
            request.user,
            entered=refused.post if refused and refused.action == s.action else None,
        )
        for s in possible
    }
    if refused is not None and refused.action not in action_forms:
        # The step is not offered now (a guard blocks it): its message at the top of the page.
        messages.error(request, refused.message)
    context = {
        "case": case,
        "deadline": presenters.deadline_dict(case, today),
        "flag_labels": FLAG_LABELS_ZH,
        "guide": STATE_GUIDE.get(case.status, ""),
        "possible": possible,
        "blocked": blocked,
        "action_forms": action_forms,
        "refused": refused,
        "violations": selectors.violation_rows(case),
        "evidence": selectors.case_evidence(case),
        "penalties": selectors.current_penalties(case),
        "penalty_history": case.penalties.exclude(proposal_version=case.proposal_version).order_by(
            "proposal_version", "id"
        ),
        "penalty_hints": _penalty_hints(case) if "propose_penalty" in action_forms else [],
        "orders": case.orders.all(),
        "payments": case.payments.all(),
        "flags": case.flags.all(),
        "timeline": selectors.timeline(case),
        "preservations": selectors.preservations(case),
        "officers": case.case_officers.select_related("officer"),
        "parties": case.parties.all(),
        "money": presenters.money_dict(case, today) if case.fine_total else None,
        "triggers": case.procedure_triggers or {},
        "today": today,
        "records": selectors.case_records(case),
        "record_kinds": [(k, s.label) for k, s in records.SPECS.items()],
        "can_record": user_can(request.user, "cases.handle"),
    }
    return render(
        request,
        "cases/case_detail.html",
        context,
        status=422 if refused is not None else 200,
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, selectors.case_for(request.user, pk))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _add_evidence(request: HttpRequest, case: Case) -> HttpResponse:
    """Add evidence with its file: a refused file (type, size, content) or a refused field saves
    nothing and shows the form again, open, with the message and the fields as entered."""
    try:
        _, record = services.add_evidence(
            case=case,
            actor=request.user,
            version=_version(request),
            reason=request.POST.get("reason", ""),
            payload=forms.payload_from_post("add_evidence", request.POST),
            upload=request.FILES.get("file"),
        )
    except PermissionDenied:
        raise  # 403 page: the role does not allow this step
    except DomainError as error:
        refused = RefusedForm("add_evidence", request.POST, error.localized_message)
        return _case_page(request, selectors.case_for(request.user, case.pk), refused)
    if record is not None:
        messages.success(
            request,
            gettext("已上传“%(name)s”（SHA-256 %(sha256)s…）。")
            % {"name": record.original_name, "sha256": record.sha256[:16]},
        )
    messages.success(
        request, gettext("已办理：%(action)s。") % {"action": gettext(_label("add_evidence"))}
    )
    return redirect(f"{case.get_absolute_url()}#top")


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if action == "add_evidence":
        return _add_evidence(request, case)
    payload = forms.payload_from_post(action, request.POST)
    try:
        services.perform(
            case=case,
            action=action,
            actor=request.user,
            version=_version(request),
            reason=request.POST.get("reason", ""),
            payload=payload,
        )
        messages.success(
            request, gettext("已办理：%(action)s。") % {"action": gettext(_label(action))}
        )
    except PermissionDenied:
        raise  # 403 page: the role does not allow this step
    except Conflict as error:
        # Someone acted first (or the step is done): the page is read again, not the form.
        messages.error(request, error.localized_message)
    except DomainError as error:
        # The step's form again, open, with the message and what was entered.
        refused = RefusedForm(action, request.POST, error.localized_message)
        return _case_page(request, selectors.case_for(request.user, case.pk), refused)
    return redirect(f"{case.get_absolute_url()}#top")


def _label(action: str) -> str:
    return next((t.label_zh for t in TRANSITIONS if t.action == action), action)


# ------------------------------------------------------------------------------ written records


def _record_fields(case: Case, kind: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's rows: each field of the kind with the text it shows."""
    spec = records.spec_for(kind)
    officers = list(case.case_officers.select_related("officer").order_by("-is_lead", "id"))
    rows = []
    for field in spec.fields:
        raw = values.get(field.name)
        if field.type == "officers":
            chosen = {
                str(o["id"] if isinstance(o, dict) else o)
                for o in (raw if isinstance(raw, list) else str(raw or "").split(","))
            }
            options = [
                (str(a.officer_id), a.officer.name, str(a.officer_id) in chosen) for a in officers
            ]
            rows.append({"field": field, "options": options})
            continue
        text = raw if isinstance(raw, str) and field.type not in {"datetime"} else None
        rows.append(
            {"field": field, "text": text if text is not None else records.as_form_text(field, raw)}
        )
    return rows


def _record_post(kind: str, post: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in records.spec_for(kind).fields:
        if field.type == "officers":
            data[field.name] = post.getlist(field.name)
        elif field.type == "bool":
            data[field.name] = post.get(field.name, "off")
        else:
            data[field.name] = post.get(field.name, "")
    return data


def _record_form(request: HttpRequest, case: Case, kind: str, record: Any = None) -> HttpResponse:
    spec = records.spec_for(kind)
    selectors.require(request.user, "cases.handle")
    error = None
    if request.method == "POST":
        data = _record_post(kind, request.POST)
        try:
            if record is None:
                record = services.add_record(actor=request.user, case=case, kind=kind, content=data)
                messages.success(request, gettext("已保存%(record)s。") % {"record": spec.label})
            else:
                record = services.revise_record(actor=request.user, record=record, content=data)
                messages.success(request, gettext("已修改%(record)s。") % {"record": spec.label})
            return redirect("cases:record", pk=record.pk)
        except PermissionDenied:
            raise
        except DomainError as exc:
            error = exc
        values: dict[str, Any] = data
    elif record is not None:
        values = dict(record.content)
    else:
        values = records.initial(case, kind, request.user)
    problems = {p["field"]: p["message"] for p in (error.details or [])} if error else {}
    return render(
        request,
        "cases/record_form.html",
        {
            "case": case,
            "spec": spec,
            "record": record,
            "rows": _record_fields(case, kind, values),
            "error": error,
            "problems": problems,
        },
        status=error.status if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if kind not in records.SPECS:
        raise Http404
    return _record_form(request, case, kind)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_for(request.user, pk)
    return _record_form(request, record.case, record.kind, record)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.cases.documents import record_subject_type

    record = selectors.record_for(request.user, pk)
    spec = records.spec_for(record.kind)
    rows = [
        {"field": f, "text": records.as_form_text(f, record.content.get(f.name))}
        for f in spec.fields
        if f.type != "officers"
    ]
    officers = "、".join(
        f"{o['name']}（{o['certificate'] or gettext('无有效执法证')}）"
        for o in record.content.get("officer_ids", [])
    )
    return render(
        request,
        "cases/record_detail.html",
        {
            "record": record,
            "case": record.case,
            "spec": spec,
            "rows": rows,
            "officers": officers,
            "subject_type": record_subject_type(record.kind),
            "can_edit": user_can(request.user, "cases.handle"),
        },
    )
