"""anjian seed_inspections: demo inspections on top of `anjian seed` (item list, scheme, tasks, records)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from anjian.core.errors import DomainError
from anjian.inspections.demo import seed_inspections


class Command(BaseCommand):
    help = (
        "在演示省份数据（anjian seed）之上生成现场检查演示数据：公布检查事项清单、检查方案、"
        "玄武区执法人员 xuanwu / xuanwu2 今日的检查任务、带问题和照片的历史检查记录、"
        "逾期未复查的整改指令和立案建议。 | Demo inspections on top of `anjian seed`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="即使已有检查数据也再生成一批 (generate again)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = seed_inspections(force=options["force"])
        except DomainError as error:
            raise CommandError(error.message) from None
        if result.skipped:
            self.stdout.write("；".join(result.notes))
            return
        self.stdout.write(
            f"检查事项清单第{result.item_list_version}版已公布；检查方案 #{result.scheme_id} 已批准；"
            f"今日任务 {result.tasks} 项（xuanwu、xuanwu2）；检查记录 {result.records} 份；"
            f"逾期未复查的整改指令 {result.overdue_orders} 份；立案建议 {result.case_proposals} 份。"
        )
