"""The transitions table: every (state, action) pair is either in the table (the step is looked up
and its permission, form and guards decide) or refused with 409 and the allowed next steps."""

from __future__ import annotations

import pytest

from anjian.cases import services
from anjian.cases.models import Case, CaseEvent, CaseStatus
from anjian.cases.transitions import ACTIONS, BY_KEY, TRANSITIONS, transitions_from
from anjian.core.errors import Conflict, DomainError
from tests.cases.conftest import days_ago, propose
from tests.conftest import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_roles(team):
    from anjian.core.permissions import Role

    return make_officer("xw_all_roles", team.agency, [r.value for r in Role])


def test_every_state_action_pair_is_allowed_or_refused_with_the_allowed_steps(team, all_roles):
    case = propose(team, on=days_ago(5))
    unexpected = []
    for state in CaseStatus.values:
        allowed = {t.action for t in transitions_from(state)}
        for action in sorted(ACTIONS):
            Case.objects.filter(pk=case.pk).update(status=state)
            case.refresh_from_db()
            version = case.version
            conflict: Conflict | None = None
            try:
                services.perform(case=case, action=action, actor=all_roles, version=version)
                outcome = "done"
            except Conflict as error:
                outcome, conflict = error.code, error
            except DomainError as error:
                outcome = error.code
            except Exception as error:  # a bug: bad input must never be a 500
                unexpected.append((state, action, repr(error)))
                continue
            if action in allowed:
                assert outcome != "illegal_transition", (state, action)
            else:
                assert outcome == "illegal_transition", (state, action, outcome)
                assert conflict is not None
                assert conflict.status == 409
                assert [s["action"] for s in conflict.details["allowed"]] == [
                    t.action for t in transitions_from(state)
                ]
    assert unexpected == []


def test_every_guard_and_action_named_in_the_table_exists():
    from anjian.cases.effects import HANDLERS
    from anjian.cases.guards import GUARDS

    for t in TRANSITIONS:
        assert t.action in HANDLERS, t.action
        for guard in t.guards:
            assert guard in GUARDS, guard
        assert t.basis, t.action
        assert t.target in CaseStatus.values


def test_table_has_one_row_per_state_and_action():
    assert len(BY_KEY) == len(TRANSITIONS)


def test_an_illegal_step_changes_nothing(team):
    case = propose(team, on=days_ago(5))
    with pytest.raises(Conflict) as error:
        services.perform(case=case, action="decide", actor=team.head, version=case.version)
    assert error.value.code == "illegal_transition"
    assert "立案审批：同意立案" in error.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED
    assert case.version == 1
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_every_change_writes_one_event_with_old_and_new_state_actor_and_basis(team):
    case = propose(team, on=days_ago(5))
    case = services.perform(
        case=case, action="approve_filing", actor=team.head, version=1, payload={"on": days_ago(4)}
    )
    event = CaseEvent.objects.get(case=case, sequence=2)
    assert (event.from_status, event.to_status, event.action) == (
        "proposed",
        "investigating",
        "approve_filing",
    )
    assert event.actor == team.head
    assert "第五十四条" in event.legal_basis
    assert event.occurred_on == days_ago(4)
    from anjian.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="cases.approve_filing", object_id=str(case.pk)).get()
    assert entry.before == {"status": "proposed", "version": 1}
    assert entry.after["status"] == "investigating"
