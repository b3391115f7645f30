"""Layouts of the inspection documents: scheme, record, on-site measures, rectification, re-inspection."""

from __future__ import annotations

from collections.abc import Mapping

from anjian.documents.content import (
    Block,
    Ctx,
    RunLike,
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
    approval_row,
    officers_line,
    party_lines,
    party_name,
    signature_officers,
    time_span,
    unit_rows,
    you,
)
from anjian.documents.remedies import remedies_paragraph


def inspection_scheme(c: Ctx) -> list[Block]:
    p = c.sub("party")
    items = c.items("items")
    item_text = "\n".join(
        f"{i}. {it.get('title', '') if isinstance(it, Mapping) else it}"
        + (f"（{it['basis']}）" if isinstance(it, Mapping) and it.get("basis") else "")
        for i, it in enumerate(items, 1)
    ) or c.text("items")
    rows = [
        *unit_rows(p, "被检查单位"),
        [
            label_cell("检查时间"),
            cell(value(c.date_text("planned_on"))),
            label_cell("检查方式"),
            cell(value(c.text("method"))),
        ],
        [label_cell("检查人员"), cell(value(c.officers_with_certificates("officers")), colspan=3)],
        [label_cell("检查事项"), cell(value(item_text), colspan=3)],
    ]
    if c.has("scope_note"):
        rows.append([label_cell("检查范围及要求"), cell(value(c.opt("scope_note")), colspan=3)])
    rows.append(
        [
            label_cell("编制人"),
            cell(value(c.names("prepared_by"))),
            label_cell("编制日期"),
            cell(value(c.date_text("prepared_on"))),
        ]
    )
    rows.append(approval_row(c, "审批意见", "approval", "审批人", "name"))
    return [table([1.4, 2.6, 1.2, 2.2], rows, min_row=1.6)]


def inspection_record(c: Ctx) -> list[Block]:
    blocks = party_lines(c, role="被检查单位")
    blocks.append(field_line(("检查场所", c.text("place"))))
    blocks.append(field_line(("检查时间", time_span(c, "started_at", "ended_at"))))
    blocks.append(officers_line(c, label="检查人员"))
    if c.has("recorder"):
        blocks.append(field_line(("记录人", c.names("recorder"))))
    blocks.append(
        para(
            "我们是",
            value(c.text("issuer.agency_name")),
            "的执法人员，已出示执法证件。今天依法对你单位进行现场检查，请予配合。",
        )
    )
    blocks.append(heading_line("检查情况："))
    blocks.extend(paras(c.text("summary")))
    findings = c.opt_each("findings")
    if findings:
        blocks.append(heading_line("发现的问题："))
        for index, f in enumerate(findings, 1):
            extra = [f"部位：{f.opt('location')}"] if f.has("location") else []
            extra += [f.opt(key) for key in ("hazard_level", "measure") if f.has(key)]
            suffix = f"（{'；'.join(extra)}）" if extra else ""
            blocks.append(para(f"{index}. ", value(f.text("description") + suffix)))
    else:
        blocks.append(para("检查中未发现事故隐患和违法行为。"))
    blocks.extend(signature_officers("检查人员（签名）"))
    acknowledgement = c.opt("acknowledgement")
    representative = c.opt("representative.name")
    if acknowledgement == "refused":
        witness: list[RunLike] = ["见证人：", value(c.opt("witness"))] if c.has("witness") else []
        blocks.append(
            para(
                "被检查单位负责人拒绝签字。",
                value(c.opt("refusal_note") or "已记录在案"),
                *witness,
                indent=False,
            )
        )
        if c.has("witness"):
            blocks.append(signature("见证人（签名）"))
    else:
        if representative:
            title = c.opt("representative.title")
            blocks.append(
                field_line(
                    ("被检查单位现场负责人", representative + (f"（{title}）" if title else ""))
                )
            )
        blocks.append(signature("被检查单位负责人（签名）"))
    blocks.append(note(COPIES_TWO))
    return blocks


def onsite_measure_decision(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "本机关于",
            value(c.date_text("inspected_on")),
            f"在对{you(c)}进行现场检查时，发现{you(c)}存在下列事故隐患（问题）：",
        )
    )
    for index, problem in enumerate(c.each("problems"), 1):
        text = problem.opt("text") or problem.text("description")
        blocks.append(para(f"{index}. ", value(text)))
    blocks.append(para("依据", value(c.text("basis")), "的规定，现作出如下现场处理决定："))
    for index, measure in enumerate(c.each("measures"), 1):
        text = measure.opt("text") or measure.text("kind")
        if measure.has("target"):
            text += f"（涉及：{measure.opt('target')}）"
        blocks.append(para(f"{index}. ", value(text)))
    blocks.append(
        para(
            f"{you(c)}应当立即执行上述决定，并在事故隐患排除后向本机关提出恢复申请，经审查同意后方可恢复生产经营和使用。"
        )
    )
    blocks.append(remedies_paragraph(c, c.date("decided_on")))
    blocks.extend(signature_officers())
    blocks.append(signature("被检查单位负责人（签名）"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("decided_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


def rectification_order(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "经查，",
            f"{you(c)}存在下列问题（",
            value(c.date_text("inspected_on")),
            "现场检查发现）：",
        )
    )
    rows: list[list[Block]] = [
        [
            label_cell("序号"),
            label_cell("存在的问题"),
            label_cell("违反的规定"),
            label_cell("整改期限"),
        ]
    ]
    for index, f in enumerate(c.each("findings"), 1):
        location = f"（部位：{f.opt('location')}）" if f.has("location") else ""
        deadline = f.date_text("deadline") if f.has("deadline") else c.date_text("deadline")
        rows.append(
            [
                cell(str(index), align="center"),
                cell(value(f.text("description") + location)),
                cell(value(f.opt("provision") or "—")),
                cell(value(deadline), align="center"),
            ]
        )
    blocks.append(table([0.6, 3.6, 2.2, 1.6], rows))
    blocks.append(
        para(
            f"现责令{you(c)}对上述问题于",
            value(c.date_text("deadline")),
            "前整改完毕，达到有关法律、法规、规章和国家标准或者行业标准规定的要求，并将整改情况书面报告本机关。"
            "整改期间应当采取措施，确保安全；安全不能保障的，应当从危险区域内撤出作业人员。"
            "逾期未整改或者整改不合格的，本机关将依法处理。",
        )
    )
    blocks.append(remedies_paragraph(c, c.date("issued_on")))
    blocks.extend(signature_officers())
    blocks.append(signature("被检查单位负责人（签名）"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("issued_on")))
    blocks.append(note(COPIES_TWO))
    return blocks


def reinspection_opinion(c: Ctx) -> list[Block]:
    blocks = [para(value(party_name(c)), "：", indent=False)]
    blocks.append(
        para(
            "本机关于",
            value(c.date_text("order_issued_on")),
            "作出了",
            value(c.text("order_title")),
            "（",
            value(c.text("order_number")),
            "），经",
            value(c.date_text("reinspected_on")),
            f"对{you(c)}整改情况进行复查，复查情况如下：",
        )
    )
    rows: list[list[Block]] = [[label_cell("序号"), label_cell("问题"), label_cell("复查情况")]]
    for index, f in enumerate(c.each("findings"), 1):
        outcome = "：".join(x for x in (f.opt("outcome"), f.opt("note")) if x)
        rows.append(
            [
                cell(str(index), align="center"),
                cell(value(f.text("description"))),
                cell(value(outcome or f.text("outcome"))),
            ]
        )
    blocks.append(table([0.6, 4.2, 3.2], rows))
    blocks.append(heading_line("复查意见："))
    blocks.extend(paras(c.text("opinion")))
    blocks.append(field_line(("复查人员", c.officers_with_certificates("officers"))))
    blocks.extend(signature_officers("复查人员（签名）"))
    blocks.append(signature("被复查单位负责人（签名）"))
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("reinspected_on")))
    blocks.append(note(COPIES_TWO))
    return blocks
