"""Adding evidence with its file on the case page: the file is checked before anything is saved.

A refused file (type, size) saves no evidence, no link, no file and no event; the form comes back
open with the message and the fields as entered. A lawful file is stored with the evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.audit.models import AuditEntry
from anjian.cases.models import CaseEvent, CaseEvidence
from anjian.evidence.models import Evidence, EvidenceFile
from tests.cases.conftest import act, days_ago, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _filed(team):
    case = propose(team, on=days_ago(3))
    return act(case, "approve_filing", team.head, on=days_ago(3))


def _form(team, case, upload):
    violation = case.violations.get()
    return {
        "version": case.version,
        "kind": "inspection_record",
        "title": "现场照片（东侧安全出口）",
        "description": "安全出口被货物堵塞",
        "collected_at": dt.datetime.combine(days_ago(1), dt.time(10, 30)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": "玄武化工有限公司一号车间",
        "source": "现场拍摄",
        "method": "site_inspection",
        "collector_ids": [team.lead.officer.pk, team.second.officer.pk],
        "proofs": [f"{violation.pk}:0"],
        "file": upload,
    }


def _nothing_saved(case, version: int) -> None:
    case.refresh_from_db()
    assert case.version == version
    assert Evidence.objects.count() == 0
    assert CaseEvidence.objects.filter(case=case).count() == 0
    assert EvidenceFile.objects.count() == 0
    assert CaseEvent.objects.filter(case=case, action="add_evidence").count() == 0
    assert AuditEntry.objects.filter(action="evidence.register").count() == 0


def test_a_file_of_a_refused_type_saves_nothing_and_the_form_keeps_what_was_entered(team):
    case = _filed(team)
    version = case.version
    violation = case.violations.get()

    response = client_for(team.lead).post(
        f"/cases/{case.pk}/act/add_evidence/",
        _form(team, case, SimpleUploadedFile("病毒.exe", b"MZ" + b"\x00" * 10)),
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "不支持的文件类型“.exe”" in body
    assert 'id="add_evidence-refused"' in body
    assert '<details open id="step-add_evidence">' in body
    assert 'value="现场照片（东侧安全出口）"' in body
    assert ">安全出口被货物堵塞</textarea>" in body
    assert 'value="玄武化工有限公司一号车间"' in body
    assert f'name="collector_ids" value="{team.lead.officer.pk}" checked' in body
    assert f'name="collector_ids" value="{team.second.officer.pk}" checked' in body
    assert f'name="proofs" value="{violation.pk}:0" checked' in body
    assert f'name="proofs" value="{violation.pk}:1">' in body
    _nothing_saved(case, version)


def test_an_oversize_file_saves_nothing(team, settings):
    settings.ANJIAN_EVIDENCE_MAX_BYTES = 100
    case = _filed(team)
    version = case.version

    response = client_for(team.lead).post(
        f"/cases/{case.pk}/act/add_evidence/",
        _form(team, case, SimpleUploadedFile("现场照片.png", PNG)),
    )

    assert response.status_code == 422
    assert "不得超过" in response.content.decode()
    _nothing_saved(case, version)


def test_a_lawful_file_is_stored_with_the_evidence_it_belongs_to(team):
    case = _filed(team)
    version = case.version

    response = client_for(team.lead).post(
        f"/cases/{case.pk}/act/add_evidence/",
        _form(team, case, SimpleUploadedFile("现场照片.png", PNG)),
        follow=True,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "已上传“现场照片.png”" in body
    case.refresh_from_db()
    assert case.version == version + 1
    evidence = Evidence.objects.get()
    assert evidence.title == "现场照片（东侧安全出口）"
    assert list(CaseEvidence.objects.filter(case=case).values_list("evidence_id", flat=True)) == [
        evidence.pk
    ]
    stored = evidence.files.get()
    assert stored.original_name == "现场照片.png"
    assert stored.size == len(PNG)
    assert stored.content_type == "image/png"


def test_evidence_without_a_file_is_added_as_before(team):
    case = _filed(team)
    form = _form(team, case, None)
    del form["file"]

    response = client_for(team.lead).post(f"/cases/{case.pk}/act/add_evidence/", form)

    assert response.status_code == 302
    assert Evidence.objects.get().files.count() == 0


def test_a_refused_field_with_a_lawful_file_saves_nothing_either(team):
    case = _filed(team)
    version = case.version
    form = _form(team, case, SimpleUploadedFile("现场照片.png", PNG))
    form["place"] = ""

    response = client_for(team.lead).post(f"/cases/{case.pk}/act/add_evidence/", form)

    assert response.status_code == 422
    assert 'value="现场照片（东侧安全出口）"' in response.content.decode()
    _nothing_saved(case, version)
