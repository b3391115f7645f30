"""Layouts of the case documents: filing, investigation, notice, hearing, review, decision, execution."""

from __future__ import annotations

import datetime as dt

from anjian.documents.content import (
    Block,
    Ctx,
    amount_phrase,
    cell,
    field_line,
    heading_line,
    label_cell,
    note,
    para,
    paras,
    seal,
    signature,
    table,
    value,
)
from anjian.documents.layouts.common import (
    COPIES_TWO,
    approval_rows,
    citations,
    employer_lines,
    filled,
    officers_line,
    party_lines,
    party_name,
    party_rows,
    penalties_text,
    signature_officers,
    time_span,
    you,
)
from anjian.documents.remedies import remedies_paragraph, rule_period, surcharge_rate_text
from anjian.law.core.catalog import zh_number

# ------------------------------------------------------------------------------- filing


def case_filing_approval(c: Ctx) -> list[Block]:
    rows = [
        [label_cell("案件名称"), cell(value(c.text("case_title")), colspan=3)],
        [
            label_cell("案件来源"),
            cell(value(c.text("case_source"))),
            label_cell("受案时间"),
            cell(value(c.opt_date_text("received_on") or "—")),
        ],
        *party_rows(c),
        [label_cell("案情摘要"), cell(value(c.text("summary")), colspan=3)],
        *approval_rows(c, proposal=True, review=c.has("review")),
    ]
    return [table([1.5, 2.5, 1.3, 2.2], rows, min_row=1.4)]


# ------------------------------------------------------------------------- investigation


def inquiry_notice(c: Ctx) -> list[Block]:
    blocks = [para(value(c.text("recipient")), "：", indent=False)]
    blocks.append(
        para(
            "为调查了解",
            value(c.text("case_title")),
            "有关情况，根据《中华人民共和国行政处罚法》第五十五条的规定，请你（单位）于",
            value(c.datetime_text("appointment_at")),
            "到",
            value(c.text("place")),
            "接受询问调查。",
        )
    )
    blocks.append(para("请携带下列材料："))
    for index, item in enumerate(c.items("materials"), 1):
        blocks.append(para(f"{index}. ", value(str(item))))
    blocks.append(
        para(
            "你（单位）应当如实回答询问，协助调查，不得阻挠。无正当理由拒不接受询问的，本机关将依法处理。"
        )
    )
    blocks.append(
        field_line(("联系人", c.text("contact.name")), ("联系电话", c.text("contact.phone")))
    )
    if c.has("issuer.address"):
        blocks.append(field_line(("本机关地址", c.opt("issuer.address"))))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(signature("被询问人（签收）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def inquiry_record(c: Ctx) -> list[Block]:
    i = c.sub("interviewee")
    blocks = [
        field_line(("询问时间", time_span(c, "started_at", "ended_at"))),
        field_line(("询问地点", c.text("place"))),
        field_line(
            ("被询问人", i.text("name")),
            ("性别", i.text("gender")),
            *filled(i, ("年龄", "age")),
        ),
        field_line(
            ("身份证号", i.text("id_number")),
            *filled(i, ("联系电话", "phone")),
        ),
    ]
    blocks.extend(employer_lines(i))
    if i.has("address"):
        blocks.append(field_line(("住址", i.opt("address"))))
    blocks.append(officers_line(c, "interviewers", "询问人"))
    blocks.append(field_line(("记录人", c.names("recorder"))))
    blocks.append(
        para(
            "我们是",
            value(c.text("issuer.agency_name")),
            "的执法人员，已向你出示执法证件。现依法向你询问有关情况，你应当如实回答，"
            "作伪证要负法律责任。你有申请执法人员回避的权利。你听清楚了吗？",
        )
    )
    for index, qa in enumerate(c.each("qa"), 1):
        blocks.append(para("问：", value(qa.text("q")), indent=False))
        blocks.append(para("答：", value(qa.text("a")), indent=False))
        del index
    blocks.append(para("以上笔录我已看过（或已向我宣读过），与我所说的一致。", indent=False))
    blocks.append(signature("被询问人（签名）"))
    blocks.extend(signature_officers("询问人（签名）"))
    blocks.append(signature("记录人（签名）"))
    return blocks


def survey_record(c: Ctx) -> list[Block]:
    present = c.sub("present")
    blocks = [
        field_line(("勘验时间", time_span(c, "started_at", "ended_at"))),
        field_line(("勘验场所", c.text("place")), ("天气情况", c.text("weather"))),
        officers_line(c, "surveyors", "勘验人"),
        field_line(
            ("当事人（到场人）", present.text("name")),
            *filled(present, ("工作单位及职务", "employer")),
        ),
    ]
    if c.has("witness.name"):
        blocks.append(
            field_line(
                ("被邀请人（见证人）", c.opt("witness.name")),
                *filled(c, ("工作单位", "witness.employer")),
            )
        )
    blocks.append(field_line(("记录人", c.names("recorder"))))
    blocks.append(heading_line("勘验情况："))
    blocks.extend(paras(c.text("observations")))
    blocks.append(signature("勘验人（签名）"))
    blocks.append(signature("当事人（签名）"))
    if c.has("witness.name"):
        blocks.append(signature("被邀请人（签名）"))
    blocks.append(signature("记录人（签名）"))
    return blocks


def _items_table(c: Ctx, *, handling: bool) -> Block:
    header = [
        label_cell("序号"),
        label_cell("物品名称"),
        label_cell("规格型号"),
        label_cell("数量"),
        label_cell("处理决定" if handling else "备注"),
    ]
    rows: list[list[Block]] = [header]
    for index, item in enumerate(c.each("items"), 1):
        quantity = item.text("quantity") + (item.opt("unit") if item.has("unit") else "")
        rows.append(
            [
                cell(str(index), align="center"),
                cell(value(item.text("name"))),
                cell(value(item.opt("spec") or "—")),
                cell(value(quantity), align="center"),
                cell(value(item.text("handling") if handling else item.opt("note") or "—")),
            ]
        )
    return table([0.6, 2.6, 1.8, 1.0, 2.0], rows)


def preservation_notice(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "因你（单位）涉嫌",
            value(c.text("suspected_violation")),
            "，在证据可能灭失或者以后难以取得的情况下，经本机关负责人批准，根据《中华人民共和国行政处罚法》"
            "第五十六条的规定，决定对你（单位）的下列物品予以先行登记保存，保存期间为",
            value(c.date_text("period_from")),
            "至",
            value(c.date_text("period_to")),
            "，保存地点为",
            value(c.text("storage_place")),
            "。在此期间，当事人或者有关人员不得销毁或者转移证据。",
        )
    )
    blocks.append(_items_table(c, handling=False))
    blocks.append(
        para(
            f"本机关将在{rule_period(c, 'evidence_preservation_decision', c.date('decided_on') or _today())}"
            "内对先行登记保存的证据作出处理决定。"
        )
    )
    blocks.append(signature("当事人（签名）"))
    blocks.extend(signature_officers())
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("decided_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


def _today() -> dt.date:
    """Only when the document's own date is missing (issuing is refused then anyway)."""
    from django.utils import timezone

    return timezone.localdate()


def preservation_decision(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "本机关于",
            value(c.date_text("preserved_on")),
            "以",
            value(c.text("notice_number")),
            "先行登记保存证据通知书对你（单位）的有关物品采取了先行登记保存措施。根据《中华人民共和国行政处罚法》"
            "第五十六条的规定，现作出如下处理决定：",
        )
    )
    blocks.append(_items_table(c, handling=True))
    blocks.append(remedies_paragraph(c, c.date("decided_on")))
    blocks.append(signature("当事人（签收）"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("decided_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


# -------------------------------------------------------------------------------- notice


def _facts_basis(c: Ctx, *, verb: str = "拟") -> list[Block]:
    blocks = [para("经查，", value(c.text("facts")))]
    penalty = c.text("proposed_penalty")
    blocks.append(
        para(
            "以上事实违反了",
            value(citations(c, "violated")),
            "的规定，依据",
            value(citations(c, "penalty_basis")),
            f"的规定，本机关{verb}对{you(c)}作出",
            value(penalty),
            "的行政处罚。",
        )
    )
    return blocks


def penalty_notice(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.extend(_facts_basis(c))
    days = c.opt("statement_days")
    days_text = (
        zh_number(int(days)) if days.isdecimal() and int(days) < 100 else c.text("statement_days")
    )
    blocks.append(
        para(
            f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you(c)}有权进行陈述和申辩。"
            f"如要求陈述和申辩，应当自收到本告知书之日起",
            value(f"{days_text}日"),
            "内向本机关提出；逾期未提出的，视为放弃上述权利。本机关不因当事人陈述、申辩而给予更重的处罚。",
        )
    )
    blocks.append(
        field_line(("联系人", c.text("contact.name")), ("联系电话", c.text("contact.phone")))
    )
    blocks.append(field_line(("联系地址", c.text("contact.address"))))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(signature("当事人（签收）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def statement_record(c: Ctx) -> list[Block]:
    s = c.sub("speaker")
    blocks = [
        field_line(("案件名称", c.text("case_title"))),
        field_line(("时间", time_span(c, "started_at", "ended_at"))),
        field_line(("地点", c.text("place"))),
        field_line(
            ("陈述申辩人", s.text("name")),
            *filled(s, ("性别", "gender")),
        ),
    ]
    blocks.extend(employer_lines(s))
    if s.has("phone"):
        blocks.append(field_line(("联系电话", s.opt("phone"))))
    blocks.append(officers_line(c, "officers", "承办人"))
    blocks.append(field_line(("记录人", c.names("recorder"))))
    blocks.append(heading_line("陈述申辩内容："))
    blocks.extend(paras(c.text("statement")))
    blocks.append(para("以上笔录我已看过（或已向我宣读过），与我所说的一致。", indent=False))
    blocks.append(signature("陈述申辩人（签名）"))
    blocks.extend(signature_officers("承办人（签名）"))
    blocks.append(signature("记录人（签名）"))
    return blocks


# -------------------------------------------------------------------------------- hearing


def hearing_notice(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.extend(_facts_basis(c))
    period = rule_period(c, "hearing_request", c.date("issued_on") or _today())
    blocks.append(
        para(
            f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you(c)}有要求举行听证的权利。"
            f"如要求听证，应当在收到本告知书后{period}内向本机关提出；逾期未提出的，视为放弃听证权利。"
            f"{you(c)}同时有权进行陈述和申辩。",
        )
    )
    blocks.append(
        field_line(("联系人", c.text("contact.name")), ("联系电话", c.text("contact.phone")))
    )
    blocks.append(field_line(("联系地址", c.text("contact.address"))))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(signature("当事人（签收）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def hearing_meeting_notice(c: Ctx) -> list[Block]:
    publicity = "不公开" if c.opt("is_public") in {"False", "false", "0"} else "公开"
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            f"根据{you(c)}",
            value(c.date_text("requested_on")),
            "提出的听证申请，本机关决定于",
            value(c.datetime_text("hearing_at")),
            "在",
            value(c.text("place")),
            f"对{you(c)}",
            value(c.text("case_title")),
            f"一案{publicity}举行听证会。",
        )
    )
    presiding = c.text("presiding.name") + (
        f"（{c.opt('presiding.position')}）" if c.has("presiding.position") else ""
    )
    blocks.append(field_line(("听证主持人", presiding)))
    if c.has("members"):
        blocks.append(field_line(("听证员", c.names("members"))))
    blocks.append(field_line(("记录员", c.names("clerk"))))
    blocks.append(
        para(
            f"{you(c)}可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，应当在听证会举行前提交授权委托书。"
            "认为主持人与本案有直接利害关系的，有权申请回避，并应当在听证会举行前向本机关提出。"
            "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。"
        )
    )
    if c.has("issuer.address"):
        blocks.append(
            field_line(
                ("本机关地址", c.opt("issuer.address")),
                *filled(c, ("联系电话", "issuer.phone")),
            )
        )
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(signature("当事人（签收）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def hearing_record(c: Ctx) -> list[Block]:
    blocks = [
        field_line(("案件名称", c.text("case_title"))),
        field_line(("听证时间", time_span(c, "started_at", "ended_at"))),
        field_line(("听证地点", c.text("place"))),
        field_line(
            ("听证主持人", c.text("presiding.name")),
            *((("听证员", c.names("members")),) if c.has("members") else ()),
            ("记录员", c.names("clerk")),
        ),
        field_line(
            ("当事人", c.text("party.name")),
            *(
                (("法定代表人（负责人）", c.opt("party.legal_representative")),)
                if c.has("party.legal_representative")
                else ()
            ),
        ),
    ]
    if c.has("agents"):
        blocks.append(field_line(("委托代理人", c.names("agents"))))
    blocks.append(field_line(("案件调查人员", c.names("investigators"))))
    blocks.append(heading_line("听证记录："))
    for entry in c.each("proceedings"):
        blocks.append(
            para(value(entry.text("speaker")), "：", value(entry.text("text")), indent=False)
        )
    blocks.append(para("以上笔录经当事人和有关人员核对无误。", indent=False))
    blocks.append(signature("当事人或委托代理人（签名）"))
    blocks.append(signature("案件调查人员（签名）"))
    blocks.append(signature("听证主持人（签名）"))
    if c.has("members"):
        blocks.append(signature("听证员（签名）"))
    blocks.append(signature("记录员（签名）"))
    return blocks


# ------------------------------------------------------------------------- review


def case_handling_approval(c: Ctx) -> list[Block]:
    rows = [
        [label_cell("案件名称"), cell(value(c.text("case_title")), colspan=3)],
        *party_rows(c),
        [label_cell("违法事实"), cell(value(c.text("facts")), colspan=3)],
        [label_cell("违反的规定"), cell(value(citations(c, "violated")), colspan=3)],
        [label_cell("处罚依据"), cell(value(citations(c, "penalty_basis")), colspan=3)],
    ]
    if c.has("discretion"):
        rows.append([label_cell("裁量理由"), cell(value(c.opt("discretion")), colspan=3)])
    if c.has("statement_summary"):
        rows.append(
            [label_cell("陈述申辩（听证）情况"), cell(value(c.opt("statement_summary")), colspan=3)]
        )
    rows.extend(approval_rows(c, proposal=True, review=True))
    return [table([1.5, 2.5, 1.3, 2.2], rows, min_row=1.4)]


def collective_discussion_record(c: Ctx) -> list[Block]:
    blocks = [
        field_line(("案件名称", c.text("case_title"))),
        field_line(("讨论时间", time_span(c, "started_at", "ended_at"))),
        field_line(("地点", c.text("place"))),
        field_line(
            ("主持人", c.names("host")),
            ("汇报人", c.names("reporter")),
            ("记录人", c.names("recorder")),
        ),
        field_line(("出席人员", c.names("attendees"))),
    ]
    if c.has("absent"):
        blocks.append(field_line(("缺席人员及原因", c.opt("absent"))))
    blocks.append(heading_line("讨论记录："))
    for entry in c.each("discussion"):
        blocks.append(
            para(value(entry.text("speaker")), "：", value(entry.text("opinion")), indent=False)
        )
    blocks.append(heading_line("结论性意见："))
    blocks.extend(paras(c.text("conclusion")))
    blocks.append(signature("出席人员（签名）", date=False))
    blocks.append(signature("主持人（签名）"))
    blocks.append(signature("记录人（签名）"))
    return blocks


# ------------------------------------------------------------------------------- decision


def _payment_paragraph(c: Ctx, on_path: str) -> Block:
    on = c.date(on_path) or _today()
    days = rule_period(c, "fine_payment", on)
    return para(
        f"罚款限于收到本决定书之日起{days}内缴至",
        value(c.text("issuer.payment_bank")),
        "（账号：",
        value(c.text("issuer.payment_account")),
        f"），或者通过电子支付系统缴纳。到期不缴纳的，每日按罚款数额的{surcharge_rate_text(c, on)}"
        "加处罚款，加处罚款的数额不超出罚款的数额。",
    )


def _penalty_decision(c: Ctx) -> list[Block]:
    role = "被处罚人" if c.opt("party.kind") == "individual" else "被处罚单位"
    blocks = party_lines(c, role=role)
    blocks.append(heading_line("违法事实及证据："))
    blocks.extend(paras(c.text("facts")))
    evidence = c.items("evidence")
    if evidence:
        blocks.append(
            para(
                "以上事实有下列证据证明：",
                "；".join(f"{i}. {e}" for i, e in enumerate(evidence, 1)) + "。",
            )
        )
    if c.has("statement_summary"):
        blocks.append(para(value(c.opt("statement_summary"))))
    if c.has("discretion"):
        blocks.append(para(value(c.opt("discretion"))))
    penalty, fine = penalties_text(c)
    blocks.append(
        para(
            "以上事实违反了",
            value(citations(c, "violated")),
            "的规定，依据",
            value(citations(c, "penalty_basis")),
            "的规定，决定给予",
            value(penalty),
            "的行政处罚。",
        )
    )
    if fine is not None:
        blocks.append(_payment_paragraph(c, "decided_on"))
    blocks.append(remedies_paragraph(c, c.date("decided_on"), enforcement=True))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("decided_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


def penalty_decision_unit(c: Ctx) -> list[Block]:
    return _penalty_decision(c)


def penalty_decision_individual(c: Ctx) -> list[Block]:
    return _penalty_decision(c)


def summary_penalty_decision(c: Ctx) -> list[Block]:
    blocks = party_lines(c)
    blocks.append(
        para(
            f"{you(c)}于",
            value(c.datetime_text("acted_at")),
            "在",
            value(c.text("place")),
            "，",
            value(c.text("facts")),
            "。",
        )
    )
    penalty, fine = penalties_text(c)
    blocks.append(
        para(
            "以上事实违反了",
            value(citations(c, "violated")),
            "的规定，依据",
            value(citations(c, "penalty_basis")),
            "和《中华人民共和国行政处罚法》第五十一条的规定，当场决定给予",
            value(penalty),
            "的行政处罚。",
        )
    )
    if fine is not None:
        if c.opt("payment") == "on_spot":
            blocks.append(
                para(
                    "罚款当场缴纳（《中华人民共和国行政处罚法》第六十八条），执法人员当场出具专用票据。"
                )
            )
        else:
            blocks.append(_payment_paragraph(c, "decided_on"))
    blocks.append(remedies_paragraph(c, c.date("decided_on"), enforcement=True))
    blocks.extend(signature_officers())
    blocks.append(signature("当事人（签名）"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("decided_on")))
    blocks.append(
        note("本决定书一式两份：一份当场交当事人，一份存档；当场处罚决定应当报所属行政机关备案。")
    )
    return blocks


# ------------------------------------------------------------------------------ execution


def payment_reminder(c: Ctx) -> list[Block]:
    fine = c.amount("fine_amount")
    surcharge = c.amount("surcharge_amount")
    wait = rule_period(c, "enforcement_reminder_wait", c.date("issued_on") or _today())
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "本机关于",
            value(c.date_text("decided_on")),
            f"对{you(c)}作出行政处罚决定（",
            value(c.text("decision_number")),
            "），该决定书已于",
            value(c.date_text("delivered_on")),
            f"送达{you(c)}。{you(c)}至今未按期缴纳罚款",
            value(amount_phrase(fine) if fine is not None else c.text("fine_amount")),
            "。截至",
            value(c.date_text("surcharge_as_of")),
            "，已加处罚款",
            value(
                amount_phrase(surcharge) if surcharge is not None else c.text("surcharge_amount")
            ),
            "。",
        )
    )
    blocks.append(
        para(
            "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告"
            f"{you(c)}自收到本催告书之日起{wait}内缴纳上述罚款及加处罚款。"
            f"{you(c)}有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。",
        )
    )
    if c.has("issuer.payment_bank"):
        blocks.append(
            field_line(
                ("缴款银行", c.opt("issuer.payment_bank")),
                ("账号", c.opt("issuer.payment_account")),
            )
        )
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(signature("当事人（签收）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def surcharge_decision(c: Ctx) -> list[Block]:
    fine = c.amount("fine_amount")
    surcharge = c.amount("surcharge_amount")
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "本机关于",
            value(c.date_text("decided_on")),
            f"对{you(c)}作出行政处罚决定（",
            value(c.text("decision_number")),
            "），处以罚款",
            value(amount_phrase(fine) if fine is not None else c.text("fine_amount")),
            "，该决定书已于",
            value(c.date_text("delivered_on")),
            f"送达。{you(c)}逾期未缴纳罚款。",
        )
    )
    blocks.append(
        para(
            "依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，本机关决定自",
            value(c.date_text("surcharge_from")),
            f"起每日按罚款数额的{surcharge_rate_text(c, c.date('surcharge_from') or _today())}"
            "加处罚款，加处罚款的数额不超出罚款的数额。截至",
            value(c.date_text("surcharge_as_of")),
            "，加处罚款为",
            value(
                amount_phrase(surcharge) if surcharge is not None else c.text("surcharge_amount")
            ),
            "。",
        )
    )
    blocks.append(_payment_paragraph(c, "issued_on"))
    blocks.append(remedies_paragraph(c, c.date("issued_on"), enforcement=True))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


# ------------------------------------------------------------------------ transfer, closure


def case_transfer(c: Ctx) -> list[Block]:
    blocks = [para(value(c.text("receiver")), "：", indent=False)]
    blocks.append(
        para(
            value(party_name(c)),
            "涉嫌",
            value(c.text("case_title")),
            "一案，经本机关调查，",
            value(c.text("reason")),
            "。根据",
            value(citations(c, "basis")),
            "的规定，现将该案移送你单位处理，请将处理结果函告本机关。",
        )
    )
    blocks.append(para("附：移送材料"))
    total_pages = 0
    for index, item in enumerate(c.each("attachments"), 1):
        pages = item.opt("pages")
        if pages.isdecimal():
            total_pages += int(pages)
        blocks.append(
            para(f"{index}. ", value(item.text("title") + (f"（{pages}页）" if pages else "")))
        )
    if total_pages:
        blocks.append(para(f"共{len(c.items('attachments'))}件{total_pages}页。"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(note("本文书一式三份：一份送受移送机关，一份附卷，一份存档。"))
    return blocks


def closure_approval(c: Ctx) -> list[Block]:
    rows = [
        [label_cell("案件名称"), cell(value(c.text("case_title")), colspan=3)],
        *party_rows(c),
        [
            label_cell("立案日期"),
            cell(value(c.date_text("filed_on"))),
            label_cell("决定书文号"),
            cell(value(c.opt("decision_number") or "—")),
        ],
        [label_cell("处理决定"), cell(value(c.text("decision_summary")), colspan=3)],
        [label_cell("执行情况"), cell(value(c.text("execution_summary")), colspan=3)],
        *approval_rows(c, proposal=True, review=c.has("review")),
    ]
    return [table([1.5, 2.5, 1.3, 2.2], rows, min_row=1.4)]
