"""`anjian seed_planning`: the demo province's annual plans, a verifiable draw and operations.

Run after `anjian seed`. See anjian/planning/demo.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.errors import DomainError
from anjian.planning import demo


class Command(BaseCommand):
    help = (
        "演示数据（执法计划）：为每个县级执法机构用求解器编制本年度执法计划并走完报批、备案、下达流程；"
        "一次公示并经验证的双随机抽查；联合、交叉、暗查暗访、专项行动各一次。须先运行 anjian seed。 | "
        "Demo planning data: a solver-built, approved, filed plan per county; one published and "
        "verified random draw; one operation of each kind. Run `anjian seed` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="计划年度（默认今年）")
        parser.add_argument(
            "--counties", type=int, default=None, help="只为前 N 个县级机构编制（默认全部）"
        )
        parser.add_argument(
            "--time-limit", type=float, default=20.0, help="每份计划的求解时限（秒，默认20）"
        )
        parser.add_argument(
            "--all-draws",
            action="store_true",
            help="为所有县级机构按月抽查（默认只为南京市各区县，以节省时间）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo.seed_planning(
                year=options["year"],
                limit=options["counties"],
                time_limit=options["time_limit"],
                all_draws=options["all_draws"],
                progress=self.stdout.write,
            )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.message_en})", returncode=2) from None
        self.stdout.write(
            f"年度计划：新建 {result.plans} 份（已存在跳过 {result.skipped} 份），"
            f"任务 {result.tasks} 个，其中已完成（演示）{result.done} 个；"
            f"求解合计 {result.build_seconds:.1f} 秒，最大最优性差距 {result.worst_gap:.2e}。"
        )
        if result.shortfall_plans:
            self.stdout.write(
                f"检查能力不足、报告了缺口的计划：{len(result.shortfall_plans)} 份"
                f"（如 {'、'.join(result.shortfall_plans[:3])}）。"
            )
        if result.draw:
            self.stdout.write(f"双随机抽查 {result.draws} 次；{result.draw}：{result.verdict}")
            self.stdout.write(
                f"抽查文件：{result.draw_file}（anjian draw verify {result.draw_file}）"
            )
        for line in result.operations:
            self.stdout.write(f"行动：{line}")
