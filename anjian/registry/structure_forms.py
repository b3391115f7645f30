"""Forms of the agency's delegations and of grids (pages only; the services validate)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.registry.models import Delegation, DelegationKind


class DelegationForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=DelegationKind.choices)
    delegating_agency = forms.TypedChoiceField(
        label=_("委托机关（书面委托必填）"), coerce=int, required=False, empty_value=None
    )
    instrument_number = forms.CharField(label=_("文件文号"), max_length=100)
    scope = forms.CharField(label=_("权限范围"), widget=forms.Textarea(attrs={"rows": 3}))
    violation_codes = forms.CharField(
        label=_("可处罚违法行为代码（法规库，每行一个或以逗号分隔）"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "WSL2021-097\nWSL2021-099"}),
    )
    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("失效日期（长期有效可不填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, delegating_agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["delegating_agency"]
        field.choices = [("", "—"), *((a.pk, a.name) for a in delegating_agencies)]

    def codes(self) -> list[str]:
        return [c for c in re.split(r"[\s,，、;；]+", self.cleaned_data["violation_codes"]) if c]


class DelegationChangeForm(DelegationForm):
    """Correcting a recorded delegation: its fields as recorded, and why they change."""

    reason = forms.CharField(label=_("更正理由"), max_length=300)

    @classmethod
    def initial_of(cls, delegation: Delegation) -> dict[str, Any]:
        return {
            "kind": delegation.kind,
            "delegating_agency": delegation.delegating_agency_id,
            "instrument_number": delegation.instrument_number,
            "scope": delegation.scope,
            "violation_codes": "\n".join(delegation.violation_codes),
            "valid_from": delegation.valid_from,
            "valid_to": delegation.valid_to,
        }


class EndDelegationForm(forms.Form):
    valid_to = forms.DateField(
        label=_("终止日期（最后有效日）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("终止理由"), max_length=300)


class GridForm(forms.Form):
    name = forms.CharField(label=_("网格名称"), max_length=100)
    region_code = forms.CharField(
        label=_("所在乡镇（街道）区划代码"),
        max_length=12,
        widget=forms.TextInput(attrs={"list": "grid-regions", "inputmode": "numeric"}),
    )


class GridOfficerForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("责任执法人员"), coerce=int)

    def __init__(self, *args: Any, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["officer"]
        field.choices = [(o.pk, f"{o.name}（{o.agency.name}）") for o in officers]
