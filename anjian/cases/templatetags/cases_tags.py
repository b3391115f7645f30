from __future__ import annotations

from typing import Any

from django import template

from anjian.cases.models import CaseStatus
from anjian.cases.transitions import TRANSITIONS

register = template.Library()

_LABELS = {
    **{t.action: t.label_zh for t in TRANSITIONS},
    # Written records (anjian/cases/services.add_record): events without a row in the table.
    "add_record": "制作笔录",
    "revise_record": "更正笔录",
}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def action_label(action: str) -> str:
    return _LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return CaseStatus(status).label if status in CaseStatus.values else status


_PROCEDURE = {"hearing": "听证", "legal_review": "法制审核", "collective_discussion": "集体讨论"}
_TIERS = {
    "none": "不予处罚",
    "reduced": "减轻处罚",
    "lighter": "从轻处罚",
    "ordinary": "一般处罚",
    "heavier": "从重处罚",
}
_HEARING = {"held": "已举行", "absent": "当事人未到场（视为放弃）", "withdrawn": "当事人撤回申请"}


@register.filter
def procedure_label(key: str) -> str:
    return _PROCEDURE.get(key, key)


@register.filter
def tier_label(tier: str) -> str:
    return _TIERS.get(tier, tier)


@register.filter
def hearing_label(outcome: str) -> str:
    return _HEARING.get(outcome, outcome)
