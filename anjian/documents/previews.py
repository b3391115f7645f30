"""Page images of a document's preview: rendered once per version of its content, then reused.

The detail page shows every page as an image, one request per page. Rendering is done once for
all pages and the images are kept in the default storage (MEDIA_ROOT, which every app server
shares) under ``document-previews/<document id>/<content key>/``, where the key is the SHA-256 of
the drawn content and the resolution. A draft whose content changes (refreshed from its record,
new agency settings) gets a new key, and the images of its earlier versions are removed; an issued
document's content is frozen, so its key never changes. No per-process memory cache: app servers
are many.

``pages.txt`` (the page count) is written after the images, so a folder that has it is complete.
"""

from __future__ import annotations

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from anjian.documents.content import Content
from anjian.documents.render import render_png_pages

PREVIEW_PPI = 110
ROOT = "document-previews"


def content_key(content: Content) -> str:
    """What the images depend on: the drawn content and the resolution."""
    data = json.dumps(content.as_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{PREVIEW_PPI}\n{data}".encode()).hexdigest()


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def _put(name: str, data: bytes) -> None:
    """Store ``data`` under exactly ``name`` unless another server already did."""
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # written meanwhile by another server: the storage chose a new name
        default_storage.delete(saved)


def _stored_count(folder: str) -> int | None:
    name = f"{folder}/pages.txt"
    if not default_storage.exists(name):
        return None
    text = _read(name).decode("ascii", errors="replace").strip()
    return int(text) if text.isdecimal() else None


def _forget_other_versions(document_id: int, keep: str) -> None:
    base = f"{ROOT}/{document_id}"
    if not default_storage.exists(base):
        return
    folders, _ = default_storage.listdir(base)
    for folder in folders:
        if folder == keep:
            continue
        _, files = default_storage.listdir(f"{base}/{folder}")
        for name in files:
            default_storage.delete(f"{base}/{folder}/{name}")


def page_png(document_id: int, content: Content, page: int) -> bytes | None:
    """Page ``page`` (from 1) of this content as PNG; ``None`` when there is no such page."""
    key = content_key(content)
    folder = f"{ROOT}/{document_id}/{key}"
    count = _stored_count(folder)
    if count is not None:
        if not 1 <= page <= count:
            return None
        name = f"{folder}/{page}.png"
        if default_storage.exists(name):
            return _read(name)
    pages = render_png_pages(content, ppi=PREVIEW_PPI)
    _forget_other_versions(document_id, keep=key)
    for number, image in enumerate(pages, 1):
        _put(f"{folder}/{number}.png", image)
    _put(f"{folder}/pages.txt", str(len(pages)).encode("ascii"))
    return pages[page - 1] if 1 <= page <= len(pages) else None
