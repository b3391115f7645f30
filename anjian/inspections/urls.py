from __future__ import annotations

from django.urls import path

from anjian.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("start/", views.start, name="start"),
    path("start/<int:enterprise_id>/", views.start_for_enterprise, name="start_for_enterprise"),
    path("tasks/<int:task_id>/start/", views.start_task, name="start_task"),
    path("records/", views.record_list, name="record_list"),
    path("records/<int:pk>/", views.detail, name="detail"),
    path("records/<int:pk>/record/", views.record, name="record"),
    path("records/<int:pk>/measures/", views.decide_measure, name="decide_measure"),
    path("measures/<int:pk>/lift/", views.lift_measure, name="lift_measure"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_history, name="enterprise_history"),
    path("supervision/", views.supervision, name="supervision"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("items/", views.item_lists, name="item_lists"),
    path("items/<int:pk>/", views.item_list_detail, name="item_list_detail"),
    path("figures/", views.figures, name="figures"),
]
