"""`anjian draw verify FILE`: recompute a published random draw and confirm or refute it.

Exit status: 0 confirmed; 1 refuted (the first difference is printed); 2 unreadable input.
`anjian draw file NUMBER [-o FILE]` writes the published draw file of a draw held here.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.planning import draw as drawing


class Command(BaseCommand):
    help = "Random draws: `draw verify FILE` (exit 0 confirmed, 1 refuted, 2 unreadable); `draw file NUMBER`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute a published draw file")
        verify.add_argument("file", help="the draw file (JSON); '-' for standard input")
        verify.add_argument(
            "--commit-sha256", help="the commit hash published before the draw (from the notice)"
        )
        verify.add_argument("--seed-value", help="the seed value from its public source")
        verify.add_argument("--result-sha256", help="the result hash from the result notice")
        verify.add_argument(
            "--offline",
            action="store_true",
            help="do not compare with the draw as published by this system's database",
        )
        verify.add_argument("--json", action="store_true", help="print the verdict as JSON")
        export = sub.add_parser("file", help="write the published draw file of a draw")
        export.add_argument("number", help="the draw number, e.g. 苏宁玄随抽〔2026〕1号")
        export.add_argument("-o", "--output", help="file to write; default: standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "file":
            self._file(options)
            return
        data = self._read(options["file"])
        published: dict[str, str | None] = {
            "published_commit_sha256": options.get("commit_sha256"),
            "published_seed_value": options.get("seed_value"),
            "published_result_sha256": options.get("result_sha256"),
        }
        if not options.get("offline"):
            published = self._from_database(data, published)
        try:
            verdict = drawing.verify(data, **published)
        except drawing.Unreadable as error:
            raise CommandError(
                f"无法读取：{error.message} ({error.message_en})", returncode=2
            ) from None
        if options.get("json"):
            self.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
        else:
            for check in verdict.checks:
                self.stdout.write(f"  ✓ {check}")
        if not verdict.confirmed:
            raise CommandError(
                f"验证不通过（refuted）：{verdict.message} ({verdict.message_en})", returncode=1
            )
        if not options.get("json"):
            self.stdout.write(f"{verdict.message} ({verdict.message_en})")

    def _read(self, path: str) -> Any:
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(
                f"无法读取文件：{error} (cannot read the file)", returncode=2
            ) from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码 (not UTF-8)", returncode=2) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列 (invalid JSON: {error.msg})",
                returncode=2,
            ) from None

    def _from_database(self, data: Any, given: dict[str, str | None]) -> dict[str, str | None]:
        """When this system published the draw, its published hashes and seed must match too."""
        from anjian.planning.models import Draw

        number = data.get("draw", {}).get("number") if isinstance(data, dict) else None
        if not isinstance(number, str):
            return given
        draw = Draw.objects.filter(number=number).exclude(commit_sha256="").first()
        if draw is None:
            return given
        return {
            "published_commit_sha256": given["published_commit_sha256"] or draw.commit_sha256,
            "published_seed_value": given["published_seed_value"] or (draw.seed_value or None),
            "published_result_sha256": given["published_result_sha256"]
            or (draw.result_sha256 or None),
        }

    def _file(self, options: dict[str, Any]) -> None:
        from anjian.core.errors import DomainError
        from anjian.planning.models import Draw
        from anjian.planning.services import draw_file

        draw = Draw.objects.select_related("agency").filter(number=options["number"]).first()
        if draw is None:
            raise CommandError(
                f"没有编号为 {options['number']} 的抽查 (no such draw)", returncode=2
            )
        try:
            data = draw_file(draw)
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.message_en})", returncode=2) from None
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(f"已写入 {options['output']} (written)")
        else:
            self.stdout.write(text)
