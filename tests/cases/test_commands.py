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


def test_seed_cases_adds_the_person_case_once_to_an_older_demo_and_then_changes_nothing(
    cast, settings, tmp_path
):
    """A demo seeded before the case against a person existed gets that case on the next run;
    every later run changes nothing."""
    from anjian.cases.demo import DEMO_PERSON_CASE_SOURCE, seed_cases
    from anjian.cases.models import Case
    from anjian.inspections.demo import seed_inspections
    from tests.conftest import make_enterprise, make_officer

    settings.MEDIA_ROOT = str(tmp_path)
    xuanwu = cast.agencies["xuanwu"]
    for username, roles in [
        ("xuanwu", ["inspector"]),
        ("xuanwu2", ["inspector"]),
        ("juzhang", ["bureau_head"]),
        ("fazhi", ["legal_reviewer"]),
    ]:
        make_officer(username, xuanwu, roles)
    for serial in range(10, 17):
        make_enterprise(
            f"玄武演示企业{serial}", cast.regions["320102"], xuanwu, cast.industry, serial
        )
    seed_inspections()
    assert len(seed_cases().created) == 11  # ten cases; the investigating one noted twice
    person_case = Case.objects.get(source_reference=DEMO_PERSON_CASE_SOURCE)
    assert person_case.status == "executing"
    assert person_case.parties.get().gender == "male"
    assert not person_case.flags.exists()  # the fine is within the discretion tier

    # An older demo: the same cases but the one against a person (unmarked here).
    Case.objects.filter(pk=person_case.pk).update(source_reference="")
    topped_up = seed_cases()
    assert [note for _, _, note in topped_up.created] == [
        "对单位主要负责人（个人）的处罚已决定并送达：行政处罚决定书（个人）"
    ]
    count = Case.objects.count()

    again = seed_cases()
    assert again.skipped is True
    assert again.created == []
    assert Case.objects.count() == count
