from __future__ import annotations

from django.contrib import admin

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
