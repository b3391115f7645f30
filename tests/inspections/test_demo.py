"""`anjian seed_inspections`: demo data on top of the demo province, through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from anjian.inspections.demo import seed_inspections
from anjian.inspections.models import CaseProposal, Inspection, InspectionScheme, RectificationOrder
from anjian.planning.models import InspectionTask
from tests.conftest import make_enterprise, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county(cast, media):
    xuanwu = cast.agencies["xuanwu"]
    make_officer("xuanwu", xuanwu, ["inspector"])
    make_officer("xuanwu2", xuanwu, ["inspector"])
    make_officer("juzhang", xuanwu, ["bureau_head"])
    for serial in range(10, 17):
        make_enterprise(
            f"玄武演示企业{serial}", cast.regions["320102"], xuanwu, cast.industry, serial
        )
    return cast


def test_the_demo_gives_todays_tasks_records_an_overdue_order_and_a_case_proposal(demo_county):
    result = seed_inspections()

    today = timezone.localdate()
    assert (result.item_list_version, result.tasks, result.records) == (1, 3, 5)
    assert InspectionScheme.objects.get().status == "approved"
    tasks = InspectionTask.objects.filter(officers__user__username="xuanwu", due_date=today)
    assert tasks.count() == 3
    assert Inspection.objects.filter(status="submitted").count() == 5
    statuses = sorted(RectificationOrder.objects.values_list("status", flat=True))
    assert statuses == ["not_rectified", "open", "open", "rectified"]
    assert result.overdue_orders == 1
    assert CaseProposal.objects.get().source == "not_rectified"
    assert seed_inspections().skipped is True


def test_the_command_says_what_it_made(demo_county, capsys):
    call_command("seed_inspections")
    assert "今日任务 3 项" in capsys.readouterr().out
