"""A person party's identity number (公民身份号码, GB 11643-1999) and what it says.

An 18-character number of digits (the last may be X) is a citizen identity number: its check digit
and its date of birth are verified with python-stdnum's ``stdnum.cn.ric`` (not its region lookup),
and its sequence code gives the sex (odd: male, even: female; GB 11643-1999 §4.3). A number that is only digits but not
18 long (a 15-digit first-generation number, a typo) is refused. Any other certificate number (a
passport, a Hong Kong/Macao permit) is kept as given: its format is not ours to check.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from anjian.core.errors import DomainError

_DIGITS = re.compile(r"^[0-9]+[Xx]?$")


@dataclass(frozen=True)
class IdentityNumber:
    number: str
    birth_date: dt.date | None = None
    gender: str = ""  # "male" / "female" when the number is a citizen identity number


def _refuse(code: str, message_zh: str, message_en: str) -> DomainError:
    return DomainError(code, message_zh, message_en, details={"field": "id_number"}, status=422)


def parse_id_number(value: str) -> IdentityNumber:
    raw = re.sub(r"\s+", "", value or "")
    if not raw or not _DIGITS.match(raw):
        return IdentityNumber(raw)
    if len(raw) != 18:
        raise _refuse(
            "invalid_id_number",
            f"身份证号“{raw}”应为18位（第一代15位身份证已停止使用）。",
            f"Identity number {raw!r} must have 18 characters.",
        )
    number = raw.upper()
    if not number[:-1].isdecimal() or number[-1] != ric.calc_check_digit(number):
        raise _refuse(
            "invalid_id_number",
            f"身份证号“{raw}”校验位错误，请核对。",
            f"Identity number {raw!r} has a wrong check digit.",
        )
    # Not ric.validate(): it also looks the address code up in python-stdnum's own list of
    # regions, which lacks codes in use (320102 南京市玄武区), so it would refuse real numbers.
    try:
        birth_date = ric.get_birth_date(number)
    except ValidationError:
        birth_date = None
    if birth_date is None or not dt.date(1900, 1, 1) <= birth_date <= timezone.localdate():
        raise _refuse(
            "invalid_id_number",
            f"身份证号“{raw}”中的出生日期无效，请核对。",
            f"Identity number {raw!r} holds no valid date of birth.",
        )
    return IdentityNumber(
        number=number,
        birth_date=birth_date,
        gender="male" if int(number[16]) % 2 else "female",
    )


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Full years of age on a day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
