"""Evidence files: the allowed types and sizes, hashing while the upload is written, and
re-hashing on every download.

Files go to Django's default storage (``MEDIA_ROOT``; shared storage in a cluster) under a random
name. The SHA-256 is computed from the very bytes handed to storage (a wrapper hashes each chunk
as the storage writes it), so the stored digest is that of the stored file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage

from anjian.core.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    label_zh: str
    max_bytes: int
    magic: tuple[tuple[int, bytes], ...] = ()  # (offset, bytes); empty: no signature check


_FTYP = ((4, b"ftyp"),)
_OLE = ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),)
_ZIP = ((0, b"PK\x03\x04"),)

#: Allowed extensions. Signatures are checked so that a renamed file is refused.
FILE_TYPES: dict[str, FileType] = {
    ".jpg": FileType("image/jpeg", "JPEG 图片", 30 * MB, ((0, b"\xff\xd8\xff"),)),
    ".jpeg": FileType("image/jpeg", "JPEG 图片", 30 * MB, ((0, b"\xff\xd8\xff"),)),
    ".png": FileType("image/png", "PNG 图片", 30 * MB, ((0, b"\x89PNG\r\n\x1a\n"),)),
    ".heic": FileType("image/heic", "HEIC 图片", 30 * MB, _FTYP),
    ".pdf": FileType("application/pdf", "PDF 文件", 100 * MB, ((0, b"%PDF-"),)),
    ".ofd": FileType("application/ofd", "OFD 版式文件", 100 * MB, _ZIP),
    ".doc": FileType("application/msword", "Word 文档", 50 * MB, _OLE),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文档",
        50 * MB,
        _ZIP,
    ),
    ".xls": FileType("application/vnd.ms-excel", "Excel 表格", 50 * MB, _OLE),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 表格",
        50 * MB,
        _ZIP,
    ),
    ".txt": FileType("text/plain", "文本文件", 10 * MB),
    ".mp4": FileType("video/mp4", "MP4 视频", 1024 * MB, _FTYP),
    ".mov": FileType("video/quicktime", "MOV 视频", 1024 * MB, _FTYP),
    ".mp3": FileType("audio/mpeg", "MP3 音频", 200 * MB),
    ".m4a": FileType("audio/mp4", "M4A 音频", 200 * MB, _FTYP),
    ".wav": FileType("audio/wav", "WAV 音频", 500 * MB, ((0, b"RIFF"), (8, b"WAVE"))),
    ".amr": FileType("audio/amr", "AMR 录音", 100 * MB, ((0, b"#!AMR"),)),
}


def allowed_extensions_zh() -> str:
    return "、".join(sorted({ext.lstrip(".") for ext in FILE_TYPES}))


def max_upload_bytes() -> int:
    return int(getattr(settings, "ANJIAN_EVIDENCE_MAX_BYTES", 1024 * MB))


def check_upload(name: str, size: int, head: bytes) -> FileType:
    """Refuse a file of a type not allowed, too large, empty, or whose content is not its type."""
    suffix = PurePath(name or "").suffix.lower()
    file_type = FILE_TYPES.get(suffix)
    if file_type is None:
        raise DomainError(
            "evidence_file_type",
            f"不支持的文件类型“{suffix or '无扩展名'}”。可上传：{allowed_extensions_zh()}。",
            f"File type {suffix or '(none)'} is not allowed.",
            details={"allowed": sorted(FILE_TYPES)},
            status=422,
        )
    if size <= 0:
        raise DomainError(
            "evidence_file_empty", "文件为空，请重新选择。", "The file is empty.", status=422
        )
    limit = min(file_type.max_bytes, max_upload_bytes())
    if size > limit:
        raise DomainError(
            "evidence_file_too_large",
            f"{file_type.label_zh}不得超过 {limit // MB} MB（本文件 {size / MB:.1f} MB）。",
            f"{file_type.label_zh} files may not exceed {limit // MB} MB.",
            details={"max_bytes": limit, "size": size},
            status=422,
        )
    for offset, signature in file_type.magic:
        if head[offset : offset + len(signature)] != signature:
            raise DomainError(
                "evidence_file_content",
                f"文件内容与扩展名“{suffix}”不符（不是有效的{file_type.label_zh}），请检查文件。",
                f"The content does not match the extension {suffix}.",
                status=422,
            )
    if suffix == ".txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a cut multibyte character at the end is fine
                raise DomainError(
                    "evidence_file_content",
                    "文本文件须为 UTF-8 编码。",
                    "Text files must be UTF-8.",
                    status=422,
                ) from None
    return file_type


class HashingFile(File):  # type: ignore[type-arg]
    """Wraps an upload: every chunk the storage reads is also fed to SHA-256 and counted."""

    def __init__(self, file: Any, name: str) -> None:
        super().__init__(file, name)
        self.digest = hashlib.sha256()
        self.written = 0

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        wrapped: Any = self.file
        source = (
            wrapped.chunks(chunk_size) if hasattr(wrapped, "chunks") else super().chunks(chunk_size)
        )
        for chunk in source:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            self.digest.update(data)
            self.written += len(data)
            yield data

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True


def hash_stored(storage: Storage, name: str, chunk_size: int = 1024 * 1024) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
