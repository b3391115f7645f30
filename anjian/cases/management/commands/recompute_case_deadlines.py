"""`anjian recompute_case_deadlines`: recompute the stored next deadline of every open case (after an
administrator entered a year's holiday arrangement in 工作日调整)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from anjian.cases import services


class Command(BaseCommand):
    help = "重新计算所有在办案件的下一法定期限（录入新年度节假日安排后运行）。 | Recompute open cases' next deadlines."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = services.recompute_deadlines(actor=None)
        self.stdout.write(self.style.SUCCESS(f"已更新 {changed} 件案件的下一法定期限。"))
