from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anjian.accounts.models import User
from anjian.accounts.services import invalidate_access
from anjian.audit.admin_mixins import AuditedModelAdmin
from anjian.registry.models import Agency, Certificate, Delegation, Industry, Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "is_synthetic"]
    list_filter = ["level", "is_synthetic"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Industry)
class IndustryAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "level", "kind", "region"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["region", "parent"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A changed region changes the scope of every officer of the agency.
        super().save_model(request, obj, form, change)
        invalidate_access(users=User.objects.filter(officer__agency=obj))


@admin.register(Delegation)
class DelegationAdmin(AuditedModelAdmin):
    list_display = ["agency", "kind", "instrument_number", "valid_from", "valid_to"]
    raw_id_fields = ["agency", "delegating_agency"]


@admin.register(Certificate)
class CertificateAdmin(AuditedModelAdmin):
    list_display = ["number", "officer", "issuer", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    search_fields = ["number", "officer__name"]
    raw_id_fields = ["officer"]
