from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from anjian.api import api

handler404 = "anjian.core.views.not_found"
handler500 = "anjian.core.views.server_error"

urlpatterns = [
    path("", include("anjian.core.urls")),
    path("accounts/", include("anjian.accounts.urls")),
    path("registry/", include("anjian.registry.urls")),
    path("law/", include("anjian.law.urls")),
    path("documents/", include("anjian.documents.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("planning/", include("anjian.planning.urls")),
    path("evidence/", include("anjian.evidence.urls")),
    path("cases/", include("anjian.cases.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
