"""Law pages: the searchable catalog, a violation's provisions and ranges, and the calculators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from anjian.core.errors import DomainError
from anjian.law import interface, selectors
from anjian.law.calendar import current_calendar


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "law.view")
    keyword = request.GET.get("q", "").strip()[:50]
    article_text = request.GET.get("article", "").strip()
    article = (
        int(article_text) if article_text.isdecimal() and 0 < int(article_text) < 1000 else None
    )
    items = interface.violations(keyword, article)
    return render(
        request,
        "law/violation_list.html",
        {
            "items": items,
            "q": keyword,
            "article": article_text,
            "article_invalid": bool(article_text) and article is None,
        },
    )


@login_required
def violation_detail(request: HttpRequest, code: str) -> HttpResponse:
    selectors.require(request.user, "law.view")
    try:
        violation = interface.violation(code)
    except DomainError:
        raise Http404 from None
    data = interface.violation_dict(violation, full=True)
    return render(request, "law/violation_detail.html", {"v": violation, "data": data})


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "law.view")
    events = interface.event_choices()
    context: dict[str, Any] = {"events": events, "values": {}}
    if request.GET:
        chosen = {name: request.GET[name] for name, _ in events if request.GET.get(name)}
        context["values"] = chosen
        if chosen:
            try:
                context["result"] = interface.deadlines(
                    {"events": chosen}, calendar=current_calendar()
                )
            except DomainError as error:
                context["error"] = error
    values = context["values"]
    context["event_rows"] = [(name, title, values.get(name, "")) for name, title in events]
    template = (
        "law/_deadline_result.html" if getattr(request, "htmx", False) else "law/deadlines.html"
    )
    return render(request, template, context)


PARTY_CHOICES = [
    ("unit", gettext_lazy("生产经营单位")),
    ("principal_person", gettext_lazy("主要负责人")),
    ("responsible_person", gettext_lazy("直接负责的主管人员和其他直接责任人员")),
    ("manager", gettext_lazy("其他负责人和安全生产管理人员")),
    ("investor", gettext_lazy("个人经营的投资人")),
    ("individual", gettext_lazy("个人")),
    ("other", gettext_lazy("其他")),
]
STAGE_CHOICES = [
    ("first_order", gettext_lazy("责令限期改正阶段")),
    ("overdue_not_corrected", gettext_lazy("逾期未改正")),
    ("refused", gettext_lazy("拒不改正")),
    ("accident", gettext_lazy("发生生产安全事故")),
]
GRADE_CHOICES = [
    ("", "—"),
    ("ordinary", gettext_lazy("一般事故")),
    ("larger", gettext_lazy("较大事故")),
    ("major", gettext_lazy("重大事故")),
    ("especially_major", gettext_lazy("特别重大事故")),
]


def _circumstance_choices() -> list[tuple[str, str, str]]:
    from anjian.law.core.discretion import default_discretion

    catalogue = default_discretion().circumstances
    return [(c.code, c.label_zh, str(c.kind)) for c in catalogue.circumstances]


@login_required
def discretion(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "law.view")
    data = request.POST if request.method == "POST" else request.GET
    context: dict[str, Any] = {
        "parties": PARTY_CHOICES,
        "stages": STAGE_CHOICES,
        "grades": GRADE_CHOICES,
        "circumstances": _circumstance_choices(),
        "values": data,
        "chosen": data.getlist("circumstances"),
    }
    if data.get("code") and data.get("act_date"):
        sheet: dict[str, Any] = {
            "violation_codes": [c.strip() for c in data["code"].split(",") if c.strip()],
            "act_date": data.get("act_date"),
            "party": data.get("party", "unit"),
            "stage": data.get("stage", "first_order"),
            "circumstances": data.getlist("circumstances"),
        }
        for key in ("decision_date", "accident_grade", "illegal_gains", "last_year_income"):
            if data.get(key):
                sheet[key] = data[key]
        try:
            context["result"] = interface.discretion(sheet)
        except DomainError as error:
            context["error"] = error
    template = (
        "law/_discretion_result.html" if getattr(request, "htmx", False) else "law/discretion.html"
    )
    return render(request, template, context)


@login_required
def consistency(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "law.consistency_report")
    code = request.GET.get("violation_code", "").strip()[:40]
    report = interface.consistency_report(
        selectors.consistency_records(request.user, violation_code=code)
    )
    return render(request, "law/consistency.html", {"report": report, "violation_code": code})
