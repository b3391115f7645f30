from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.law import interface
from anjian.law.management.commands._jsonio import dump


class Command(BaseCommand):
    help = "The legal catalog. `law violations [--json] [--keyword K] [--article N] [--on DATE]` lists violation types."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["violations"])
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--keyword", default="")
        parser.add_argument("--article", type=int)
        parser.add_argument("--on", help="only types in force on this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["on"]:
            try:
                on = interface.parse_date(options["on"], "--on")
            except interface.InvalidInput as error:
                raise CommandError(f"{error.message} ({error.message_en})", returncode=2) from None
        items = interface.violations(options["keyword"], options["article"], on)
        if options["json"]:
            self.stdout.write(dump([interface.violation_dict(v) for v in items]))
            return
        for v in items:
            self.stdout.write(f"{v.code}\t{v.penalty_provision.label_zh()}\t{v.title_zh}")
