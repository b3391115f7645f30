"""The law layer through its users' doors: the CLI commands, the API and the pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anjian.audit.models import AuditEntry
from anjian.law.models import CalendarOverride
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def run(command: str, *args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(command, *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_law_violations_json_lists_every_type_with_its_provisions():
    items = json.loads(run("law", "violations", "--json"))
    codes = {item["code"] for item in items}
    assert "WSL2021-097-03" in codes
    item = next(i for i in items if i["code"] == "WSL2021-097-03")
    assert item["penalty_provision"]["law"] == "WSL"
    assert item["penalty_provision"]["article"] == 97
    assert item["penalty_provision"]["item"] == 3
    assert len([i for i in items if i["law"] == "WSL" and i["law_version"] == "2021"]) >= 60


def test_deadlines_command_crosses_national_day_2025():
    result = json.loads(
        run("deadlines", stdin=json.dumps({"events": {"notice_delivered": "2025-09-30"}}))
    )
    hearing = next(d for d in result["deadlines"] if d["rule_id"] == "hearing_request")
    assert hearing["due"] == "2025-10-14"


def test_deadlines_command_unknown_event_exits_2():
    with pytest.raises(CommandError) as error:
        run("deadlines", stdin=json.dumps({"events": {"nonsense": "2025-01-01"}}))
    assert error.value.returncode == 2
    assert "未知事件" in str(error.value)


def test_deadlines_command_impossible_date_exits_2():
    with pytest.raises(CommandError) as error:
        run("deadlines", stdin=json.dumps({"events": {"case_filed": "2025-02-30"}}))
    assert error.value.returncode == 2
    assert "日期" in str(error.value)


def test_deadlines_command_invalid_json_exits_2():
    with pytest.raises(CommandError) as error:
        run("deadlines", stdin="{not json")
    assert error.value.returncode == 2


def test_deadline_in_unknown_year_is_flagged_not_computed(cast):
    response = client_for(cast.xuanwu).post(
        "/api/v1/law/deadlines",
        {"events": {"case_filed": "2031-03-03"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    decision = next(
        d for d in response.json()["deadlines"] if d["rule_id"] == "decision_after_filing"
    )
    assert decision["due"] is None
    assert "unknown_calendar_year" in decision["flags"]


def test_calendar_override_declares_a_year_and_is_audited(cast, django_user_model):
    from anjian.core.permissions import Role
    from tests.conftest import make_officer

    admin = make_officer("calendar_admin", cast.agencies["province"], [Role.ADMINISTRATOR])
    client = client_for(admin)
    before = AuditEntry.objects.count()
    response = client.post(
        "/api/v1/law/calendar/overrides",
        {
            "day": "2027-01-01",
            "is_working_day": False,
            "note": "国办发明电〔2026〕示例",
            "declares_year": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditEntry.objects.count() == before + 1
    result = client.post(
        "/api/v1/law/deadlines",
        {"events": {"notice_delivered": "2026-12-30"}},
        content_type="application/json",
    ).json()
    hearing = next(d for d in result["deadlines"] if d["rule_id"] == "hearing_request")
    # 2026-12-31 (Thu) is day 1; 2027-01-01 is declared a rest day; Mon 4th … Thu 7th are days 2–5.
    assert hearing["due"] == "2027-01-07"


def test_calendar_override_needs_the_administrator_role(cast):
    response = client_for(cast.xuanwu).post(
        "/api/v1/law/calendar/overrides",
        {"day": "2027-01-01", "is_working_day": False, "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert CalendarOverride.objects.count() == 0


def test_api_violation_detail_and_unknown_code(cast):
    client = client_for(cast.xuanwu)
    detail = client.get("/api/v1/law/violations/WSL2021-114").json()
    assert detail["code"] == "WSL2021-114"
    assert detail["penalty_provision"]["text_zh"].startswith("发生生产安全事故")
    missing = client.get("/api/v1/law/violations/NOPE-1")
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid_input"


def test_accident_grade_api_boundaries(cast):
    client = client_for(cast.xuanwu)
    grade = client.post(
        "/api/v1/law/accident-grade",
        {"deaths": 3, "serious_injuries": 0, "direct_loss_yuan": 0},
        content_type="application/json",
    ).json()
    assert grade["grade"] == "larger"
    negative = client.post(
        "/api/v1/law/accident-grade",
        {"deaths": -1, "serious_injuries": 0, "direct_loss_yuan": 0},
        content_type="application/json",
    )
    assert negative.status_code == 422


def test_catalog_page_search_by_keyword_and_article(cast):
    client = client_for(cast.xuanwu)
    page = client.get("/law/violations/", {"article": "97"}).content.decode()
    assert "WSL2021-097-03" in page
    assert "WSL2021-114" not in page
    detail = client.get("/law/violations/WSL2021-097-03/").content.decode()
    assert "第九十七条" in detail


def test_deadline_page_shows_due_dates(cast):
    page = (
        client_for(cast.xuanwu)
        .get("/law/deadlines/", {"case_filed": "2025-01-15"})
        .content.decode()
    )
    assert "2025-04-15" in page


def test_discretion_command_prints_the_decision():
    sheet = {
        "violation_codes": ["WSL2021-097-03"],
        "act_date": "2025-03-01",
        "decision_date": "2025-05-01",
        "party": "unit",
        "stage": "first_order",
    }
    result = json.loads(run("discretion", stdin=json.dumps(sheet)))
    violation = result["violations"][0]
    assert violation["applied_code"] == "WSL2021-097-03"
    assert violation["legal_range"]["max_yuan"] == "100000"
    assert "第九十七条" in result["reasoning_zh"]


def test_discretion_command_negative_amount_exits_2_naming_the_field():
    sheet = {
        "violation_codes": ["WSL2021-095"],
        "act_date": "2025-03-01",
        "decision_date": "2025-05-01",
        "party": "principal_person",
        "stage": "accident",
        "accident_grade": "ordinary",
        "last_year_income": -5,
    }
    with pytest.raises(CommandError) as error:
        run("discretion", stdin=json.dumps(sheet))
    assert error.value.returncode == 2
    assert "last_year_income" in str(error.value)


def test_discretion_command_unknown_code_exits_2():
    sheet = {
        "violation_codes": ["NOPE"],
        "act_date": "2025-03-01",
        "party": "unit",
        "stage": "first_order",
    }
    with pytest.raises(CommandError) as error:
        run("discretion", stdin=json.dumps(sheet))
    assert error.value.returncode == 2


def test_discretion_api_and_page(cast):
    client = client_for(cast.xuanwu)
    sheet = {
        "violation_codes": ["WSL2021-097-03"],
        "act_date": "2025-03-01",
        "decision_date": "2025-05-01",
        "party": "unit",
        "stage": "overdue_not_corrected",
    }
    body = client.post("/api/v1/law/discretion", sheet, content_type="application/json").json()
    assert body["violations"][0]["legal_range"]["min_yuan"] == "100000"
    assert body["violations"][0]["legal_range"]["max_yuan"] == "200000"
    bad = client.post(
        "/api/v1/law/discretion",
        {**sheet, "act_date": "2099-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_fact_sheet"
    page = client.post(
        "/law/discretion/",
        {
            "code": "WSL2021-097-03",
            "act_date": "2025-03-01",
            "decision_date": "2025-05-01",
            "party": "unit",
            "stage": "overdue_not_corrected",
        },
    ).content.decode()
    assert "200000" in page
    assert "第九十七条" in page


def test_consistency_report_flags_an_amount_outside_the_legal_range(cast):
    import datetime as dt
    from decimal import Decimal

    from anjian.core.permissions import Role
    from anjian.law.models import DecisionRecord
    from tests.conftest import make_officer

    region = cast.regions["320102"]
    for index, amount in enumerate(["30000", "31000", "29000", "500000"]):
        DecisionRecord.objects.create(
            reference=f"R-{index}",
            region=region,
            province_code="320000",
            city_code="320100",
            county_code="320102",
            violation_code="WSL2021-097-03",
            party="unit",
            stage="first_order",
            act_date=dt.date(2025, 3, 1),
            decision_date=dt.date(2025, 5, 1),
            amount=Decimal(amount),
        )
    reviewer = make_officer("reviewer", cast.agencies["xuanwu"], [Role.LEGAL_REVIEWER])
    report = client_for(reviewer).get("/api/v1/law/consistency").json()
    assert report["total_records"] == 4
    flagged = {f["case_id"]: f["flags"] for f in report["findings"]}
    assert "outside_legal_range" in flagged["R-3"]
    assert "R-0" not in flagged
    other = client_for(cast.gulou).get("/api/v1/law/consistency")
    assert other.status_code == 200
    assert other.json()["total_records"] == 0
