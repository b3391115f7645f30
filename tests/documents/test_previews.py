"""The page images of a document are rendered once per version of its content and then reused
(stored under MEDIA_ROOT, which every app server shares)."""

from __future__ import annotations

import pytest

from anjian.documents import previews, services
from anjian.documents.samples import sample_context
from tests.conftest import client_for
from tests.documents.conftest import draft_for

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def renders(monkeypatch):
    """Count the real renders (the engine still runs)."""
    calls: list[int] = []
    real = previews.render_png_pages

    def counted(content, **kwargs):
        calls.append(1)
        return real(content, **kwargs)

    monkeypatch.setattr(previews, "render_png_pages", counted)
    return calls


def stored_versions(media_root, document_id):
    folder = media_root / previews.ROOT / str(document_id)
    return sorted(p.name for p in folder.iterdir() if any(p.iterdir()))


@pytest.mark.django_db
def test_two_page_requests_render_once(cast, profile, renders, media_root):
    draft = draft_for(cast)
    client = client_for(cast.xuanwu)

    first = client.get(f"/documents/{draft.pk}/pages/1.png")
    second = client.get(f"/documents/{draft.pk}/pages/1.png")
    beyond = client.get(f"/documents/{draft.pk}/pages/2.png")

    assert (first.status_code, second.status_code, beyond.status_code) == (200, 200, 404)
    assert first.content.startswith(PNG)
    assert second.content == first.content
    assert len(renders) == 1
    assert len(stored_versions(media_root, draft.pk)) == 1


@pytest.mark.django_db
def test_a_changed_draft_is_rendered_again_and_its_old_images_removed(
    cast, profile, renders, media_root
):
    draft = draft_for(cast)
    client = client_for(cast.xuanwu)
    before = client.get(f"/documents/{draft.pk}/pages/1.png").content
    old = stored_versions(media_root, draft.pk)
    context = sample_context("penalty_decision_unit", with_issuer=False)
    context["facts"] = "经查，该单位未按规定对从业人员进行安全生产教育和培训（重新核实）。"
    services.refresh_draft(actor=cast.xuanwu, document=draft, context=context)

    after = client.get(f"/documents/{draft.pk}/pages/1.png").content
    again = client.get(f"/documents/{draft.pk}/pages/1.png").content

    assert len(renders) == 2
    assert after != before
    assert again == after
    new = stored_versions(media_root, draft.pk)
    assert len(new) == 1
    assert new != old


@pytest.mark.django_db
def test_an_issued_document_is_rendered_once_for_all_its_requests(cast, profile, renders):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    client = client_for(cast.xuanwu)

    images = [client.get(f"/documents/{issued.pk}/pages/1.png") for _ in range(3)]

    assert [r.status_code for r in images] == [200, 200, 200]
    assert len({r.content for r in images}) == 1
    assert len(renders) == 1
