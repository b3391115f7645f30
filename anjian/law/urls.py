from __future__ import annotations

from django.urls import path

from anjian.law import views

app_name = "law"
urlpatterns = [
    path("violations/", views.violation_list, name="violation_list"),
    path("violations/<str:code>/", views.violation_detail, name="violation_detail"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("discretion/", views.discretion, name="discretion"),
    path("consistency/", views.consistency, name="consistency"),
]
