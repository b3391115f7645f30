"""Pieces shared by the layouts: party blocks, officer lines, approval rows, penalties."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from anjian.documents.content import (
    Block,
    Ctx,
    amount_phrase,
    cell,
    field_line,
    label_cell,
    signature,
    value,
)

COPIES_TWO = "本文书一式两份：一份交当事人，一份存档。"


def filled(c: Ctx, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    """The (label, path) pairs whose value is filled in, as (label, value): optional fields of a line."""
    return [(label, c.opt(path)) for label, path in pairs if c.has(path)]


def employer_lines(p: Ctx) -> list[Block]:
    """工作单位 and 职务 of a person, as one line when the employer is known."""
    if not p.has("employer"):
        return []
    return [field_line(("工作单位", p.opt("employer")), *filled(p, ("职务", "position")))]


def party_lines(c: Ctx, *, role: str = "当事人", unit_role: str | None = None) -> list[Block]:
    """The party block of a decision or notice, for a unit or for a person (national layout)."""
    p = c.sub("party")
    if c.opt("party.kind") == "individual":
        blocks = [
            field_line((f"{role}", p.text("name")), ("性别", p.text("gender")))
            if p.has("gender")
            else field_line((role, p.text("name")))
        ]
        extra: list[tuple[str, str]] = []
        if p.has("age"):
            extra.append(("年龄", p.opt("age")))
        if p.has("id_number"):
            extra.append(("身份证号", p.opt("id_number")))
        if extra:
            blocks.append(field_line(*extra))
        blocks.extend(employer_lines(p))
        address = [("住址", p.text("address"))]
        if p.has("phone"):
            address.append(("联系电话", p.opt("phone")))
        blocks.append(field_line(*address))
        return blocks
    blocks = [field_line((unit_role or role, p.text("name")))]
    if p.has("uscc"):
        blocks.append(field_line(("统一社会信用代码", p.opt("uscc"))))
    address = [("地址", p.text("address"))]
    if p.has("postcode"):
        address.append(("邮编", p.opt("postcode")))
    blocks.append(field_line(*address))
    person = [("法定代表人（负责人）", p.text("legal_representative"))]
    if p.has("position"):
        person.append(("职务", p.opt("position")))
    if p.has("phone"):
        person.append(("联系电话", p.opt("phone")))
    blocks.append(field_line(*person))
    return blocks


def party_name(c: Ctx) -> str:
    return c.text("party.name")


def you(c: Ctx) -> str:
    """你单位 / 你: how the document addresses the party."""
    return "你" if c.opt("party.kind") == "individual" else "你单位"


def time_span(c: Ctx, start: str, end: str) -> str:
    """2026年3月2日9时05分至11时30分 (the end's date only when it differs)."""
    s = c.datetime(start)
    e = c.datetime(end)
    if not s or not e:
        return c.datetime_text(start) if not s else c.datetime_text(end)
    text = f"{s.year}年{s.month}月{s.day}日{s.hour}时{s.minute:02d}分至"
    if e.date() == s.date():
        return text + f"{e.hour}时{e.minute:02d}分"
    return text + f"{e.year}年{e.month}月{e.day}日{e.hour}时{e.minute:02d}分"


def officers_line(c: Ctx, path: str = "officers", label: str = "执法人员") -> Block:
    return field_line((label, c.officers_with_certificates(path)))


def signature_officers(label: str = "执法人员（签名）") -> list[Block]:
    return [signature(label)]


def approval_row(c: Ctx, label: str, path: str, who: str, names_path: str) -> list[Block]:
    """One opinion row of an approval form: the opinion, who signed it, the date."""
    sub = c.sub(path)
    return [
        label_cell(label),
        cell(
            value(sub.text("opinion")),
            f"\n{who}：",
            value(c.names(f"{path}.{names_path}")),
            "　　",
            value(sub.date_text("date")),
            colspan=3,
        ),
    ]


def approval_rows(c: Ctx, *, proposal: bool = True, review: bool = False) -> list[list[Block]]:
    """承办人意见 / 审核意见 / 审批意见 rows of an approval form (审批表), each signed and dated."""
    rows: list[list[Block]] = []
    if proposal:
        rows.append(approval_row(c, "承办人意见", "proposal", "承办人", "names"))
    if review:
        rows.append(approval_row(c, "审核意见", "review", "审核人", "name"))
    rows.append(approval_row(c, "审批意见", "approval", "审批人", "name"))
    return rows


def party_rows(c: Ctx) -> list[list[Block]]:
    """The 当事人 rows of an approval form."""
    p = c.sub("party")
    if c.opt("party.kind") == "individual":
        return [
            [
                label_cell("当事人"),
                cell(value(p.text("name"))),
                label_cell("性别"),
                cell(value(p.opt("gender") or "—")),
            ],
            [
                label_cell("身份证号"),
                cell(value(p.opt("id_number") or "—")),
                label_cell("联系电话"),
                cell(value(p.opt("phone") or "—")),
            ],
            [label_cell("住址"), cell(value(p.text("address")), colspan=3)],
        ]
    return unit_rows(p)


def unit_rows(p: Ctx, role: str = "当事人") -> list[list[Block]]:
    """A unit's name, address, legal representative and telephone as rows of a form (``p`` is the
    party's ``Ctx``)."""
    return [
        [label_cell(role), cell(value(p.text("name")), colspan=3)],
        [label_cell("地址"), cell(value(p.text("address")), colspan=3)],
        [
            label_cell("法定代表人（负责人）"),
            cell(value(p.opt("legal_representative") or "—")),
            label_cell("联系电话"),
            cell(value(p.opt("phone") or "—")),
        ],
    ]


def citations(c: Ctx, path: str) -> str:
    """A list of citation labels (strings or {label}) joined with 、."""
    labels = []
    for item in c.items(path):
        label = item.get("label") if isinstance(item, Mapping) else item
        if label:
            labels.append(str(label))
    return "、".join(labels) if labels else c.text(path)


def penalties_text(c: Ctx, path: str = "penalties") -> tuple[str, Decimal | None]:
    """[{kind: 警告|罚款|…, amount}] → 警告，罚款人民币壹万元整（¥10,000.00）; and the total fine."""
    parts: list[str] = []
    total: Decimal | None = None
    for index, item in enumerate(c.items(path)):
        if not isinstance(item, Mapping):
            parts.append(str(item))
            continue
        kind = str(item.get("kind") or "").strip() or c.text(f"{path}.{index}.kind")
        amount = item.get("amount")
        if amount not in (None, ""):
            sub = Ctx(item)
            money = sub.amount("amount")
            if money is not None:
                total = (total or Decimal(0)) + money
                parts.append(f"{kind}{amount_phrase(money)}")
                continue
        parts.append(kind)
    return "，".join(parts), total
