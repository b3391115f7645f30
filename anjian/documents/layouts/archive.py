"""Layouts of the delivery receipt and of the case file's cover and index."""

from __future__ import annotations

from anjian.documents.content import (
    Block,
    Ctx,
    cell,
    label_cell,
    note,
    para,
    seal,
    table,
    value,
)


def delivery_receipt(c: Ctx) -> list[Block]:
    documents = []
    for item in c.each("documents"):
        number = item.opt("number")
        documents.append(item.text("title") + (f"（{number}）" if number else ""))
    rows = [
        [
            label_cell("送达文书名称及文号"),
            cell(value("；".join(documents) or c.text("documents")), colspan=3),
        ],
        [label_cell("受送达人"), cell(value(c.text("recipient")), colspan=3)],
        [
            label_cell("送达时间"),
            cell(value(c.datetime_text("delivered_at"))),
            label_cell("送达方式"),
            cell(value(c.text("method"))),
        ],
        [label_cell("送达地点"), cell(value(c.text("place")), colspan=3)],
        [label_cell("收件人（签名）"), cell(value(c.opt("received_by") or "　"), colspan=3)],
        [label_cell("代收人及代收理由"), cell(value(c.opt("proxy") or "—"), colspan=3)],
        [label_cell("送达人"), cell(value(c.names("deliverers")), colspan=3)],
        [label_cell("见证人"), cell(value(c.opt("witness") or "—"), colspan=3)],
        [label_cell("备注"), cell(value(c.opt("note") or "—"), colspan=3)],
    ]
    blocks: list[Block] = [table([1.8, 2.4, 1.3, 2.0], rows, min_row=1.8)]
    blocks.append(seal(c.text("issuer.agency_name"), c.seal_date("delivered_at")))
    blocks.append(
        note(
            "受送达人拒绝签收的，送达人可以邀请有关基层组织或者所在单位的代表到场，说明情况，在送达回执上记明拒收事由和日期，"
            "由送达人、见证人签名或者盖章，把文书留在受送达人的住所（《中华人民共和国民事诉讼法》第八十九条）。"
        )
    )
    return blocks


def case_file_cover(c: Ctx) -> list[Block]:
    rows = [
        [label_cell("案件名称"), cell(value(c.text("case_title")), colspan=3)],
        [label_cell("案由"), cell(value(c.text("cause")), colspan=3)],
        [label_cell("当事人"), cell(value(c.text("party_name")), colspan=3)],
        [
            label_cell("立案日期"),
            cell(value(c.date_text("filed_on"))),
            label_cell("结案日期"),
            cell(value(c.date_text("closed_on"))),
        ],
        [label_cell("处理结果"), cell(value(c.text("result")), colspan=3)],
        [label_cell("承办人"), cell(value(c.names("handlers")), colspan=3)],
        [
            label_cell("卷内文件"),
            cell(value(f"{c.text('document_count')}件　{c.text('page_count')}页")),
            label_cell("保管期限"),
            cell(value(c.text("retention"))),
        ],
    ]
    if c.has("archived_on"):
        rows.append(
            [
                label_cell("归档日期"),
                cell(value(c.opt_date_text("archived_on"))),
                label_cell("归档号"),
                cell(value(c.opt("archive_number") or "—")),
            ]
        )
    blocks: list[Block] = [para("", indent=False), table([1.4, 2.6, 1.2, 2.3], rows, min_row=2.2)]
    blocks.append(
        seal(c.text("issuer.agency_name"), c.seal_date("closed_on"), label="（立卷单位）")
    )
    return blocks


def case_file_index(c: Ctx) -> list[Block]:
    rows: list[list[Block]] = [
        [
            label_cell("序号"),
            label_cell("文件名称"),
            label_cell("文号"),
            label_cell("日期"),
            label_cell("页号"),
            label_cell("备注"),
        ]
    ]
    for index, entry in enumerate(c.each("entries"), 1):
        rows.append(
            [
                cell(str(index), align="center"),
                cell(value(entry.text("title"))),
                cell(value(entry.opt("number") or "—")),
                cell(value(entry.date_text("date")), align="center"),
                cell(value(entry.text("pages")), align="center"),
                cell(value(entry.opt("note") or "")),
            ]
        )
    return [table([0.6, 2.8, 2.6, 1.4, 0.8, 0.8], rows, min_row=1.2)]
