from __future__ import annotations

from django.urls import path

from anjian.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/files/", views.upload_file, name="upload"),
    path("<int:pk>/custody/", views.record_custody, name="custody"),
    path("<int:pk>/exclude/", views.exclude, name="exclude"),
    path("files/<int:pk>/download/", views.download_file, name="download"),
    path("preservations/<int:pk>/", views.preservation_detail, name="preservation_detail"),
]
