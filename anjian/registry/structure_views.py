"""Pages of the agency's delegations of penalty power and of grids. Thin: authorize through the
selectors (scope + role), call one service, render."""

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
from anjian.core.permissions import user_can
from anjian.registry import penalty_catalog, selectors, services
from anjian.registry.forms import show_error
from anjian.registry.models import Agency
from anjian.registry.structure_forms import (
    DelegationChangeForm,
    DelegationForm,
    EndDelegationForm,
    GridForm,
    GridOfficerForm,
)


def _agency_page(
    request: HttpRequest, agency: Agency, form: DelegationForm | None = None
) -> HttpResponse:
    can_record = selectors.may_record_delegations(request.user, agency)
    if can_record and form is None:
        form = DelegationForm(
            delegating_agencies=selectors.delegating_agencies(request.user),
            initial={"valid_from": timezone.localdate()},
        )
    return render(
        request,
        "registry/agency_detail.html",
        {
            "agency": agency,
            "officers": selectors.officers(request.user).filter(agency=agency),
            "delegations": agency.delegations.select_related("delegating_agency").order_by(
                "-valid_from", "-pk"
            ),
            "today": timezone.localdate(),
            "can_record": can_record,
            "form": form if can_record else None,
            "catalog": sorted(penalty_catalog.violation_titles().items()) if can_record else [],
        },
    )


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agency_page(request, selectors.agency_for(request.user, pk))


def _delegation_fields(request: HttpRequest, form: Any) -> dict[str, Any]:
    """A valid delegation form's fields as the services take them (the delegating agency looked
    up in the user's scope: 404 outside it)."""
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "scope": data["scope"],
        "instrument_number": data["instrument_number"],
        "valid_from": data["valid_from"],
        "valid_to": data["valid_to"],
        "delegating_agency": selectors.agency_for(request.user, data["delegating_agency"])
        if data["delegating_agency"]
        else None,
        "violation_codes": form.codes(),
    }


@login_required
@require_POST
def add_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_to_delegate(request.user, pk)
    form = DelegationForm(
        request.POST, delegating_agencies=selectors.delegating_agencies(request.user)
    )
    if form.is_valid():
        try:
            services.add_delegation(
                actor=request.user, agency=agency, **_delegation_fields(request, form)
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("已登记处罚权授权（委托）。"))
            return redirect("registry:agency_detail", pk=agency.pk)
    return _agency_page(request, agency, form)


@login_required
@require_http_methods(["GET", "POST"])
def change_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a recorded delegation (a mistyped number, a narrowed scope), with the reason; a
    refusal shows the form again with the input and the service's messages."""
    delegation = selectors.delegation_for(request.user, pk, to_manage=True)
    delegating_agencies = selectors.delegating_agencies(request.user)
    if request.method == "POST":
        form = DelegationChangeForm(request.POST, delegating_agencies=delegating_agencies)
        if form.is_valid():
            try:
                services.change_delegation(
                    actor=request.user,
                    delegation=delegation,
                    reason=form.cleaned_data["reason"],
                    **_delegation_fields(request, form),
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("已更正该授权（委托）的登记。"))
                return redirect(
                    reverse("registry:agency_detail", args=[delegation.agency_id]) + "#delegations"
                )
    else:
        form = DelegationChangeForm(
            initial=DelegationChangeForm.initial_of(delegation),
            delegating_agencies=delegating_agencies,
        )
    return render(
        request,
        "registry/delegation_change.html",
        {
            "delegation": delegation,
            "form": form,
            "catalog": sorted(penalty_catalog.violation_titles().items()),
        },
    )


@login_required
@require_POST
def end_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.delegation_for(request.user, pk, to_manage=True)
    form = EndDelegationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写终止日期和终止理由。"))
    else:
        try:
            services.end_delegation(
                actor=request.user,
                delegation=delegation,
                valid_to=form.cleaned_data["valid_to"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.localized_message)
        else:
            messages.success(request, _("已终止该授权（委托）。"))
    return redirect("registry:agency_detail", pk=delegation.agency_id)


@login_required
@require_http_methods(["GET", "POST"])
def grid_list(request: HttpRequest) -> HttpResponse:
    can_manage = user_can(request.user, "registry.manage_grids")
    form = GridForm()
    if request.method == "POST":
        selectors.require(request.user, "registry.manage_grids")
        form = GridForm(request.POST)
        if form.is_valid():
            region = (
                selectors.grid_regions(request.user)
                .filter(code=form.cleaned_data["region_code"].strip())
                .first()
            )
            try:
                if region is None:
                    raise DomainError(
                        "outside_jurisdiction",
                        "该乡镇（街道）不存在或不在您的管辖范围内。",
                        "That township is unknown or outside your jurisdiction.",
                    )
                grid = services.create_grid(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    region=region,
                    agency=selectors.township_agency(request.user, region),
                )
            except DomainError as error:
                form.add_error(
                    "region_code" if error.code == "outside_jurisdiction" else None,
                    error.localized_message,
                )
            else:
                messages.success(request, _("已建立网格，请指定责任执法人员。"))
                return redirect("registry:grid_detail", pk=grid.pk)
    page = paginate(selectors.grids(request.user), request.GET.get("page"), 100)
    context: dict[str, Any] = {"page": page, "can_manage": can_manage, "form": form}
    if can_manage:
        context["regions"] = selectors.grid_regions(request.user)[:2000]
    return render(request, "registry/grid_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid, and for those who manage grids the form naming its responsible officer. Reads
    the grid (with its region's and agency's ancestors) and the candidates once each."""
    if request.method == "POST":
        grid = selectors.grid_to_manage(request.user, pk)
        can_manage = True
    else:
        grid = selectors.grid_for(request.user, pk)
        can_manage = user_can(request.user, "registry.manage_grids")
    candidates = list(selectors.grid_officers(request.user, grid)) if can_manage else []
    form = None
    if request.method == "POST":
        form = GridOfficerForm(request.POST, officers=candidates)
        if form.is_valid():
            officer = next(o for o in candidates if o.pk == form.cleaned_data["officer"])
            try:
                services.assign_grid_officer(actor=request.user, grid=grid, officer=officer)
            except DomainError as error:
                form.add_error("officer", error.localized_message)
            else:
                messages.success(
                    request, _("已指定%(officer)s为网格责任执法人员。") % {"officer": officer.name}
                )
                return redirect("registry:grid_detail", pk=grid.pk)
    today = timezone.localdate()
    if can_manage and form is None:
        form = GridOfficerForm(
            officers=candidates, initial={"officer": grid.responsible_officer_id}
        )
    return render(
        request,
        "registry/grid_detail.html",
        {
            "grid": grid,
            "form": form,
            "uncertified": [o.name for o in candidates if o.valid_certificate(today) is None],
        },
    )
