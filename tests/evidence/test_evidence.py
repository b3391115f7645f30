"""Evidence: the eight lawful kinds, collectors, SHA-256 files verified on every download (a
mismatch refused and audited), type and size limits, the custody trail, preservation."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.core.errors import Conflict, DomainError
from anjian.evidence import services
from anjian.evidence.models import CustodyEvent, EvidenceKind
from tests.conftest import client_for, make_officer

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officers(cast):
    from anjian.core.permissions import Role

    second = make_officer("ev_second", cast.agencies["xuanwu"], [Role.INSPECTOR])
    head = make_officer("ev_head", cast.agencies["xuanwu"], [Role.BUREAU_HEAD])
    return cast.xuanwu, second, head


def register(cast, officers, **overrides):
    lead, second, _ = officers
    data = {
        "actor": lead,
        "agency": cast.agencies["xuanwu"],
        "enterprise": cast.enterprises["xuanwu"],
        "kind": "documentary",
        "title": "安全管理制度文本复印件",
        "collected_at": timezone.now() - dt.timedelta(hours=2),
        "place": "玄武化工有限公司办公室",
        "source": "单位安全科提供",
        "method": "copy",
        "collectors": [lead.officer, second.officer],
    }
    data.update(overrides)
    return services.register_evidence(**data)


def test_the_eight_lawful_kinds_are_the_choices():
    assert EvidenceKind.labels == [
        "书证",
        "物证",
        "视听资料",
        "电子数据",
        "证人证言",
        "当事人的陈述",
        "鉴定意见",
        "勘验笔录、现场笔录",
    ]


def test_an_unlawful_kind_is_refused(cast, officers):
    with pytest.raises(DomainError) as error:
        register(cast, officers, kind="hearsay")
    assert error.value.status == 422
    assert "第四十六条" in error.value.message


def test_evidence_is_collected_by_two_certified_officers(cast, officers):
    lead, _, _ = officers
    with pytest.raises(DomainError) as error:
        register(cast, officers, collectors=[lead.officer])
    assert "不得少于2人" in error.value.message
    with pytest.raises(DomainError):
        register(cast, officers, collectors=[lead.officer, cast.uncertified.officer])
    evidence = register(cast, officers)
    assert evidence.custody_status == "collected"
    assert CustodyEvent.objects.get(evidence=evidence).action == "collected"


def test_collection_time_in_the_future_is_refused(cast, officers):
    with pytest.raises(DomainError) as error:
        register(cast, officers, collected_at=timezone.now() + dt.timedelta(days=1))
    assert error.value.code == "date_in_future"


def test_file_is_hashed_as_it_is_stored_and_verified_on_download(cast, officers):
    evidence = register(cast, officers)
    record = services.attach_file(
        actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("现场照片.png", PNG)
    )
    assert record.sha256 == hashlib.sha256(PNG).hexdigest()
    assert record.size == len(PNG)
    with default_storage.open(record.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == record.sha256
    response = client_for(officers[0]).get(f"/evidence/files/{record.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["X-Content-SHA256"] == record.sha256
    assert (
        AuditEntry.objects.filter(action="evidence.download_file", object_id=str(record.pk)).count()
        == 1
    )


def test_a_changed_file_is_refused_and_the_refusal_is_audited(cast, officers):
    evidence = register(cast, officers)
    record = services.attach_file(
        actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("photo.png", PNG)
    )
    path = default_storage.path(record.file.name)
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    for url in (
        f"/evidence/files/{record.pk}/download/",
        f"/api/v1/evidence/files/{record.pk}/download",
    ):
        response = client_for(officers[0]).get(url)
        assert response.status_code == 409
        assert "校验值与登记时不一致" in response.content.decode()
    entries = AuditEntry.objects.filter(
        action="evidence.file_integrity_failed", object_id=str(record.pk)
    )
    assert entries.count() == 2
    assert entries.first().after["expected_sha256"] == record.sha256


def test_a_missing_file_is_refused_and_audited(cast, officers):
    evidence = register(cast, officers)
    record = services.attach_file(
        actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("photo.png", PNG)
    )
    default_storage.delete(record.file.name)
    assert client_for(officers[0]).get(f"/evidence/files/{record.pk}/download/").status_code == 409
    assert AuditEntry.objects.filter(action="evidence.file_integrity_failed").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code", "text"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 10, "evidence_file_type", "不支持的文件类型"),
        ("photo.png", b"GIF89a" + b"\x00" * 10, "evidence_file_content", "文件内容与扩展名"),
        ("empty.pdf", b"", "evidence_file_empty", "文件为空"),
    ],
)
def test_file_type_and_content_are_checked(cast, officers, name, content, code, text):
    evidence = register(cast, officers)
    with pytest.raises(DomainError) as error:
        services.attach_file(
            actor=officers[0], evidence=evidence, upload=SimpleUploadedFile(name, content)
        )
    assert error.value.code == code
    assert text in error.value.message
    assert evidence.files.count() == 0


def test_file_size_limit(cast, officers, settings):
    settings.ANJIAN_EVIDENCE_MAX_BYTES = 100
    evidence = register(cast, officers)
    with pytest.raises(DomainError) as error:
        services.attach_file(
            actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("p.png", PNG)
        )
    assert error.value.code == "evidence_file_too_large"
    assert "不得超过" in error.value.message


def test_download_outside_the_scope_is_404(cast, officers):
    evidence = register(cast, officers)
    record = services.attach_file(
        actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("p.png", PNG)
    )
    assert client_for(cast.gulou).get(f"/evidence/files/{record.pk}/download/").status_code == 404
    assert client_for(cast.gulou).get(f"/evidence/{evidence.pk}/").status_code == 404
    assert client_for(cast.gulou).get(f"/api/v1/evidence/{evidence.pk}").status_code == 404


def test_custody_trail_follows_the_lawful_order(cast, officers):
    evidence = register(cast, officers)
    start = evidence.collected_at
    services.record_custody(
        actor=officers[0],
        evidence=evidence,
        action="sealed",
        occurred_at=start + dt.timedelta(minutes=10),
        to_holder="区局证物室",
    )
    services.record_custody(
        actor=officers[0],
        evidence=evidence,
        action="transferred",
        occurred_at=start + dt.timedelta(minutes=20),
        to_holder="南京市检测中心",
    )
    services.record_custody(
        actor=officers[0],
        evidence=evidence,
        action="returned",
        occurred_at=start + dt.timedelta(minutes=30),
        to_holder="当事人",
    )
    with pytest.raises(Conflict) as error:
        services.record_custody(
            actor=officers[0],
            evidence=evidence,
            action="destroyed",
            occurred_at=start + dt.timedelta(minutes=40),
            note="x",
        )
    assert error.value.details["allowed"] == []
    actions = list(evidence.custody_events.values_list("action", flat=True))
    assert actions == ["collected", "sealed", "transferred", "returned"]


def test_custody_event_before_the_collection_is_refused(cast, officers):
    evidence = register(cast, officers)
    with pytest.raises(DomainError) as error:
        services.record_custody(
            actor=officers[0],
            evidence=evidence,
            action="sealed",
            occurred_at=evidence.collected_at - dt.timedelta(hours=1),
        )
    assert error.value.code == "custody_time_order"


def test_destruction_states_its_basis(cast, officers):
    evidence = register(cast, officers)
    with pytest.raises(DomainError):
        services.record_custody(
            actor=officers[0], evidence=evidence, action="destroyed", occurred_at=timezone.now()
        )
    services.record_custody(
        actor=officers[0],
        evidence=evidence,
        action="destroyed",
        occurred_at=timezone.now(),
        note="经批准销毁，销毁人甲乙",
    )


def test_preservation_decision_is_due_in_seven_working_days(cast, officers):
    from anjian.law.calendar import current_calendar

    lead, _, head = officers
    evidence = register(
        cast, officers, kind="physical", title="不合格灭火器", method="preservation"
    )
    started = timezone.localdate() - dt.timedelta(days=1)
    preservation = services.start_preservation(
        actor=lead,
        agency=cast.agencies["xuanwu"],
        evidence=[evidence],
        items="灭火器3具",
        place="区局证物室",
        approved_by=head.officer,
        approved_on=started,
        started_on=started,
    )
    assert preservation.due_on == current_calendar().add_working_days(started, 7)
    assert preservation.due_rule == "evidence_preservation_decision"
    decided = services.decide_preservation(
        actor=lead,
        preservation=preservation,
        decision="record_and_return",
        decided_on=timezone.localdate(),
    )
    assert decided.decision == "record_and_return"
    with pytest.raises(Conflict):
        services.decide_preservation(
            actor=lead,
            preservation=preservation,
            decision="release",
            decided_on=timezone.localdate(),
        )


def test_preservation_needs_the_head_of_the_agency(cast, officers):
    lead, second, _ = officers
    evidence = register(cast, officers)
    with pytest.raises(DomainError) as error:
        services.start_preservation(
            actor=lead,
            agency=cast.agencies["xuanwu"],
            evidence=[evidence],
            items="x",
            place="y",
            approved_by=second.officer,
            approved_on=timezone.localdate(),
            started_on=timezone.localdate(),
        )
    assert "第五十六条" in error.value.message


def test_api_upload_and_download(cast, officers):
    evidence = register(cast, officers)
    client = client_for(officers[0])
    response = client.post(
        f"/api/v1/evidence/{evidence.pk}/files", {"file": SimpleUploadedFile("照片.png", PNG)}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    download = client.get(body["download_url"])
    assert download.status_code == 200
    bad = client.post(
        f"/api/v1/evidence/{evidence.pk}/files", {"file": SimpleUploadedFile("a.exe", b"MZ")}
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "evidence_file_type"


def test_evidence_page_shows_files_and_custody(cast, officers):
    evidence = register(cast, officers)
    services.attach_file(
        actor=officers[0], evidence=evidence, upload=SimpleUploadedFile("照片.png", PNG)
    )
    body = client_for(officers[0]).get(f"/evidence/{evidence.pk}/").content.decode()
    assert "照片.png" in body
    assert hashlib.sha256(PNG).hexdigest() in body
    assert "校验并下载" in body
