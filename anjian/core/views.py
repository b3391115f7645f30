from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The API's answer to a missing or wrong CSRF token (Django's check here, django-ninja's in anjian/api.py).
CSRF_FAILED = {
    "code": "csrf_failed",
    "message": "安全校验失败：页面已过期或会话无效，请刷新页面后重新登录。",
    "message_en": "Security check failed: the page expired or the session is invalid. Reload and sign in again.",
}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(CSRF_FAILED, status=403)
    return render(request, "core/csrf_failure.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "not_found", "message": "记录不存在。", "message_en": "Not found."}, status=404
        )
    return render(request, "core/not_found.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "server_error",
                "message": "服务器内部错误，已记录。",
                "message_en": "Internal error; it was logged.",
            },
            status=500,
        )
    return render(request, "core/server_error.html", status=500)
