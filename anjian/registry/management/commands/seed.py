"""`anjian seed`: load the demo province (see anjian/registry/seeding.py)."""

from __future__ import annotations

import os
import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.registry import seeding


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in {"W", "F"} else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "生成演示数据：在真实的江苏省行政区划（省、13个设区市、95个县级）上，生成虚构的乡镇（街道）"
        "和开发区、各级执法机构、授权/委托、执法人员与执法证、网格、生产经营单位及重点监管标签。"
        "结果是确定的（固定随机种子）。机构、人员、执法证、网格经由 registry 服务逐条写入，各自记审计；"
        "企业和标签批量写入（PostgreSQL 用 COPY），整次运行只记一条汇总审计（registry.seed）；"
        "全部在一个事务内完成。演示账号的密码取环境变量 ANJIAN_DEMO_PASSWORD，"
        f"未设置时为 {seeding.DEFAULT_DEMO_PASSWORD}。 | "
        "Load the demo province: fictional townships, zones, agencies, delegations, officers with "
        "certificates, grids and enterprises on the real Jiangsu divisions. Deterministic. Agencies, "
        "officers, certificates and grids are written through the registry services (one audit entry "
        "each); enterprises and tags through a bulk path (COPY on PostgreSQL) with ONE summary audit "
        "entry (registry.seed) per run; all in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enterprises",
            type=int,
            default=seeding.DEFAULT_ENTERPRISES,
            help=f"生产经营单位数量（默认 {seeding.DEFAULT_ENTERPRISES}，可到 1000000）",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=seeding.DEFAULT_SEED,
            help=f"随机种子（默认 {seeding.DEFAULT_SEED}）；同一种子、同一天生成相同数据",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="已有执法机构时什么也不做（演示启动脚本每次都调用）",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="只列出数据库中的演示账号，不生成数据（./dev.sh demo 在最后调用）",
        )
        parser.add_argument(
            "--with-problems",
            action="store_true",
            help="故意制造几处管辖问题（无监管机构、跨辖区、重复申报），用于演示管辖核查报告",
        )

        parser.add_argument(
            "--cities",
            default="",
            help="只生成这些设区市（逗号分隔的代码，如 320100）；默认全省13个市。用于测试和快速演示",
        )
        parser.add_argument(
            "--counties",
            default="",
            help="只生成这些县级区划（逗号分隔的代码，如 320102,320106）及其所属的市",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("ANJIAN_DEMO_PASSWORD") or seeding.DEFAULT_DEMO_PASSWORD
        if options["logins"]:
            if not seeding.is_seeded():
                raise CommandError(
                    "还没有演示数据：请先运行 anjian seed。 (No demo data: run `anjian seed` first.)"
                )
            self._logins(seeding.demo_logins(timezone.localdate()), password)
            return
        if options["if_empty"] and seeding.is_seeded():
            self.stdout.write("已有执法机构数据，跳过演示数据生成（--if-empty）。")
            return
        started = time.monotonic()
        try:
            result = seeding.seed_demo_province(
                enterprises=options["enterprises"],
                seed=options["seed"],
                password=password,
                with_problems=options["with_problems"],
                cities=[c.strip() for c in options["cities"].split(",") if c.strip()],
                counties=[c.strip() for c in options["counties"].split(",") if c.strip()],
                progress=lambda message: self.stdout.write(
                    f"[{time.monotonic() - started:6.1f}s] {message}"
                ),
            )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.message_en})") from None
        elapsed = time.monotonic() - started
        certificates = "，".join(
            f"{label}{result.certificates.get(key, 0)}"
            for key, label in (
                ("valid", "有效"),
                ("expired", "过期"),
                ("suspended", "暂扣"),
                ("none", "无证"),
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成（{elapsed:.1f} 秒）：虚构乡镇/开发区 {result.regions} 个，"
                f"执法机构 {result.agencies} 个（授权/委托 {result.delegations} 项），"
                f"执法人员 {result.officers} 名（执法证：{certificates}），网格 {result.grids} 个，"
                f"生产经营单位 {result.enterprises} 家（重点监管标签 {result.tags} 个，"
                f"写入方式 {result.bulk_method}）。"
            )
        )
        if any(result.problems.values()):
            self.stdout.write(
                "已故意制造的管辖问题："
                f"无监管机构 {result.problems['gap']}，跨辖区 {result.problems['outside']}，"
                f"重复申报 {result.problems['claimed_twice']}。"
            )
        self.stdout.write(f"数据摘要 sha256: {result.digest}")
        self._logins(result.logins, result.password)
        if not result.admin_created:
            self.stdout.write("（用户 admin 已存在，未修改其密码。）")

    def _logins(self, logins: list[seeding.LoginRow], password: str) -> None:
        header = ("用户名", "角色", "所属机构", "执法证")
        rows = [header, *((r.username, r.role, r.agency, r.certificate) for r in logins)]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码：{password}）")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)))
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
