"""The JSON API under /api/v1 (django-ninja), with its OpenAPI 3 document at /api/v1/openapi.json.

Authentication: the browser session (with CSRF) or a bearer token from ``POST /api/v1/auth/token``.
Errors are JSON: ``{"code": stable code, "message": Chinese, "message_en": English, "details": ...}``.
Each app contributes a router; the root only mounts them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from anjian.core.errors import DomainError
from anjian.core.views import CSRF_FAILED


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from anjian.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as characters, not \\u escapes: smaller responses, readable logs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Anjian 安监执法平台 API",
    version="1",
    description="Work-safety enforcement: registry, law, inspections, cases. Errors carry a stable `code` and a Chinese `message`.",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
    docs_url="/docs",
    # Served from ninja's own static files (ninja is an installed app); no online validator badge.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.as_dict())


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(
        request, 404, {"code": "not_found", "message": "记录不存在。", "message_en": "Not found."}
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        {
            "code": "unauthenticated",
            "message": "未登录或登录已失效，请重新登录。",
            "message_en": "Not signed in, or the session or token expired.",
        },
    )


def _field_name(loc: list[Any]) -> str:
    return ".".join(
        str(part) for part in loc if part not in {"body", "query", "path", "payload", "form"}
    )


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {
            "field": _field_name(list(error.get("loc", []))),
            "problem": error.get("type", ""),
            "message_en": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    fields = "、".join(sorted({d["field"] for d in details if d["field"]})) or "请求内容"
    return _error(
        request,
        422,
        {
            "code": "invalid_input",
            "message": f"输入有误：{fields}。请检查后重试。",
            "message_en": "Invalid input.",
            "details": details,
        },
    )


# django-ninja raises HttpError with fixed English texts for failures of the request itself; each
# gets a stable code and a Chinese message like every other API error.
INVALID_JSON = {
    "code": "invalid_json",
    "message": "请求内容不是有效的 JSON，无法解析。",
    "message_en": "The request body is not valid JSON.",
}
_HTTP_ERRORS_BY_STATUS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求有误，无法处理。", "Bad request."),
    403: ("permission_denied", "您没有执行此操作的权限。", "You are not allowed to do this."),
    405: ("method_not_allowed", "不支持该请求方法。", "Method not allowed."),
    413: ("too_large", "请求内容过大。", "The request is too large."),
    429: ("too_many_requests", "请求过于频繁，请稍后重试。", "Too many requests; try again later."),
}


def http_error_body(exc: HttpError) -> dict[str, str]:
    if exc.status_code == 403 and exc.message == "CSRF check Failed":
        return CSRF_FAILED
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return INVALID_JSON
    code, message, message_en = _HTTP_ERRORS_BY_STATUS.get(
        exc.status_code, ("http_error", "请求无法处理。", "The request could not be processed.")
    )
    return {"code": code, "message": message, "message_en": message_en}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, http_error_body(exc))


def mount_routers() -> None:
    from anjian.accounts.api import router as accounts_router
    from anjian.cases.api import router as cases_router
    from anjian.documents.api import router as documents_router
    from anjian.evidence.api import router as evidence_router
    from anjian.inspections.api import router as inspections_router
    from anjian.law.api import router as law_router
    from anjian.planning.api import router as planning_router
    from anjian.registry.api import router as registry_router

    api.add_router("/auth", accounts_router)
    api.add_router("/registry", registry_router)
    api.add_router("/law", law_router)
    api.add_router("/documents", documents_router)
    api.add_router("/inspections", inspections_router)
    api.add_router("/planning", planning_router)
    api.add_router("/evidence", evidence_router)
    api.add_router("/cases", cases_router)


mount_routers()
