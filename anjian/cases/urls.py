from __future__ import annotations

from django.urls import path

from anjian.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("new/", views.case_new, name="new"),
    path("on-the-spot/", views.on_the_spot, name="on_the_spot"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.case_act, name="act"),
    path("<int:pk>/records/new/<str:kind>/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
]
