"""The demo that `./dev.sh demo` builds: `anjian seed`, then `seed_planning`, `seed_inspections` and
`seed_cases`, in that order, on a small province (the two Nanjing counties of every demo login).
Rerunning the whole sequence changes nothing, and `seed --logins` lists every demo login."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from anjian.audit.models import AuditEntry
from anjian.cases.models import Case
from anjian.inspections.models import Inspection, RectificationOrder
from anjian.planning.models import AnnualPlan, Draw, InspectionTask, Operation
from anjian.registry import seeding
from anjian.registry.models import Agency, Enterprise

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
DEMO_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("seed", {"if_empty": True, "enterprises": 300, "counties": "320102,320106"}),
    ("seed_planning", {"time_limit": 5.0}),
    ("seed_inspections", {}),
    ("seed_cases", {}),
]


def run_demo_steps() -> str:
    out = io.StringIO()
    for command, options in DEMO_STEPS:
        call_command(command, stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        Agency,
        Enterprise,
        AnnualPlan,
        Draw,
        Operation,
        InspectionTask,
        Inspection,
        RectificationOrder,
        Case,
        AuditEntry,
    ]
    return {model.__name__: model.objects.count() for model in models}


FIRST_RUN: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[dict[str, int]]:
    """Seeded once for the module, rolled back at its end."""
    folder = tmp_path_factory.mktemp("demo")
    # seed_planning writes var/demo-draw.json under BASE_DIR; inspections store photos in MEDIA_ROOT.
    with (
        override_settings(BASE_DIR=folder, MEDIA_ROOT=folder / "media"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        FIRST_RUN["output"] = run_demo_steps()
        yield counts()
        transaction.set_rollback(True)


def test_dev_sh_seeds_the_demo_in_this_order():
    script = (ROOT / "dev.sh").read_text()
    steps = [f".venv/bin/anjian {command}" for command, _ in DEMO_STEPS]

    positions = [script.index(step) for step in steps]

    assert positions == sorted(positions)


def test_the_demo_has_plans_inspections_and_cases(demo):
    assert demo["AnnualPlan"] == 2
    assert demo["Operation"] >= 1
    assert demo["Inspection"] >= 1
    assert demo["Case"] >= 1


def test_the_planning_summary_counts_no_more_tasks_done_than_planned(demo):
    found = re.search(r"任务 (\d+) 个，其中已完成（演示）(\d+) 个", FIRST_RUN["output"])

    assert found is not None, FIRST_RUN["output"][-2000:]
    planned, done = int(found[1]), int(found[2])
    # Plans' and draws' tasks when seed_planning ends (later steps add tasks of their own).
    assert 0 < done <= planned <= demo["InspectionTask"]


def test_rerunning_the_demo_changes_nothing(demo):
    output = run_demo_steps()

    assert counts() == demo
    assert "跳过演示数据生成" in output
    assert "未重复生成" in output


def test_seed_logins_lists_every_demo_login(demo):
    out = io.StringIO()

    call_command("seed", logins=True, stdout=out)

    listed = [line.split()[0] for line in out.getvalue().splitlines()[4:] if line.strip()]
    assert listed == seeding.demo_usernames()
