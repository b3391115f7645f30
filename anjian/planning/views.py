"""Planning pages. Thin: authorize through the selectors (scope + role), call one service, render.

Public pages (``public_*``) need no login: published notices, the item list and draw files are
public by law. Every other page requires a signed-in officer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.exports import export_response
from anjian.core.i18n import chinese
from anjian.core.pagination import paginate
from anjian.core.permissions import user_can
from anjian.core.xlsx import wants_xlsx, xlsx_response
from anjian.planning import draw as drawing
from anjian.planning import exports, rules, selectors, services
from anjian.planning.models import (
    AnnualPlan,
    ConflictDeclaration,
    ConflictKind,
    InspectionScheme,
    NoticeKind,
    Operation,
    OperationKind,
    TaskKind,
    TaskStatus,
    Team,
)
from anjian.registry import selectors as registry_selectors
from anjian.registry.models import Officer

View = Callable[..., HttpResponseBase]


def officer_page(view: View) -> View:
    """Login required; a refused role check is a 403 page (never a 500)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.localized_message) from None

    return wrapped


def _year(request: HttpRequest) -> int:
    return exports.plan_year(request.GET)


def _back(request: HttpRequest, error: DomainError, to: str, **kwargs: Any) -> HttpResponseBase:
    """Show a refused write's reason on the page it came from; a role refusal stays a 403."""
    if isinstance(error, PermissionDenied):
        raise error
    messages.error(request, error.localized_message)
    return redirect(to, **kwargs)


def _text(label: Any, limit: int, *, required: bool = False) -> forms.CharField:
    """A text input whose length the service checks (one message, naming the limit, on the page and
    in the API); the browser is told the limit."""
    return forms.CharField(
        label=label, required=required, widget=forms.TextInput(attrs={"maxlength": limit})
    )


# ---------------------------------------------------------------------------------------------
# Plans


class PlanForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    title = _text(gettext_lazy("名称（可空）"), services.max_length_of(AnnualPlan, "title"))


PARAMETER_FIELDS = [
    ("officers", gettext_lazy("执法人员数（持证）")),
    ("training_days_per_officer", gettext_lazy("人均培训天数")),
    ("leave_days_per_officer", gettext_lazy("人均休假天数")),
    ("inspection_share", gettext_lazy("用于现场检查的比例")),
    ("reserve_share", gettext_lazy("预留比例（举报、事故、交办）")),
    ("random_share", gettext_lazy("双随机抽查占比")),
    ("yearly_cap", gettext_lazy("每家单位年度检查上限")),
    ("visit_decay", gettext_lazy("重复检查的风险递减系数")),
    ("time_limit", gettext_lazy("求解时限（秒）")),
]


@officer_page
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponseBase:
    year = _year(request)
    form = PlanForm(initial={"year": year})
    if request.method == "POST":
        # A refusal shows the list again with the form as it was sent.
        selectors.require(request.user, "planning.edit_plan")
        form = PlanForm(request.POST)
        agency = selectors.own_agency(request.user)
        if form.is_valid() and agency is not None:
            try:
                plan = services.create_plan(
                    actor=request.user,
                    agency=agency,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                )
            except DomainError as error:
                if isinstance(error, PermissionDenied):
                    raise
                messages.error(request, error.localized_message)
            else:
                messages.success(request, gettext("已创建计划草稿，请核对参数后编制。"))
                return redirect("planning:plan_detail", pk=plan.pk)
        else:
            messages.error(request, gettext("请填写有效的年度（须为执法机构人员）。"))
    plans = selectors.plans(request.user, year)
    if wants_xlsx(request):
        return export_response(request, "planning.plans")
    return render(
        request,
        "planning/plan_list.html",
        {
            "plans": plans,
            "year": year,
            "form": form,
            "can_edit": user_can(request.user, "planning.edit_plan"),
        },
    )


@officer_page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    solution = plan.solution or {}
    capacity = plan.capacity
    load = solution.get("load") or [0] * 12
    months = [
        {
            **m,
            "load": load[i] if i < len(load) else 0,
            "over": (load[i] if i < len(load) else 0) > float(m["plannable"]) + 1e-6,
        }
        for i, m in enumerate(capacity)
    ]
    transitions = services.allowed_plan_actions(plan)
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "solution": solution,
            "months": months,
            "classes": solution.get("classes", []),
            "transitions": [t for t in transitions if user_can(request.user, t.permission)],
            "events": plan.events.select_related("actor").all(),
            "parameter_fields": [
                (name, label, plan.parameters.get(name)) for name, label in PARAMETER_FIELDS
            ],
            "can_edit": user_can(request.user, "planning.edit_plan") and plan.status == "draft",
            "frequency_table": rules.frequency_table(),
        },
    )


@officer_page
@require_POST
def plan_parameters(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    values: dict[str, Any] = {
        name: request.POST.get(name) for name, _ in PARAMETER_FIELDS if request.POST.get(name)
    }
    if request.POST.get("training_months"):
        values["training_months"] = [
            m for m in request.POST["training_months"].replace("，", ",").split(",") if m.strip()
        ]
    try:
        services.update_plan_parameters(actor=request.user, plan=plan, parameters=values)
    except DomainError as error:
        return _back(request, error, "planning:plan_detail", pk=pk)
    messages.success(request, gettext("参数已保存；请重新编制。"))
    return redirect("planning:plan_detail", pk=pk)


@officer_page
@require_POST
def plan_build(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    try:
        plan = services.build_plan(actor=request.user, plan=plan)
    except DomainError as error:
        return _back(request, error, "planning:plan_detail", pk=pk)
    short = plan.shortfall_classes
    if short:
        messages.warning(
            request,
            gettext("已编制；检查能力不足以满足以下类别的最低频次：%(classes)s")
            % {
                "classes": "；".join(
                    gettext("%(code)s类缺 %(n)s 次") % {"code": c["code"], "n": c["shortfall"]}
                    for c in short
                )
            },
        )
    else:
        messages.success(
            request,
            gettext("已编制（最优性差距 %(gap)s）。")
            % {"gap": f"{plan.solution.get('gap', 0):.4%}"},
        )
    return redirect("planning:plan_detail", pk=pk)


@officer_page
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    decided = request.POST.get("decided_on") or ""
    try:
        decided_on = dt.date.fromisoformat(decided) if decided else None
    except ValueError:
        messages.error(request, gettext("日期格式应为 YYYY-MM-DD。"))
        return redirect("planning:plan_detail", pk=pk)
    try:
        services.transition_plan(
            actor=request.user,
            plan=plan,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            document_number=request.POST.get("document_number", ""),
            approved_by=request.POST.get("approved_by", ""),
            decided_on=decided_on,
        )
    except DomainError as error:
        return _back(request, error, "planning:plan_detail", pk=pk)
    messages.success(request, gettext("已办理。"))
    return redirect("planning:plan_detail", pk=pk)


@officer_page
@require_POST
def plan_adjust(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    number = request.POST.get("enterprise", "").strip()
    try:
        enterprise = (
            registry_selectors.enterprise_for(request.user, number)
            if number.isascii() and number.isdecimal() and len(number) <= 18
            else None
        )
    except Http404:
        enterprise = None  # unknown or outside the jurisdiction: the same message for both
    if enterprise is None:
        messages.error(request, gettext("请填写本计划内单位的编号。"))
        return redirect("planning:plan_enterprises", pk=pk)
    raw = [m for m in request.POST.get("months", "").replace("，", ",").split(",") if m.strip()]
    if not all(m.strip().isdecimal() for m in raw):
        messages.error(request, gettext("月份应为1至12的整数，用逗号分隔。"))
        return redirect("planning:plan_enterprises", pk=pk)
    months = [int(m) for m in raw]
    try:
        services.adjust_plan_enterprise(
            actor=request.user,
            plan=plan,
            enterprise=enterprise,
            months=months,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        return _back(request, error, "planning:plan_enterprises", pk=pk)
    messages.success(request, gettext("已调整“%(name)s”的检查月份。") % {"name": enterprise.name})
    return redirect("planning:plan_enterprises", pk=pk)


ENTERPRISE_HEADERS = [
    "单位",
    "统一社会信用代码",
    "类别",
    "风险权重",
    "计划检查次数",
    "检查月份",
    "纳入随机抽查",
    "人工调整",
]


def _enterprise_row(entry: Any) -> list[Any]:
    return [
        entry.enterprise.name,
        entry.enterprise.uscc,
        entry.class_code,
        entry.risk_weight,
        entry.named_visits,
        "、".join(f"{m}月" for m in entry.months),
        "是" if entry.in_random_pool else "",
        "是" if entry.is_manual else "",
    ]


@officer_page
def plan_enterprises(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    month_text = request.GET.get("month", "")
    month = int(month_text) if month_text.isdecimal() and 1 <= int(month_text) <= 12 else None
    class_code = request.GET.get("class_code", "")[:8]
    queryset = selectors.plan_enterprises(request.user, plan, class_code=class_code, month=month)
    if request.GET.get("format") == "xlsx":
        selectors.require(request.user, "planning.export")
        return xlsx_response(
            filename=f"{plan.title}-单位安排.xlsx",
            headers=ENTERPRISE_HEADERS,
            rows=(_enterprise_row(e) for e in queryset.iterator(chunk_size=2000)),
            sheet_title="单位安排",
        )
    page = paginate(queryset, request.GET.get("page"), 100)
    return render(
        request,
        "planning/plan_enterprises.html",
        {
            "plan": plan,
            "page": page,
            "month": month,
            "class_code": class_code,
            "can_edit": user_can(request.user, "planning.edit_plan") and plan.status == "draft",
        },
    )


COMPLETION_HEADERS = [
    "月份",
    "计划（点名检查）",
    "计划（随机抽查）",
    "计划合计",
    "已下达任务",
    "已完成",
    "完成率",
]


@officer_page
def plan_completion(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = selectors.plan_for(request.user, pk)
    completion = selectors.plan_completion(request.user, plan)
    if request.GET.get("format") == "xlsx":
        selectors.require(request.user, "planning.export")
        return xlsx_response(
            filename=f"{plan.title}-完成情况.xlsx",
            headers=COMPLETION_HEADERS,
            rows=(
                [
                    f"{m.month}月",
                    m.planned_named,
                    m.planned_random,
                    m.planned,
                    m.tasks,
                    m.done,
                    None if m.rate is None else round(m.rate, 4),
                ]
                for m in completion.months
            ),
            sheet_title="完成情况",
        )
    return render(
        request, "planning/plan_completion.html", {"plan": plan, "completion": completion}
    )


@officer_page
def completion_overview(request: HttpRequest) -> HttpResponseBase:
    year = _year(request)
    rows = selectors.completion_by_agency(request.user, year)
    return render(request, "planning/completion.html", {"rows": rows, "year": year})


@officer_page
def overlap(request: HttpRequest) -> HttpResponseBase:
    year = _year(request)
    return render(
        request,
        "planning/overlap.html",
        {"report": selectors.overlap_report(request.user, year), "year": year},
    )


# ---------------------------------------------------------------------------------------------
# Tasks


@officer_page
def task_list(request: HttpRequest) -> HttpResponseBase:
    queryset = selectors.tasks(request.user, exports.task_filters(request.GET))
    if wants_xlsx(request):
        return export_response(request, "planning.tasks")
    page = paginate(queryset, request.GET.get("page"), 100)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "planning/task_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "statuses": TaskStatus.choices,
            "kinds": TaskKind.choices,
            "params": request.GET,
        },
    )


@officer_page
def task_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return render(
        request, "planning/task_detail.html", {"task": selectors.task_for(request.user, pk)}
    )


# ---------------------------------------------------------------------------------------------
# Draws


class DrawForm(forms.Form):
    title = _text(gettext_lazy("名称（可空）"), services.DRAW_TITLE_MAX)
    month = forms.DateField(label=gettext_lazy("检查月份（当月任一日）"))
    plan = forms.IntegerField(
        label=gettext_lazy("按年度计划抽查（计划编号，可空）"), required=False
    )
    region_code = forms.CharField(
        label=gettext_lazy("区划代码（可空）"), max_length=12, required=False
    )
    industry_code = forms.CharField(
        label=gettext_lazy("行业代码前缀（可空）"), max_length=5, required=False
    )
    risk_grades = forms.MultipleChoiceField(
        label=gettext_lazy("风险等级（可空）"),
        required=False,
        choices=[
            ("major", gettext_lazy("重大")),
            ("high", gettext_lazy("较大")),
            ("moderate", gettext_lazy("一般")),
            ("low", gettext_lazy("低")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    exclude_inspected_within_days = forms.IntegerField(
        label=gettext_lazy("排除近N日内已检查的单位"), min_value=0, max_value=730, required=False
    )
    strata = forms.CharField(
        label=gettext_lazy("抽取层（JSON，可空：按计划配额加10%对照层）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    team_size = forms.IntegerField(
        label=gettext_lazy("每组人数"), min_value=1, max_value=10, initial=2
    )
    exclude_same_grid = forms.BooleanField(label=gettext_lazy("回避本网格执法人员"), required=False)


@officer_page
def draw_list(request: HttpRequest) -> HttpResponseBase:
    draws = selectors.draws(request.user)
    if wants_xlsx(request):
        return export_response(request, "planning.draws")
    page = paginate(draws, request.GET.get("page"), 50)
    return render(
        request,
        "planning/draw_list.html",
        {"page": page, "can_draw": user_can(request.user, "planning.draw")},
    )


@officer_page
@require_http_methods(["GET", "POST"])
def draw_new(request: HttpRequest) -> HttpResponseBase:
    selectors.require(request.user, "planning.draw")
    form = DrawForm(request.POST or None, initial={"team_size": 2})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = selectors.own_agency(request.user)
        try:
            if agency is None:
                raise DomainError("no_agency", "您不属于任何执法机构。", "No agency.")
            plan = selectors.plan_for(request.user, data["plan"]) if data["plan"] else None
            strata = json.loads(data["strata"]) if data["strata"].strip() else None
            filters = {
                key: data[key]
                for key in (
                    "region_code",
                    "industry_code",
                    "risk_grades",
                    "exclude_inspected_within_days",
                )
                if data.get(key)
            }
            draw = services.create_draw(
                actor=request.user,
                agency=agency,
                title=data["title"],
                month=data["month"],
                plan=plan,
                filters=filters,
                strata=strata,
                team_size=data["team_size"],
                exclude_same_grid=data["exclude_same_grid"],
            )
        except json.JSONDecodeError:
            form.add_error("strata", gettext("抽取层应为 JSON 数组。"))
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise
            form.add_error(None, error.localized_message)
        else:
            messages.success(
                request,
                gettext("已创建抽查 %(number)s。下一步：冻结并公示。") % {"number": draw.number},
            )
            return redirect("planning:draw_detail", pk=draw.pk)
    return render(request, "planning/draw_form.html", {"form": form})


@officer_page
def draw_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _draw_page(request, selectors.draw_for(request.user, pk))


def _draw_page(
    request: HttpRequest, draw: Any, refused: tuple[str, str] | None = None
) -> HttpResponseBase:
    """The draw's page; ``refused`` (action, message): that step's form again with the message
    and what was typed (422)."""
    result = json.loads(draw.result_json) if draw.result_json else None
    rows = []
    if result:
        from anjian.registry.models import Enterprise

        ids = [r[1] for r in result["draws"]]
        officer_ids = {o for r in result["draws"] for o in r[3]}
        names = dict(Enterprise.objects.filter(pk__in=ids).values_list("id", "name"))
        officer_names = dict(Officer.objects.filter(pk__in=officer_ids).values_list("id", "name"))
        rows = [
            {
                "position": r[0],
                "enterprise": names.get(r[1], r[1]),
                "stratum": r[2],
                "officers": "、".join(officer_names.get(o, str(o)) for o in r[3]),
            }
            for r in result["draws"]
        ]
    allowed = [
        t
        for t in rules.workflows().draw.allowed_from(draw.status)
        if user_can(request.user, t.permission)
    ]
    if refused and refused[0] not in {t.action for t in allowed}:
        messages.error(request, refused[1])  # the step is not offered now: its message on top
    return render(
        request,
        "planning/draw_detail.html",
        {
            "draw": draw,
            "rows": rows,
            "allowed": allowed,
            "events": draw.events.select_related("actor").all(),
            "today": services.clock.today(),
            "refused_action": refused[0] if refused else "",
            "refused_message": refused[1] if refused else "",
            "entered": request.POST if refused else {},
        },
        status=422 if refused else 200,
    )


@officer_page
@require_POST
def draw_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    draw = selectors.draw_for(request.user, pk)
    post = request.POST
    try:
        if action == "commit":
            text = post.get("seed_value_date", "")
            try:
                value_date = dt.date.fromisoformat(text) if text else None
            except ValueError:
                return _draw_page(request, draw, (action, gettext("日期格式应为 YYYY-MM-DD。")))
            services.commit_draw(
                actor=request.user,
                draw=draw,
                seed_description=post.get("seed_description", ""),
                seed_value_date=value_date,
            )
        elif action == "draw":
            services.perform_draw(
                actor=request.user, draw=draw, seed_value=post.get("seed_value", "")
            )
        elif action == "publish":
            services.publish_draw(actor=request.user, draw=draw)
        elif action == "request_void":
            services.request_void(actor=request.user, draw=draw, reason=post.get("reason", ""))
        elif action == "approve_void":
            services.approve_void(
                actor=request.user, draw=draw, document_number=post.get("document_number", "")
            )
        elif action == "reject_void":
            services.reject_void(actor=request.user, draw=draw, reason=post.get("reason", ""))
        else:
            messages.error(request, gettext("未知操作。"))
            return redirect("planning:draw_detail", pk=pk)
    except PermissionDenied:
        raise
    except DomainError as error:
        # The step's form again with the message and what was typed; the draw read afresh.
        refused = (action, error.localized_message)
        return _draw_page(request, selectors.draw_for(request.user, pk), refused)
    messages.success(request, gettext("已办理。"))
    return redirect("planning:draw_detail", pk=pk)


def _json_download(data: Any, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@officer_page
def draw_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    draw = selectors.draw_for(request.user, pk)
    try:
        data = services.draw_file(draw)
    except DomainError as error:
        return _back(request, error, "planning:draw_detail", pk=pk)
    return _json_download(data, f"{draw.number}.json")


# ---------------------------------------------------------------------------------------------
# Operations


class IdListField(forms.CharField):
    """Record numbers separated by commas (or spaces, or full-width commas) as a list of ints; a
    token that is not a number is refused, never dropped."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        tokens = selectors.number_tokens(super().to_python(value) or "")
        if not all(t.isascii() and t.isdecimal() and len(t) <= 18 for t in tokens):
            raise forms.ValidationError(gettext("请填写编号，多个编号用逗号分隔。"))
        return [int(t) for t in tokens]


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=OperationKind.choices)
    title = _text(gettext_lazy("名称"), services.OPERATION_TITLE_MAX, required=True)
    region_code = forms.CharField(label=gettext_lazy("实施区域（区划代码）"), max_length=12)
    starts_on = forms.DateField(label=gettext_lazy("开始日期"))
    ends_on = forms.DateField(label=gettext_lazy("结束日期"))
    enterprise_ids = IdListField(
        label=gettext_lazy("检查对象（单位编号，逗号分隔）"), max_length=20000
    )
    officer_ids = IdListField(label=gettext_lazy("执法人员（人员编号，逗号分隔）"), max_length=5000)
    participant_ids = IdListField(
        label=gettext_lazy("参加机构（机构编号，逗号分隔，可空）"), max_length=5000, required=False
    )
    acting_agency_id = forms.IntegerField(
        label=gettext_lazy("派出执法人员的机构（交叉执法）"), required=False
    )
    basis_document = _text(
        gettext_lazy("依据文件"), services.max_length_of(Operation, "basis_document")
    )
    scope_text = forms.CharField(
        label=gettext_lazy("检查范围"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = _text(gettext_lazy("检查方式"), services.max_length_of(InspectionScheme, "method"))


@officer_page
def operation_list(request: HttpRequest) -> HttpResponseBase:
    operations = selectors.operations(request.user)
    if wants_xlsx(request):
        return export_response(request, "planning.operations")
    page = paginate(operations, request.GET.get("page"), 50)
    return render(
        request,
        "planning/operation_list.html",
        {"page": page, "can_manage": user_can(request.user, "planning.manage_operations")},
    )


@officer_page
@require_http_methods(["GET", "POST"])
def operation_new(request: HttpRequest) -> HttpResponseBase:
    selectors.require(request.user, "planning.manage_operations")
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = selectors.own_agency(request.user)
            if agency is None:
                raise DomainError("no_agency", "您不属于任何执法机构。", "No agency.")
            inputs = selectors.operation_inputs(
                request.user,
                region_code=data["region_code"],
                enterprise_ids=data["enterprise_ids"],
                officer_ids=data["officer_ids"],
                participant_ids=data["participant_ids"],
                acting_agency_id=data.get("acting_agency_id"),
            )
            operation = services.create_operation(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                lead_agency=agency,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                basis_document=data["basis_document"],
                scope_text=data["scope_text"],
                method=data["method"],
                **inputs,
            )
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise
            form.add_error(None, error.localized_message)
        else:
            messages.success(
                request,
                gettext("已创建行动 %(number)s，检查方案和任务已生成。")
                % {"number": operation.number},
            )
            return redirect("planning:operation_detail", pk=operation.pk)
    return render(request, "planning/operation_form.html", {"form": form})


@officer_page
def operation_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    operation = selectors.operation_for(request.user, pk)
    from anjian.registry.models import ScopeGrant

    tasks = selectors.tasks(request.user, selectors.TaskFilters(operation_id=operation.pk))
    return render(
        request,
        "planning/operation_detail.html",
        {
            "operation": operation,
            "scheme": getattr(operation, "scheme", None),
            "participants": operation.participants.select_related("agency"),
            "grants": ScopeGrant.objects.filter(operation_reference=operation.number)
            .select_related("officer", "region")
            .order_by("id"),
            "tasks": tasks[:200],
            "item_titles": {i.code: i.name for i in rules.item_list().items},
            "can_manage": user_can(request.user, "planning.manage_operations"),
        },
    )


@officer_page
@require_POST
def operation_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    operation = selectors.operation_for(request.user, pk)
    try:
        services.close_operation(
            actor=request.user, operation=operation, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        return _back(request, error, "planning:operation_detail", pk=pk)
    messages.success(request, gettext("行动已结束，临时授权已撤销。"))
    return redirect("planning:operation_detail", pk=pk)


# ---------------------------------------------------------------------------------------------
# Conflicts of interest and teams


@officer_page
@require_http_methods(["GET", "POST"])
def conflict_list(request: HttpRequest) -> HttpResponseBase:
    values: dict[str, str] = {}
    if request.method == "POST":
        # A refusal shows the page again with the input as it was sent.
        selectors.require(request.user, "planning.declare_conflict")
        values = {k: request.POST.get(k, "") for k in ("officer", "enterprise", "kind", "note")}
        try:
            officer = selectors.numbered_officer(request.user, values["officer"])
            enterprise = selectors.numbered_enterprise(request.user, values["enterprise"])
            services.declare_conflict(
                actor=request.user,
                officer=officer,
                enterprise=enterprise,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise
            messages.error(request, error.localized_message)
        else:
            messages.success(request, gettext("已登记回避申报。"))
            return redirect("planning:conflict_list")
    page = paginate(selectors.conflicts(request.user), request.GET.get("page"), 100)
    return render(
        request,
        "planning/conflict_list.html",
        {
            "page": page,
            "kinds": ConflictKind.choices,
            "values": values,
            "note_limit": services.max_length_of(ConflictDeclaration, "note"),
        },
    )


@officer_page
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponseBase:
    values: dict[str, str] = {}
    if request.method == "POST":
        # A refusal shows the page again with the input as it was sent.
        selectors.require(request.user, "planning.edit_plan")
        values = {k: request.POST.get(k, "") for k in ("name", "officer_ids")}
        agency = selectors.own_agency(request.user)
        try:
            if agency is None:
                raise DomainError("no_agency", "您不属于任何执法机构。", "No agency.")
            officers = selectors.numbered_officers(
                request.user, selectors.number_tokens(values["officer_ids"])
            )
            services.create_team(
                actor=request.user,
                agency=agency,
                name=request.POST.get("name", ""),
                officers=officers,
            )
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise
            messages.error(request, error.localized_message)
        else:
            messages.success(request, gettext("已创建检查组。"))
            return redirect("planning:team_list")
    return render(
        request,
        "planning/team_list.html",
        {
            "teams": selectors.teams(request.user),
            "can_edit": user_can(request.user, "planning.edit_plan"),
            "values": values,
            "name_limit": services.max_length_of(Team, "name"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Public pages (no login)

ITEM_HEADERS = [
    "编号",
    "抽查事项",
    "子项",
    "抽查依据",
    "抽查主体",
    "抽查对象",
    "抽查比例",
    "抽查频次",
    "抽查方式",
    "检查人员要求",
]


def public_index(request: HttpRequest) -> HttpResponseBase:
    kind = request.GET.get("kind", "")
    kind = kind if kind in NoticeKind.values else ""
    page = paginate(selectors.public_notices(kind), request.GET.get("page"), 50)
    return render(
        request,
        "planning/public_index.html",
        {"page": page, "kinds": NoticeKind.choices, "kind": kind},
    )


def public_items(request: HttpRequest) -> HttpResponseBase:
    items = selectors.item_list()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="随机抽查事项清单.xlsx",
            headers=ITEM_HEADERS,
            rows=(
                [
                    i.code,
                    i.name,
                    "；".join(i.sub_items),
                    i.basis,
                    i.subject,
                    i.objects,
                    i.ratio,
                    i.frequency,
                    i.method,
                    i.officer_requirement,
                ]
                for i in items.items
            ),
            sheet_title="抽查事项清单",
        )
    return render(request, "planning/public_items.html", {"items": items})


def public_notice(request: HttpRequest, pk: int) -> HttpResponseBase:
    notice = selectors.public_notice(pk)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"{notice.title}.xlsx",
            **_notice_table(notice),
            sheet_title=chinese(notice.get_kind_display()),
        )
    return render(
        request, "planning/public_notice.html", {"notice": notice, "table": _notice_table(notice)}
    )


def _notice_table(notice: Any) -> dict[str, Any]:
    body = notice.body
    if notice.kind == NoticeKind.RESULT:
        return {
            "headers": ["序号", "单位", "抽取层", "执法人员"],
            "rows": [
                [d["position"], d["enterprise"], d["stratum"], "、".join(d["officers"])]
                for d in body.get("draws", [])
            ],
        }
    if notice.kind == NoticeKind.PLAN:
        return {
            "headers": [
                "类别",
                "名称",
                "单位数",
                "最低频次（次/年）",
                "点名检查",
                "随机抽查",
                "缺口",
            ],
            "rows": [
                [
                    c["code"],
                    c["title"],
                    c["enterprises"],
                    c["min_visits_per_year"],
                    c["named_inspections"],
                    c["random_inspections"],
                    c["shortfall"],
                ]
                for c in body.get("classes", [])
            ],
        }
    if notice.kind == NoticeKind.TASK:
        commit = body.get("commit", {})
        return {
            "headers": ["项目", "内容"],
            "rows": [
                ["抽查编号", body.get("number")],
                ["检查月份", body.get("month")],
                ["名录库单位数", body.get("directory_size")],
                ["名录库快照 SHA-256", commit.get("directory_sha256")],
                ["执法人员库人数", body.get("pool_size")],
                ["执法人员库快照 SHA-256", commit.get("pool_sha256")],
                ["抽取参数 SHA-256", commit.get("parameters_sha256")],
                ["种子来源", commit.get("seed_source", {}).get("description")],
                ["种子公开日期", commit.get("seed_source", {}).get("value_date")],
                ["种子承诺 SHA-256", commit.get("seed_commitment_sha256")],
                ["冻结时间", commit.get("committed_at")],
                ["冻结公示 SHA-256", body.get("commit_sha256")],
            ],
        }
    return {
        "headers": ["项目", "内容"],
        "rows": [
            [k, json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v]
            for k, v in body.items()
        ],
    }


def public_draw_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    draw = selectors.public_draw(pk)
    return _json_download(services.draw_file(draw), f"{draw.number}.json")


@require_http_methods(["GET", "POST"])
def public_verify(request: HttpRequest) -> HttpResponseBase:
    verdict = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None or (upload.size or 0) > 200 * 1024 * 1024:
                raise drawing.Unreadable(
                    "no_file", "请选择抽查结果文件（JSON）。", "Choose a file."
                )
            data = json.loads(upload.read().decode("utf-8"))
            verdict = selectors.verify_draw_file(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            error = "文件不是 UTF-8 编码的 JSON。"
        except drawing.Unreadable as problem:
            error = DomainError(problem.code, problem.message, problem.message_en).localized_message
    return render(
        request, "planning/public_verify.html", {"verdict": verdict, "error": error}, status=200
    )
