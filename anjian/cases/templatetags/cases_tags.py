from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext, gettext_noop

from anjian.cases.models import CaseStatus
from anjian.cases.transitions import TRANSITIONS

register = template.Library()

_LABELS = {
    **{t.action: t.label_zh for t in TRANSITIONS},
    # Written records (anjian/cases/services.add_record): events without a row in the table.
    "add_record": gettext_noop("制作笔录"),
    "revise_record": gettext_noop("更正笔录"),
}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def proof_key(violation_id: Any, element_index: Any) -> str:
    """The value of a 证明的要件 checkbox, ``<violation id>:<element index>``."""
    return f"{violation_id}:{element_index}"


@register.filter
def action_label(action: str) -> str:
    return gettext(_LABELS.get(action, action))


@register.filter
def status_label(status: str) -> str:
    return str(CaseStatus(status).label) if status in CaseStatus.values else status


_PROCEDURE = {
    "hearing": gettext_noop("听证"),
    "legal_review": gettext_noop("法制审核"),
    "collective_discussion": gettext_noop("集体讨论"),
}
_TIERS = {
    "none": gettext_noop("不予处罚"),
    "reduced": gettext_noop("减轻处罚"),
    "lighter": gettext_noop("从轻处罚"),
    "ordinary": gettext_noop("一般处罚"),
    "heavier": gettext_noop("从重处罚"),
}
_HEARING = {
    "held": gettext_noop("已举行"),
    "absent": gettext_noop("当事人未到场（视为放弃）"),
    "withdrawn": gettext_noop("当事人撤回申请"),
}


@register.filter
def procedure_label(key: str) -> str:
    return gettext(_PROCEDURE.get(key, key))


@register.filter
def tier_label(tier: str) -> str:
    return gettext(_TIERS.get(tier, tier))


@register.filter
def hearing_label(outcome: str) -> str:
    return gettext(_HEARING.get(outcome, outcome))
