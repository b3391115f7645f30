"""Law pages: the searchable catalog, a violation's provisions and ranges, and the calculators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core.errors import DomainError
from anjian.law import interface, selectors
from anjian.law.calendar import current_calendar


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "law.view")
    keyword = request.GET.get("q", "").strip()[:50]
    article_text = request.GET.get("article", "").strip()
    article = int(article_text) if article_text.isdigit() and 0 < int(article_text) < 1000 else None
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
