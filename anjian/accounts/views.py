from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKOUT_MESSAGE = "登录失败次数过多，账户已暂时锁定，请稍后再试或联系管理员。"
LOCKOUT_MESSAGE_EN = "Too many failed sign-ins: the account is locked for a while. Try later or ask an administrator."


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "locked_out", "message": LOCKOUT_MESSAGE, "message_en": LOCKOUT_MESSAGE_EN},
            status=429,
        )
    return render(request, "accounts/locked.html", {"message": LOCKOUT_MESSAGE}, status=429)
