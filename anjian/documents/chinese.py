"""Chinese forms of amounts and dates as enforcement documents print them (plain Python, no Django).

- ``amount_in_capitals(Decimal("12000"))`` → ``"壹万贰仟元整"`` (中文大写金额, the rules of the
  People's Bank of China 《支付结算办法》 附件: 元 is followed by 整 when there are no 角/分; a zero
  between digits is written once as 零; a zero 元 digit before 角 may be written as 零 and is omitted
  here, as 《支付结算办法》 allows; 角 without 分 takes no 整).
- ``amount_in_figures(Decimal("12000"))`` → ``"12,000.00"``.
- ``chinese_date(date(2026, 3, 2))`` → ``"二〇二六年三月二日"`` (year digit by digit with 〇, month and
  day as numbers: 十, 十一, 二十, 三十一), the form of GB/T 9704 dates written out in characters.
- Numbers in words (months, days, hours, periods: 十五日, 六个月) are the law catalog's ``zh_number``
  (anjian/law/core/catalog.py), the one writer of article numbers too.
- ``numeric_date(date(2026, 3, 2))`` → ``"2026年3月2日"``, the form most national 执法文书式样 use
  in filled-in blanks.

The project checked cn2an (PyPI) for amounts: below 1亿 it agrees with ``amount_in_capitals``
(the tests compare them over many amounts); above, cn2an 0.5.24 drops the 零 that stands for an
all-zero 万 group (593,0000,3011 → …亿叁仟… instead of …亿零叁仟…), and it brings two further
packages. So these few lines are kept and cn2an is only a test dependency (pinned).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from anjian.law.core.catalog import zh_number

__all__ = [
    "amount_in_capitals",
    "amount_in_figures",
    "chinese_date",
    "chinese_datetime",
    "numeric_date",
    "numeric_datetime",
    "parse_amount",
]

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")
_YEAR_DIGITS = "〇一二三四五六七八九"
_CENT = Decimal("0.01")
#: Below 1 万亿 (10^12 yuan): above it the conventions differ (万亿 or 万…亿) and no fine reaches it.
MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(value: Decimal | int | str) -> Decimal:
    """An amount in yuan as a Decimal rounded to the fen; floats are refused (binary fractions)."""
    if isinstance(value, float):
        raise TypeError("pass amounts as Decimal, int or str, not float")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("amounts must not be negative")
    if amount > MAX_AMOUNT:
        raise ValueError("amounts of 1 万亿 yuan or more are not written here")
    return amount


def _group_in_capitals(group: int) -> str:
    """0 < group < 10000 → e.g. 1010 → 壹仟零壹拾 (no leading or trailing zero)."""
    digits = f"{group:04d}"
    out = ""
    pending_zero = False
    for position, char in enumerate(digits):
        digit = int(char)
        unit = _SMALL_UNITS[3 - position]
        if digit == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += _CAPITAL_DIGITS[digit] + unit
    return out


def _integer_in_capitals(number: int) -> str:
    if number == 0:
        return ""
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out = ""
    zero_between = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if out:
                zero_between = True
            continue
        if out and (zero_between or group < 1000):
            out += "零"
        zero_between = False
        out += _group_in_capitals(group) + _GROUP_UNITS[index]
    return out


def amount_in_capitals(value: Decimal | int | str) -> str:
    """中文大写金额: 12000 → 壹万贰仟元整; 100000.05 → 壹拾万元零伍分; 0 → 零元整."""
    amount = parse_amount(value)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    integer = _integer_in_capitals(yuan)
    if not jiao and not fen:
        return (integer or "零") + "元整"
    out = integer + "元" if integer else ""
    if jiao:
        out += _CAPITAL_DIGITS[jiao] + "角"
    if fen:
        if integer and not jiao:
            out += "零"
        out += _CAPITAL_DIGITS[fen] + "分"
    return out


def amount_in_figures(value: Decimal | int | str) -> str:
    """12000 → 12,000.00 (the figures printed beside the capitals: ¥12,000.00)."""
    return f"{parse_amount(value):,.2f}"


def chinese_date(day: dt.date) -> str:
    """2026-03-02 → 二〇二六年三月二日."""
    if isinstance(day, dt.datetime):
        day = day.date()
    year = "".join(_YEAR_DIGITS[int(c)] for c in f"{day.year:04d}")
    return f"{year}年{zh_number(day.month)}月{zh_number(day.day)}日"


def numeric_date(day: dt.date) -> str:
    """2026-03-02 → 2026年3月2日."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def numeric_datetime(moment: dt.datetime) -> str:
    """2026-03-02 09:05 → 2026年3月2日9时05分 (the wall-clock time given; pass a local time)."""
    return f"{numeric_date(moment)}{moment.hour}时{moment.minute:02d}分"


def chinese_datetime(moment: dt.datetime) -> str:
    """2026-03-02 09:05 → 二〇二六年三月二日九时五分."""
    out = f"{chinese_date(moment)}{zh_number(moment.hour)}时"
    return out + (f"{zh_number(moment.minute)}分" if moment.minute else "")
