from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. `audit verify` recomputes the hash chain and names the first bad entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"审计链校验失败：第 {result.first_bad_sequence} 条。{result.problem} "
                f"(audit chain broken at entry #{result.first_bad_sequence})"
            )
        self.stdout.write(
            f"审计链完整：共 {result.checked} 条 (audit chain intact: {result.checked} entries)"
        )
