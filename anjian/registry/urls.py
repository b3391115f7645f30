from __future__ import annotations

from django.urls import path

from anjian.registry import export_views, io_views, structure_views, views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/claims/", views.file_claim, name="file_claim"),
    path("claims/<int:pk>/decision/", views.decide_claim, name="decide_claim"),
    path("claims/<int:pk>/withdrawal/", views.withdraw_claim, name="withdraw_claim"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", structure_views.agency_detail, name="agency_detail"),
    path(
        "agencies/<int:pk>/delegations/",
        structure_views.add_delegation,
        name="add_delegation",
    ),
    path(
        "delegations/<int:pk>/change/",
        structure_views.change_delegation,
        name="change_delegation",
    ),
    path(
        "delegations/<int:pk>/end/",
        structure_views.end_delegation,
        name="end_delegation",
    ),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("grids/", structure_views.grid_list, name="grid_list"),
    path("grids/<int:pk>/", structure_views.grid_detail, name="grid_detail"),
    path("jurisdiction/", views.jurisdiction_report, name="jurisdiction_report"),
    # Background list exports (export_views.py, export_jobs.py)
    path("exports/", export_views.export_list_page, name="export_list"),
    path("exports/new/", export_views.export_new, name="export_new"),
    path("exports/<int:pk>/", export_views.export_job, name="export_job"),
    path(
        "exports/<int:pk>/progress/",
        export_views.export_job_progress,
        name="export_job_progress",
    ),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    # Excel export of the lists and import of the enterprise directory (io_views.py)
    path("enterprises/export.xlsx", io_views.enterprise_export, name="enterprise_export"),
    path("agencies/export.xlsx", io_views.agency_export, name="agency_export"),
    path("officers/export.xlsx", io_views.officer_export, name="officer_export"),
    path("enterprises/import/", io_views.import_page, name="import_page"),
    path("enterprises/import/template.xlsx", io_views.import_template, name="import_template"),
    path("enterprises/import/<int:pk>/", io_views.import_job, name="import_job"),
    path(
        "enterprises/import/<int:pk>/progress/",
        io_views.import_job_progress,
        name="import_job_progress",
    ),
    path(
        "enterprises/import/<int:pk>/errors.xlsx",
        io_views.import_job_errors,
        name="import_job_errors",
    ),
]
