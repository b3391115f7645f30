"""Shared plumbing of the JSON-in/JSON-out law commands: read stdin or --file, exit 2 on bad input."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from anjian.core.errors import DomainError


def add_file_argument(parser: CommandParser) -> None:
    parser.add_argument("--file", "-f", help="JSON fact sheet; default: standard input")


def read_json(options: dict[str, Any]) -> Any:
    path = options.get("file")
    try:
        if path:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        else:
            text = sys.stdin.read()
    except OSError as error:
        raise CommandError(f"无法读取文件：{error} (cannot read the file)", returncode=2) from None
    except UnicodeDecodeError:
        raise CommandError(
            "文件不是 UTF-8 编码的 JSON (the file is not UTF-8 JSON)", returncode=2
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列 (invalid JSON: {error.msg})",
            returncode=2,
        ) from None


def fail(error: DomainError) -> CommandError:
    return CommandError(f"{error.message} ({error.message_en})", returncode=2)


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
