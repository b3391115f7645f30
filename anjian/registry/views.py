"""Registry pages. Thin: authorize through the selectors (scope + role), call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError
from anjian.core.pagination import paginate
from anjian.core.permissions import Role, user_can
from anjian.registry import selectors, services
from anjian.registry.forms import (
    AssignAgencyForm,
    ClaimDecisionForm,
    ClaimForm,
    EnterpriseForm,
    EnterpriseSearchForm,
    WithdrawClaimForm,
    show_error,
)
from anjian.registry.models import Enterprise
from anjian.registry.selectors import EnterpriseFilters

# Errors about one field that the services raise without details: shown next to that field.
FIELD_OF_ERROR = {
    "outside_jurisdiction": "region_code",
    "uscc_duplicate": "uscc",
    "jurisdiction_outside": "supervising_agency",
}


def _filters(form: EnterpriseSearchForm) -> EnterpriseFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return EnterpriseFilters(
        q=data.get("q", ""),
        region_code=data.get("region_code", ""),
        industry_code=data.get("industry_code", ""),
        status=data.get("status", ""),
        risk_grade=data.get("risk_grade", ""),
        tag=data.get("tag", ""),
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form = EnterpriseSearchForm(request.GET or None)
    queryset = selectors.enterprises(request.user, _filters(form))
    page = paginate(queryset, request.GET.get("page"), request.GET.get("size", 50))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_change": user_can(request.user, "registry.change_enterprise"),
        "can_import": user_can(request.user, "registry.import_enterprises"),
    }
    template = (
        "registry/_enterprise_rows.html"
        if getattr(request, "htmx", False)
        else "registry/enterprise_list.html"
    )
    return render(request, template, context)


def _enterprise_page(
    request: HttpRequest, enterprise: Enterprise, claim_form: ClaimForm | None = None
) -> HttpResponse:
    can_claim = user_can(request.user, "registry.claim_jurisdiction")
    if can_claim and claim_form is None:
        claim_form = ClaimForm(agencies=selectors.claiming_agencies(request.user))
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "can_change": user_can(request.user, "registry.change_enterprise"),
            "claims": selectors.claims(request.user, enterprise),
            "can_claim": can_claim,
            "can_decide": user_can(request.user, "registry.manage_jurisdiction"),
            "claim_form": claim_form if can_claim else None,
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _enterprise_page(request, selectors.enterprise_for(request.user, pk))


@login_required
@require_POST
def file_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """File a claim of an agency in the user's scope on the enterprise (the page again on refusal,
    the input kept)."""
    enterprise = selectors.enterprise_for(request.user, pk)
    selectors.require(request.user, "registry.claim_jurisdiction")
    agencies = selectors.claiming_agencies(request.user)
    form = ClaimForm(request.POST, agencies=agencies)
    if form.is_valid():
        agency = selectors.agency_for(request.user, form.cleaned_data["agency"])
        try:
            services.claim_jurisdiction(
                actor=request.user,
                agency=agency,
                enterprise=enterprise,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(
                "note" if error.code == "claim_note_too_long" else None, error.localized_message
            )
        else:
            messages.success(request, _("已登记%(agency)s的管辖申报。") % {"agency": agency.name})
            return redirect(reverse("registry:enterprise_detail", args=[enterprise.pk]) + "#claims")
    return _enterprise_page(request, enterprise, form)


@login_required
@require_POST
def decide_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_to_decide(request.user, pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写理由（不超过300字）。"))
    else:
        uphold = form.cleaned_data["outcome"] == "uphold"
        try:
            services.decide_claim(
                actor=request.user,
                claim=claim,
                uphold=uphold,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.localized_message)
        else:
            names = {"agency": claim.agency.name, "enterprise": claim.enterprise.name}
            messages.success(
                request,
                (
                    _("已支持%(agency)s的申报：“%(enterprise)s”划归%(agency)s监管。")
                    if uphold
                    else _("已不予支持%(agency)s的申报。")
                )
                % names,
            )
    return redirect(reverse("registry:enterprise_detail", args=[claim.enterprise_id]) + "#claims")


@login_required
@require_POST
def withdraw_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_to_withdraw(request.user, pk)
    form = WithdrawClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回理由（不超过300字）。"))
    else:
        try:
            services.withdraw_claim(
                actor=request.user, claim=claim, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.localized_message)
        else:
            messages.success(
                request, _("已撤回%(agency)s的管辖申报。") % {"agency": claim.agency.name}
            )
    return redirect(reverse("registry:enterprise_detail", args=[claim.enterprise_id]) + "#claims")


def _initial(enterprise: Enterprise) -> dict[str, Any]:
    tags = {t.tag: t for t in enterprise.tags.all()}
    blacklist = tags.get("blacklist")
    hazard = tags.get("major_hazard_source")
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "address": enterprise.address,
        "region_code": enterprise.region.code,
        "industry_code": enterprise.industry.code,
        "employees": enterprise.employees,
        "revenue": enterprise.revenue,
        "status": enterprise.status,
        "risk_grade": enterprise.risk_grade,
        "supervising_agency": enterprise.supervising_agency_id,
        "tags": list(tags),
        "major_hazard_grade": hazard.grade if hazard else None,
        "blacklist_from": blacklist.valid_from if blacklist else None,
        "blacklist_to": blacklist.valid_to if blacklist else None,
        "blacklist_reason": blacklist.reason if blacklist else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    enterprise = selectors.enterprise_for(request.user, pk) if pk is not None else None
    selectors.require(request.user, "registry.change_enterprise")
    agencies = selectors.agencies(request.user)
    if request.method == "POST":
        form = EnterpriseForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            region_ok = selectors.regions(request.user).filter(code=data["region_code"]).exists()
            payload = services.EnterpriseInput(
                uscc=data["uscc"],
                name=data["name"],
                legal_representative=data["legal_representative"],
                address=data["address"],
                region_code=data["region_code"],
                industry_code=data["industry_code"],
                employees=data["employees"],
                revenue=data["revenue"],
                status=data["status"],
                risk_grade=data["risk_grade"],
                supervising_agency_id=data.get("supervising_agency"),
                grid_id=enterprise.grid_id if enterprise else None,
                tags=form.tag_list(),
            )
            try:
                if not region_ok:
                    raise DomainError(
                        "outside_jurisdiction",
                        "所在区划不存在或不在您的管辖范围内。",
                        "The region is unknown or outside your jurisdiction.",
                    )
                if enterprise is None:
                    saved = services.register_enterprise(actor=request.user, data=payload)
                else:
                    saved = services.update_enterprise(
                        actor=request.user, enterprise=enterprise, data=payload
                    )
            except DomainError as error:
                show_error(form, error, FIELD_OF_ERROR)
            else:
                messages.success(request, _("已保存。"))
                return redirect("registry:enterprise_detail", pk=saved.pk)
    else:
        form = EnterpriseForm(initial=_initial(enterprise) if enterprise else {}, agencies=agencies)
    return render(
        request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "registry/agency_list.html", {"agencies": selectors.agencies(request.user)}
    )


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:

    page = paginate(selectors.officers(request.user), request.GET.get("page"), 100)
    today = timezone.localdate()
    rows = [(o, o.valid_certificate(today)) for o in page.items]
    return render(request, "registry/officer_list.html", {"page": page, "rows": rows})


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:

    officer = selectors.officer_for(request.user, pk)
    roles = [Role(name).label for name in sorted(officer.user.role_names()) if name in Role.values]
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "roles": roles,
            "certified": officer.valid_certificate(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def jurisdiction_report(request: HttpRequest) -> HttpResponse:
    agencies = selectors.agencies(request.user)
    if request.method == "POST":
        selectors.require(request.user, "registry.manage_jurisdiction")
        enterprise = selectors.enterprise_for(request.user, request.POST.get("enterprise"))
        form = AssignAgencyForm(request.POST, agencies=agencies)
        if form.is_valid():
            agency = selectors.agency_for(request.user, form.cleaned_data["agency"])
            try:
                services.assign_supervising_agency(
                    actor=request.user,
                    enterprise=enterprise,
                    agency=agency,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                messages.error(request, error.localized_message)
            else:
                messages.success(
                    request,
                    _("已将“%(enterprise)s”划归%(agency)s监管。")
                    % {"enterprise": enterprise.name, "agency": agency.name},
                )
        else:
            messages.error(request, _("请选择监管机构并填写理由。"))
        return redirect("registry:jurisdiction_report")
    report = selectors.jurisdiction_report(request.user)
    return render(
        request,
        "registry/jurisdiction_report.html",
        {
            "report": report,
            "agencies": agencies,
            "can_fix": user_can(request.user, "registry.manage_jurisdiction"),
        },
    )
