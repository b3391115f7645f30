"""Time limits printed in documents, taken from the law data (anjian/law/data/time_limits.yaml).

The remedies paragraph (行政复议 60 days, 行政诉讼 6 months), the 15 days to pay a fine, the 5 days
to ask for a hearing, the 10 days after a reminder: each comes from the rule version in force on the
document's date, so a change of law is a change of data, not of a template.

Each figure printed is noted on the layout's ``Ctx`` with its source (rule, version, article,
confidence): the document itself carries no warning, but the officer is shown which printed figures
come from unverified data and must acknowledge them to issue (``services.issue``).
"""

from __future__ import annotations

import datetime as dt

from anjian.core.errors import DomainError
from anjian.documents.content import Block, Ctx, RunLike, para, value
from anjian.law.core.catalog import zh_number
from anjian.law.core.timelimits import LegalBasis, Period, basis_label, get_rule, time_limit_book

_UNIT_ZH = {
    "natural_days": "日",
    "working_days": "日",
    "months": "个月",
    "years": "年",
    "hours": "小时",
}

#: Issuer fields (from the agency's document settings) and how a refusal names them.
ISSUER_LABELS = {
    "issuer.review_body": "行政复议机关（本机关文书设置）",
    "issuer.court": "管辖人民法院（本机关文书设置）",
    "issuer.payment_bank": "罚款代收银行（本机关文书设置）",
    "issuer.payment_account": "罚款缴款账号（本机关文书设置）",
    "issuer.address": "本机关地址（本机关文书设置）",
    "issuer.phone": "本机关联系电话（本机关文书设置）",
}


def period_text(period: Period) -> str:
    """60 natural days → 六十日; 6 months → 六个月; 5 working days → 五日 (APL Art 85 reads 五日 as
    working days, so the document prints the statute's own words)."""
    return f"{zh_number(period.amount)}{_UNIT_ZH[period.unit]}"


def note_figure(
    c: Ctx,
    *,
    source: str,
    title: str,
    title_en: str,
    version: str,
    basis: LegalBasis,
    figure: str,
    confidence: str,
) -> None:
    """Record on the layout that ``figure`` was printed from this version of the law data."""
    entry = {
        "source": source,
        "title": title,
        "title_en": title_en,
        "version": version,
        "article": basis_label(basis),
        "figure": figure,
        "confidence": confidence,
    }
    if entry not in c.figures:
        c.figures.append(entry)


def rule_period(c: Ctx, rule_id: str, on: dt.date) -> str:
    """The period of ``rule_id`` in force on ``on`` as printed (六十日), noted on ``c``."""
    rule = get_rule(rule_id)
    version = rule.version_on(on)
    if version is None:
        raise DomainError(
            "time_limit_unknown",
            f"法规库中没有{on:%Y年%m月%d日}适用的“{rule.title_zh}”期限，无法制作文书。",
            f"No version of the time limit {rule_id} is in force on {on}.",
            status=422,
        )
    text = period_text(version.period)
    note_figure(
        c,
        source=rule.id,
        title=rule.title_zh,
        title_en=rule.title_en,
        version=version.version,
        basis=version.basis,
        figure=text,
        confidence=version.confidence,
    )
    return text


def remedies_paragraph(c: Ctx, on: dt.date | None, *, enforcement: bool = False) -> Block:
    """如不服本决定，可以自收到本决定书之日起六十日内依法向…申请行政复议，或者在六个月内…提起行政诉讼。"""
    if on is None:
        from django.utils import timezone

        on = timezone.localdate()
    day = on
    review = rule_period(c, "administrative_review_request", day)
    suit = rule_period(c, "administrative_suit_filing", day)
    parts: list[RunLike] = [
        f"如不服本决定，可以自收到本决定书之日起{review}内依法向",
        value(c.text("issuer.review_body")),
        f"申请行政复议，或者在{suit}内依法向",
        value(c.text("issuer.court")),
        "提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。",
    ]
    if enforcement:
        parts.append(
            "逾期不申请行政复议、不提起行政诉讼又不履行本决定的，本机关将依法申请人民法院强制执行。"
        )
    return para(*parts)


def surcharge_rate_text(c: Ctx, on: dt.date) -> str:
    """The late-payment surcharge's daily rate in Chinese words (百分之三), from the law data
    (``late_payment_surcharge``: 行政处罚法第七十二条第一款第（一）项) for the version in force on ``on``,
    noted on ``c``."""
    surcharge = time_limit_book().surcharge("late_payment_surcharge")
    version = surcharge.version_on(on)
    percent = version.daily_rate * 100 if version is not None else None
    if version is None or percent is None or percent != int(percent):
        raise DomainError(
            "time_limit_unknown",
            f"法规库中没有{on:%Y年%m月%d日}适用的加处罚款比例，无法制作文书。",
            f"No late-payment surcharge rate is in force on {on}.",
            status=422,
        )
    text = f"百分之{zh_number(int(percent))}"
    note_figure(
        c,
        source=surcharge.id,
        title=surcharge.title_zh,
        title_en=surcharge.title_en,
        version=version.version,
        basis=version.basis,
        figure=text,
        confidence=version.confidence,
    )
    return text
