"""Photos: checked by content and size, stored with their SHA-256, served only after re-verification."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError
from anjian.inspections import services
from anjian.inspections.models import Attachment, Finding
from tests.conftest import client_for
from tests.inspections.conftest import filled, jpeg_bytes, photo, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    return Finding.objects.get(inspection=draft)


def test_a_png_photo_is_stored_with_its_sha256(team, draft, finding):
    attachment = services.add_attachment(
        actor=team.head, inspection=draft, upload=photo(), finding=finding
    )

    assert attachment.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert attachment.content_type == "image/png"
    assert attachment.size == len(png_bytes())
    assert attachment.file.name.startswith(f"inspections/{draft.pk}/")
    with default_storage.open(attachment.file.name, "rb") as handle:
        assert handle.read() == png_bytes()


def test_a_jpeg_is_recognised_by_content_whatever_its_name(team, draft, finding):
    attachment = services.add_attachment(
        actor=team.head,
        inspection=draft,
        upload=photo("IMG_0001.HEIC", jpeg_bytes(), "application/octet-stream"),
        finding=finding,
    )
    assert attachment.content_type == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(team, draft, finding):
    with pytest.raises(DomainError) as error:
        services.add_attachment(
            actor=team.head,
            inspection=draft,
            upload=photo("photo.jpg", b"%PDF-1.7 not an image", "image/jpeg"),
            finding=finding,
        )
    assert error.value.code == "photo_type"
    assert error.value.status == 415
    assert error.value.message.startswith("文件“photo.jpg”不是 JPEG、PNG 或 WebP 格式的图片")
    assert not Attachment.objects.exists()


def test_an_oversize_photo_is_refused_with_its_size(team, draft, finding):
    big = png_bytes() + b"\x00" * (10 * 1024 * 1024)
    with pytest.raises(DomainError) as error:
        services.add_attachment(
            actor=team.head, inspection=draft, upload=photo("big.png", big), finding=finding
        )
    assert error.value.code == "photo_too_large"
    assert error.value.status == 413
    assert "超过 10.0 MB 的上限" in error.value.message
    assert not Attachment.objects.exists()


def test_an_empty_file_is_refused(team, draft, finding):
    with pytest.raises(DomainError) as error:
        services.add_attachment(
            actor=team.head, inspection=draft, upload=photo("empty.png", b""), finding=finding
        )
    assert error.value.code == "photo_empty"


def test_a_photo_is_served_after_its_hash_is_verified(team, draft, finding):
    attachment = services.add_attachment(
        actor=team.head, inspection=draft, upload=photo(), finding=finding
    )
    response = client_for(team.second).get(f"/inspections/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == png_bytes()


def test_a_changed_file_is_refused_and_audited(team, draft, finding):
    attachment = services.add_attachment(
        actor=team.head, inspection=draft, upload=photo(), finding=finding
    )
    path = default_storage.path(attachment.file.name)
    with open(path, "ab") as handle:
        handle.write(b"tampered")

    page = client_for(team.head).get(f"/inspections/attachments/{attachment.pk}/")
    api = client_for(team.head).get(f"/api/v1/inspections/attachments/{attachment.pk}")

    assert page.status_code == 409
    assert "可能已被篡改" in page.content.decode()
    assert api.status_code == 409
    assert api.json()["code"] == "attachment_integrity"
    entries = AuditEntry.objects.filter(action="inspections.attachment_integrity_failed")
    assert entries.count() == 2
    assert entries.first().after["problem"] == "sha256_mismatch"


def test_a_photo_of_another_county_does_not_exist(cast, team, draft, finding):
    attachment = services.add_attachment(
        actor=team.head, inspection=draft, upload=photo(), finding=finding
    )
    assert (
        client_for(cast.gulou).get(f"/inspections/attachments/{attachment.pk}/").status_code == 404
    )
    assert (
        client_for(cast.gulou).get(f"/api/v1/inspections/attachments/{attachment.pk}").status_code
        == 404
    )
