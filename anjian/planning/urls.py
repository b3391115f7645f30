from __future__ import annotations

from django.urls import path

from anjian.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/parameters/", views.plan_parameters, name="plan_parameters"),
    path("plans/<int:pk>/build/", views.plan_build, name="plan_build"),
    path("plans/<int:pk>/transition/", views.plan_transition, name="plan_transition"),
    path("plans/<int:pk>/adjust/", views.plan_adjust, name="plan_adjust"),
    path("plans/<int:pk>/enterprises/", views.plan_enterprises, name="plan_enterprises"),
    path("plans/<int:pk>/completion/", views.plan_completion, name="plan_completion"),
    path("completion/", views.completion_overview, name="completion"),
    path("overlap/", views.overlap, name="overlap"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/file.json", views.draw_file, name="draw_file"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="draw_action"),
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_new, name="operation_new"),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/close/", views.operation_close, name="operation_close"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("teams/", views.team_list, name="team_list"),
    # Public (no login): published notices, the item list, draw files, the verifier.
    path("public/", views.public_index, name="public_index"),
    path("public/items/", views.public_items, name="public_items"),
    path("public/notices/<int:pk>/", views.public_notice, name="public_notice"),
    path("public/draws/<int:pk>/file.json", views.public_draw_file, name="public_draw_file"),
    path("public/verify/", views.public_verify, name="public_verify"),
]
