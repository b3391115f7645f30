"""Fixtures for field inspections: the published item list, a certified team, a draft, photos."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_officer


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (what a camera or canvas would send, only smaller)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """Enough of a JPEG for the content check (SOI + APP0 marker)."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64
        + b"\xff\xd9"
    )


def photo(name: str = "hazard.png", content: bytes | None = None, kind: str = "image/png") -> Any:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=kind)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def item_list(db: Any) -> Any:
    from anjian.inspections import services

    return services.publish_packaged_item_list(actor=None)


@dataclass
class Team:
    head: Any  # xuanwu_head: section head and inspector
    second: Any  # a second certified inspector of the same agency
    expired: Any  # xuanwu_expired: certificate expired

    @property
    def officers(self) -> list[Any]:
        return [self.head.officer, self.second.officer]


@pytest.fixture
def team(cast: Any) -> Team:
    from anjian.core.permissions import Role

    second = make_officer("xuanwu_inspector2", cast.agencies["xuanwu"], [Role.INSPECTOR])
    return Team(head=cast.xuanwu, second=second, expired=cast.uncertified)


@pytest.fixture
def draft(cast: Any, team: Team, item_list: Any, media: Any) -> Any:
    from anjian.inspections import services

    return services.start_inspection(
        actor=team.head,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="planned",
        officers=team.officers,
    )


def item(item_list: Any, code: str) -> Any:
    return item_list.items.get(code=code)


def filled(item_list: Any, *, deadline: dt.date | None = None, **overrides: Any) -> Any:
    """A complete record: three items, one finding under GEN-24 with a rectification deadline."""
    from django.utils import timezone

    from anjian.inspections import services

    exits = item(item_list, "GEN-24")
    data = {
        "place": "一号车间",
        "results": [
            services.ResultInput(item_id=item(item_list, "GEN-02").pk, result="compliant"),
            services.ResultInput(item_id=item(item_list, "OH-03").pk, result="not_applicable"),
            services.ResultInput(item_id=exits.pk, result="finding"),
        ],
        "findings": [
            services.FindingInput(
                item_id=exits.pk,
                description="一号车间东侧安全出口被货物堵塞",
                location="一号车间东门",
                violation_code="WSL2021-105-02b",
                deadline=deadline or timezone.localdate() + dt.timedelta(days=10),
            )
        ],
        "representative_name": "王经理",
        "representative_title": "安全总监",
        "acknowledgement": "refused",
        "refusal_note": "负责人拒绝在检查记录上签字",
        "witness_name": "李四（园区管委会）",
    }
    data.update(overrides)
    return services.RecordInput(**data)
