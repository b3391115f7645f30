from __future__ import annotations

from django.urls import path

from anjian.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("settings/", views.profile_page, name="profile"),
    path("verify/", views.verify_page, name="verify"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/pages/<int:page>.png", views.document_page_png, name="page_png"),
    path("<int:pk>/issue/", views.document_issue, name="issue"),
    path("<int:pk>/void/", views.document_void, name="void"),
    path("<int:pk>/refresh/", views.document_refresh, name="refresh"),
    path("<int:pk>/deliver/", views.document_deliver, name="deliver"),
    path("subjects/<str:subject_type>/<str:subject_id>/", views.subject_panel, name="panel"),
    path(
        "subjects/<str:subject_type>/<str:subject_id>/generate/",
        views.subject_generate,
        name="generate",
    ),
    path("case-files/<str:case_key>/pdf/", views.case_file_pdf, name="case_file"),
]
