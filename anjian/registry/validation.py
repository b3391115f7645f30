"""Field validation for registry input (forms, API and Excel import share these)."""

from __future__ import annotations

from stdnum.cn import uscc as uscc_module
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from anjian.core.errors import DomainError


def clean_uscc(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015) with python-stdnum; return its compact form."""
    raw = (value or "").strip()
    if not raw:
        raise DomainError(
            "uscc_required",
            "统一社会信用代码不能为空。",
            "The unified social credit code is required.",
        )
    try:
        return str(uscc_module.validate(raw))
    except InvalidLength:
        raise DomainError(
            "uscc_length",
            f"统一社会信用代码“{raw}”应为18位。",
            f"Credit code {raw!r} must have 18 characters.",
        ) from None
    except InvalidChecksum:
        raise DomainError(
            "uscc_checksum",
            f"统一社会信用代码“{raw}”校验位错误。",
            f"Credit code {raw!r} has a wrong check digit.",
        ) from None
    except (InvalidFormat, InvalidComponent, ValidationError):
        raise DomainError(
            "uscc_format",
            f"统一社会信用代码“{raw}”格式错误（含非法字符或登记管理部门代码无效）。",
            f"Credit code {raw!r} is malformed.",
        ) from None


def uscc_with_check_digit(first17: str) -> str:
    return first17 + str(uscc_module.calc_check_digit(first17))
