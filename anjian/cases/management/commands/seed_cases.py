"""`anjian seed_cases`: demo cases in several states for the demo county (after `anjian seed`
and `anjian seed_inspections`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from anjian.cases.demo import seed_cases
from anjian.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "在演示数据（anjian seed、anjian seed_inspections）之上，为玄武区应急管理局生成处于不同阶段的行政处罚案件："
        "待立案审批、调查中（缺证据）、证据齐全待提出处罚建议（演示主线，可一直办到结案）、已告知（可听证）、"
        "执行中（罚款逾期）、待结案审批、当场处罚已归档、对单位主要负责人（个人）的处罚已送达。"
        "全部经由案件服务办理，各有办案记录和审计。 | "
        "Demo cases in several states for the demo county, made through the case services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="即使已有案件也再生成一批")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = seed_cases(force=options["force"])
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.message_en})") from None
        if result.skipped:
            self.stdout.write("已有案件数据，未重复生成（可用 --force）。")
            return
        for reference, status, note in result.created:
            self.stdout.write(f"{reference}  [{status}]  {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {len(result.created)} 件演示案件。登录 xuanwu（执法人员）、juzhang（局负责人）、"
                "fazhi（法制审核）查看“案件办理”。"
            )
        )
