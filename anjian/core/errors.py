"""Domain errors: one exception type that carries a stable code and a message in Chinese and English.

Services raise `DomainError`; the API turns it into JSON (`{"code", "message", "message_en",
"details"}`) and the pages show `localized_message`, the message in the active language (English
when the user switched the interface to English, Chinese otherwise), next to the form. Nothing half-saved: services
raise before or inside their transaction, never after a partial write.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        message_en: str = "",
        *,
        details: Any = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.details = details
        if status is not None:
            self.status = status

    @property
    def localized_message(self) -> str:
        """The message in the active language: `message_en` in English, else the Chinese."""
        language = translation.get_language() or ""
        return self.message_en if language.startswith("en") else self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }
        if self.details is not None:
            body["details"] = self.details
        return body


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, action: str) -> None:
        super().__init__(
            "permission_denied",
            f"您没有执行此操作的权限（{action}）。",
            f"You are not allowed to do this ({action}).",
        )


class Conflict(DomainError):
    status = 409
