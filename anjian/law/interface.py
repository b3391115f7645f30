"""One translation layer between the law core and its users (CLI, API, pages): JSON in, JSON out.

Input problems raise ``DomainError`` with code ``invalid_input`` and a message that says what is
wrong, in Chinese and English; the CLI exits 2 with it, the API answers 422, pages show it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from anjian.core.errors import DomainError
from anjian.law.core.catalog import Catalog, Citation, ViolationType, default_catalog
from anjian.law.core.timelimits import DueDate, compute_deadlines, time_limit_book


class InvalidInput(DomainError):
    status = 422

    def __init__(self, message: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(
            "invalid_input", message, message_en, details={"field": field} if field else None
        )


def citation_dict(citation: Citation, catalog: Catalog | None = None) -> dict[str, Any]:
    catalog = catalog or default_catalog()
    provision = catalog.provision(citation)
    return {
        "law": citation.law,
        "law_version": citation.law_version,
        "article": citation.article,
        "paragraph": citation.paragraph,
        "item": citation.item,
        "label_zh": citation.label_zh(),
        "label_en": citation.label_en(),
        "text_zh": provision.text_zh if provision else citation.text_zh,
    }


def violation_dict(
    violation: ViolationType, *, full: bool = False, catalog: Catalog | None = None
) -> dict[str, Any]:
    catalog = catalog or default_catalog()
    data: dict[str, Any] = {
        "code": violation.code,
        "title_zh": violation.title_zh,
        "law": violation.law,
        "law_version": violation.law_version,
        "valid_from": violation.valid_from.isoformat(),
        "valid_to": violation.valid_to.isoformat() if violation.valid_to else None,
        "confidence": str(violation.confidence),
        "violated_provisions": [citation_dict(c, catalog) for c in violation.violated_provisions],
        "penalty_provision": citation_dict(violation.penalty_provision, catalog),
    }
    if full:
        data.update(
            description_zh=violation.description_zh,
            elements_zh=list(violation.elements_zh),
            sanctions=[s.model_dump(mode="json") for s in violation.sanctions],
            notes=violation.notes,
            successors=list(
                violation.successors or ([violation.successor] if violation.successor else [])
            ),
        )
    return data


def violations(
    keyword: str = "", article: int | None = None, on: dt.date | None = None
) -> list[ViolationType]:
    catalog = default_catalog()
    items = catalog.search(keyword) if keyword.strip() else list(catalog.violation_types)
    if article is not None:
        items = [
            v
            for v in items
            if v.penalty_provision.article == article
            or any(c.article == article for c in v.violated_provisions)
        ]
    if on is not None:
        items = [v for v in items if v.is_in_force(on)]
    return items


def violation(code: str) -> ViolationType:
    try:
        return default_catalog().violation(code)
    except KeyError:
        raise InvalidInput(
            f"未知的违法行为代码“{code}”。", f"Unknown violation code {code!r}.", field="code"
        ) from None


def parse_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field}：日期“{value}”无效，应为 YYYY-MM-DD。",
            f"{field}: {value!r} is not a date (YYYY-MM-DD).",
            field=field,
        ) from None


def parse_moment(value: Any, field: str) -> dt.date | dt.datetime:
    text = str(value)
    if "T" in text or " " in text.strip():
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"{field}：时间“{value}”无效，应为 ISO 8601（如 2026-03-01T09:30+08:00）。",
                f"{field}: {value!r} is not an ISO 8601 time.",
                field=field,
            ) from None
        if moment.tzinfo is None:
            raise InvalidInput(
                f"{field}：时间须带时区（如 +08:00）。",
                f"{field}: the time needs a UTC offset.",
                field=field,
            )
        return moment
    return parse_date(value, field)


def due_dict(item: DueDate) -> dict[str, Any]:
    due = item.due.isoformat() if item.due is not None else None
    return {
        "rule_id": item.rule_id,
        "title_zh": item.title_zh,
        "trigger": item.trigger,
        "trigger_date": item.trigger_date.isoformat() if item.trigger_date else None,
        "direction": item.direction,
        "kind": item.kind,
        "period": item.period,
        "due": due,
        "basis": item.basis,
        "unit_basis": item.unit_basis,
        "confidence": str(item.confidence) if item.confidence else None,
        "version": item.version,
        "flags": list(item.flags),
        "unknown_calendar_year": item.unknown_calendar_year,
    }


def deadlines(request: Any, *, calendar: Any = None) -> dict[str, Any]:
    """``{"events": {"case_filed": "2026-03-02", ...}}`` → every due date those events start."""
    if (
        not isinstance(request, dict)
        or not isinstance(request.get("events"), dict)
        or not request["events"]
    ):
        raise InvalidInput(
            '请求应为 {"events": {事件名: 日期}}，且至少含一个事件。',
            'Expected {"events": {event name: date}} with at least one event.',
            field="events",
        )
    known = time_limit_book().events
    events: dict[str, dt.date | dt.datetime] = {}
    for name, value in request["events"].items():
        if name not in known:
            raise InvalidInput(
                f"未知事件“{name}”。可用事件：{'、'.join(sorted(known))}。",
                f"Unknown event {name!r}.",
                field=f"events.{name}",
            )
        moment = parse_moment(value, f"events.{name}")
        if (moment.date() if isinstance(moment, dt.datetime) else moment).year < 1990:
            raise InvalidInput(
                f"events.{name}：日期过早。",
                f"events.{name}: date is implausibly early.",
                field=f"events.{name}",
            )
        events[name] = moment
    results = compute_deadlines(events, calendar=calendar)
    return {
        "events": {k: v.isoformat() for k, v in events.items()},
        "deadlines": [due_dict(r) for r in results],
    }


def event_choices() -> list[tuple[str, str]]:
    return [(name, event.title_zh) for name, event in time_limit_book().events.items()]


def discretion(request: Any) -> dict[str, Any]:
    """A fact sheet (docs/law/discretion.md) → the engine's decision as JSON."""
    from anjian.law.core.discretion import FactSheet, evaluate

    if not isinstance(request, dict):
        raise InvalidInput("事实表应为 JSON 对象。", "The fact sheet must be a JSON object.")
    facts = FactSheet.model_validate(request)
    decision = evaluate(facts)
    result: dict[str, Any] = decision.model_dump(mode="json")
    return result


def consistency_report(
    records: Any, *, median_share: Any = "0.5", min_group_size: int = 3
) -> dict[str, Any]:
    from anjian.law.core.consistency import check_consistency

    try:
        report = check_consistency(
            records, median_share=median_share, min_group_size=min_group_size
        )
    except ValueError as error:
        raise InvalidInput(f"参数无效：{error}", str(error)) from None
    result: dict[str, Any] = report.to_dict()
    return result
