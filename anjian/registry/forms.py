from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.registry.models import EnterpriseStatus, KeyTag, RiskGrade


def show_error(
    form: forms.Form, error: DomainError, field_of_code: Mapping[str, str] | None = None
) -> None:
    """A service's refusal on a page's form, in the page's language: each problem of its details
    next to its field (all of them), else the whole message next to the field its code names in
    ``field_of_code``, else above the form."""
    problems = error.details if isinstance(error.details, list) else []
    if problems:
        english = (translation.get_language() or "").startswith("en")
        for problem in problems:
            field = problem.get("field")
            message = (
                (problem.get("message_en") or problem["message"]) if english else problem["message"]
            )
            form.add_error(field if field in form.fields else None, message)
        return
    field = (field_of_code or {}).get(error.code)
    form.add_error(field if field in form.fields else None, error.localized_message)


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词（名称或信用代码）"), required=False, max_length=100)
    region_code = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    industry_code = forms.CharField(label=_("行业代码"), required=False, max_length=5)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *EnterpriseStatus.choices]
    )
    risk_grade = forms.ChoiceField(
        label=_("风险等级"), required=False, choices=[("", _("全部")), *RiskGrade.choices]
    )
    tag = forms.ChoiceField(
        label=_("重点监管"), required=False, choices=[("", _("全部")), *KeyTag.choices]
    )


class EnterpriseForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50)
    address = forms.CharField(label=_("地址"), max_length=300)
    region_code = forms.CharField(label=_("所在区划代码（县或乡镇）"), max_length=12)
    industry_code = forms.CharField(label=_("国民经济行业代码（GB/T 4754）"), max_length=5)
    employees = forms.IntegerField(label=_("从业人员数"), min_value=0, initial=0)
    revenue = forms.DecimalField(
        label=_("营业收入（万元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    status = forms.ChoiceField(label=_("状态"), choices=EnterpriseStatus.choices)
    risk_grade = forms.ChoiceField(label=_("风险等级"), choices=RiskGrade.choices)
    supervising_agency = forms.TypedChoiceField(
        label=_("监管机构"), coerce=int, required=False, empty_value=None
    )
    tags = forms.MultipleChoiceField(
        label=_("重点监管类别"),
        choices=KeyTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    major_hazard_grade = forms.TypedChoiceField(
        label=_("重大危险源等级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, _("一级")), (2, _("二级")), (3, _("三级")), (4, _("四级"))],
    )
    blacklist_from = forms.DateField(label=_("黑名单起始日期"), required=False)
    blacklist_to = forms.DateField(label=_("黑名单截止日期"), required=False)
    blacklist_reason = forms.CharField(label=_("列入黑名单原因"), required=False, max_length=300)

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_field: Any = self.fields["supervising_agency"]
        choices_field.choices = [("", "—"), *((a.pk, a.name) for a in agencies)]

    def tag_list(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        tags: list[dict[str, Any]] = []
        for tag in data.get("tags") or []:
            entry: dict[str, Any] = {"tag": tag}
            if tag == KeyTag.MAJOR_HAZARD_SOURCE:
                entry["grade"] = data.get("major_hazard_grade")
            if tag == KeyTag.BLACKLIST:
                entry.update(
                    valid_from=data.get("blacklist_from"),
                    valid_to=data.get("blacklist_to"),
                    reason=data.get("blacklist_reason") or "",
                )
            tags.append(entry)
        return tags


class AssignAgencyForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("监管机构"), coerce=int)
    reason = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.choices = [(a.pk, a.name) for a in agencies]


class ClaimForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("申报机构"), coerce=int)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.choices = [(a.pk, a.name) for a in agencies]


class ClaimDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("uphold", _("支持：划归该机构监管")), ("reject", _("不予支持"))],
    )
    reason = forms.CharField(label=_("理由"), max_length=300)


class WithdrawClaimForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=300)
