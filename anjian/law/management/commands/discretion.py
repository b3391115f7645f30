from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.core.errors import DomainError
from anjian.law import interface
from anjian.law.management.commands._jsonio import add_file_argument, dump, fail, read_json


class Command(BaseCommand):
    help = "The discretion engine: a JSON fact sheet (stdin or --file) → the JSON result (docs/law/discretion.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_file_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        request = read_json(options)
        try:
            result = interface.discretion(request)
        except DomainError as error:
            raise fail(error) from None
        self.stdout.write(dump(result))
