from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import cn2an
import pytest

from anjian.documents.chinese import (
    amount_in_capitals,
    amount_in_figures,
    chinese_date,
    chinese_datetime,
    numeric_date,
    parse_amount,
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("12000", "壹万贰仟元整"),
        ("20000", "贰万元整"),
        ("100000.05", "壹拾万元零伍分"),
        ("10.5", "壹拾元伍角"),
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("1010", "壹仟零壹拾元整"),
        ("1001000", "壹佰万壹仟元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("1000001", "壹佰万零壹元整"),
        ("100010001.10", "壹亿零壹万零壹元壹角"),
        ("3000000.00", "叁佰万元整"),
        ("3600", "叁仟陆佰元整"),
        (Decimal("10000000"), "壹仟万元整"),
        (200, "贰佰元整"),
    ],
)
def test_amount_in_capitals_follows_the_payment_rules(amount, expected):
    assert amount_in_capitals(amount) == expected


def test_amount_in_capitals_agrees_with_cn2an_below_one_hundred_million():
    rng = random.Random(20260302)
    for _ in range(20000):
        yuan = rng.choice(
            [
                rng.randint(0, 10 ** rng.randint(1, 8) - 1),
                rng.randint(0, 999) * 10 ** rng.randint(0, 5),
            ]
        )
        cents = rng.choice([0, 0, rng.randint(0, 99)])
        text = f"{yuan}.{cents:02d}"
        assert amount_in_capitals(text) == cn2an.an2cn(text, "rmb"), text


def test_a_zero_ten_thousand_group_between_digits_is_written_as_one_zero():
    # 593,0000,3011: cn2an 0.5.24 drops this 零; the payment rules (中间连续有几个0…写一个零字) keep it.
    assert amount_in_capitals("59300003011") == "伍佰玖拾叁亿零叁仟零壹拾壹元整"
    assert amount_in_capitals("100000001") == "壹亿零壹元整"


def test_amounts_refuse_floats_negatives_and_amounts_beyond_a_trillion():
    with pytest.raises(TypeError):
        amount_in_capitals(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parse_amount("-1")
    with pytest.raises(ValueError):
        parse_amount("1000000000000")
    with pytest.raises(ValueError):
        parse_amount("一万")


def test_amount_in_figures_has_separators_and_two_decimals():
    assert amount_in_figures("12000") == "12,000.00"
    assert amount_in_figures("0.5") == "0.50"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 2), "二〇二六年三月二日"),
        (dt.date(2026, 10, 10), "二〇二六年十月十日"),
        (dt.date(2030, 12, 31), "二〇三〇年十二月三十一日"),
        (dt.date(2000, 1, 20), "二〇〇〇年一月二十日"),
        (dt.date(2019, 11, 15), "二〇一九年十一月十五日"),
    ],
)
def test_chinese_date_writes_the_year_digit_by_digit(day, expected):
    assert chinese_date(day) == expected


def test_numeric_and_time_forms():
    assert numeric_date(dt.date(2026, 3, 2)) == "2026年3月2日"
    assert chinese_datetime(dt.datetime(2026, 3, 2, 9, 5)) == "二〇二六年三月二日九时五分"
    assert chinese_datetime(dt.datetime(2026, 3, 2, 14, 0)) == "二〇二六年三月二日十四时"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "零"),  # 零时
        (10, "十"),  # 十月, 十日
        (11, "十一"),
        (20, "二十"),
        (60, "六十"),  # 六十日 (行政复议)
        (105, "一百零五"),
        (1000, "一千"),
    ],
)
def test_numbers_in_words_are_the_law_catalogs(number, expected):
    # Documents write days, months, hours and periods with the law catalog's zh_number (the one
    # copy: the documents app's own chinese_number was removed).
    from anjian.law.core.catalog import zh_number

    assert zh_number(number) == expected


def test_numbers_documents_never_print_in_words_are_refused_not_miswritten():
    from anjian.law.core.catalog import zh_number

    with pytest.raises(ValueError):
        zh_number(10010)  # no date part, period or rate reaches 10,000
    with pytest.raises(ValueError):
        zh_number(-1)


def test_a_period_prints_in_words_from_the_law_data():
    from anjian.documents.remedies import period_text
    from anjian.law.core.timelimits import Period

    assert period_text(Period(amount=15, unit="natural_days")) == "十五日"
    assert period_text(Period(amount=6, unit="months")) == "六个月"
    assert period_text(Period(amount=5, unit="working_days")) == "五日"


def test_midnight_is_written_as_zero_hours():
    assert chinese_datetime(dt.datetime(2026, 3, 2, 0, 10)) == "二〇二六年三月二日零时十分"
