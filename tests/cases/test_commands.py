"""The management commands of the case app."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.cases.conftest import act, days_ago, propose

pytestmark = pytest.mark.django_db


def test_seed_cases_needs_the_demo_accounts(cast):
    with pytest.raises(CommandError) as error:
        call_command("seed_cases")
    assert "anjian seed" in str(error.value)


def test_recompute_case_deadlines_reports_the_changed_cases(team, capsys):
    from anjian.cases.models import Case

    case = act(propose(team, on=days_ago(3)), "approve_filing", team.head, on=days_ago(3))
    Case.objects.filter(pk=case.pk).update(next_deadline_on=None, next_deadline_rule="")
    call_command("recompute_case_deadlines")
    assert "已更新 1 件" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.next_deadline_rule == "decision_after_filing"
