from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from anjian.accounts import services
from anjian.core.permissions import roles_of

router = Router(tags=["auth"])


class TokenRequest(Schema):
    username: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]


@router.post("/token", auth=None, response={201: TokenOut})
def issue_token(request: HttpRequest, payload: TokenRequest) -> tuple[int, dict[str, Any]]:
    token, raw = services.issue_token(
        request=request, username=payload.username, password=payload.password, name=payload.name
    )
    return 201, {"token": raw, "expires_at": token.expires_at}


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": sorted(roles_of(user)),  # remembered by the session (ADR 0009)
    }
