"""Issue 5 §3 and "Done when": every guard of the procedure has a test that shows it blocks and a
test that shows the lawful path passes. ``GUARD_TESTS`` lists them (module::function); a test
checks the list covers every guard in ``anjian.cases.guards.GUARDS`` and names tests that exist,
so a new guard without its two tests fails here. The guards no other test made block are tested
below."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from anjian.cases import guards
from anjian.cases.guards import GUARDS, Ctx, GuardFailure
from anjian.cases.models import CaseStatus
from anjian.cases.transitions import transition_for
from tests.cases.conftest import (
    TODAY,
    act,
    days_ago,
    executing,
    hearing_case,
    investigated,
    notified,
    propose,
    proposed_penalty,
    prove_all,
)
from tests.cases.test_guards import blocked
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

G = "test_guards"
L = "test_lawful_path::test_case_walks_from_filing_to_archive"
C = "test_guard_coverage"
HEARING = f"{G}::test_requested_hearing_must_be_held_and_reviewed_before_the_decision"
COURT = f"{G}::test_court_enforcement_needs_the_reminder_the_wait_and_the_window"
QUIET = f"{C}::test_a_step_with_nothing_to_act_on_is_blocked_and_not_listed_as_blocked"

#: guard → (a test that shows it blocks, a test that shows the lawful path passes)
GUARD_TESTS: dict[str, tuple[str, str]] = {
    "jurisdiction": (
        f"{G}::test_filing_outside_the_agencys_region_is_refused",
        f"{G}::test_filing_inside_the_region_passes",
    ),
    "penalty_power": (
        f"{G}::test_township_without_delegation_cannot_file",
        f"{G}::test_township_within_its_delegation_files",
    ),
    "limitation_period": (
        f"{G}::test_filing_after_the_two_year_limitation_is_refused",
        f"{G}::test_filing_within_two_years_passes",
    ),
    "two_certified_officers": (f"{G}::test_filing_by_one_officer_is_refused", L),
    "dates": (f"{G}::test_an_act_dated_before_filing_is_refused", L),
    "simplified_limits": (
        f"{G}::test_on_the_spot_fine_above_3000_for_an_organisation_is_refused",
        f"{G}::test_on_the_spot_fine_within_the_limit_is_decided_and_delivered",
    ),
    "elements_proven": (
        f"{G}::test_notice_without_evidence_for_each_element_is_refused",
        f"{G}::test_notice_with_every_element_proved_passes",
    ),
    "amounts_in_range": (
        f"{G}::test_bad_amounts_are_refused_with_the_legal_range",
        f"{G}::test_an_amount_within_the_tier_passes_without_a_reason",
    ),
    "no_mandatory_waiver": (
        f"{G}::test_a_mandatory_waiver_blocks_a_penalty",
        f"{G}::test_an_amount_within_the_tier_passes_without_a_reason",
    ),
    "has_violations": (f"{C}::test_ending_the_investigation_without_a_violation_is_blocked", L),
    "facts_recorded": (
        f"{C}::test_ending_the_investigation_without_the_facts_is_blocked_until_they_are_written",
        f"{C}::test_ending_the_investigation_without_the_facts_is_blocked_until_they_are_written",
    ),
    "preservations_decided": (
        f"{G}::test_open_preservation_blocks_the_end_of_the_investigation_and_is_the_next_deadline",
        f"{G}::test_late_preservation_decision_needs_a_reason_and_is_flagged",
    ),
    "proposal_exists": (
        f"{C}::test_legal_review_without_a_proposal_is_blocked_and_with_one_passes",
        f"{C}::test_legal_review_without_a_proposal_is_blocked_and_with_one_passes",
    ),
    "legal_review_done": (
        f"{G}::test_decision_without_a_required_legal_review_is_refused",
        HEARING,
    ),
    "collective_discussion_done": (HEARING, HEARING),
    "notice_served": (
        f"{C}::test_a_statement_before_the_notice_is_blocked_and_after_it_is_recorded",
        f"{C}::test_a_statement_before_the_notice_is_blocked_and_after_it_is_recorded",
    ),
    "notice_served_for_proposal": (f"{G}::test_a_changed_proposal_must_be_notified_again", L),
    "statement_period_over": (
        f"{G}::test_no_decision_before_the_statement_period_ends",
        f"{G}::test_the_party_may_waive_statement_and_defence",
    ),
    "hearing_request_period_over": (
        f"{G}::test_hearing_request_period_blocks_the_end_of_the_notice_period",
        L,
    ),
    "hearing_held_if_requested": (
        f"{C}::test_a_decision_before_the_requested_hearing_is_held_is_blocked",
        f"{C}::test_a_decision_before_the_requested_hearing_is_held_is_blocked",
    ),
    "hearing_right": (f"{G}::test_hearing_right_is_required_for_a_hearing_request", HEARING),
    "hearing_request_in_time": (f"{G}::test_a_late_hearing_request_is_refused", HEARING),
    "hearing_chair_independent": (f"{G}::test_the_hearing_chair_is_not_an_investigator", HEARING),
    "hearing_notice_in_time": (
        f"{G}::test_the_hearing_notice_must_be_seven_working_days_ahead",
        HEARING,
    ),
    "hearing_on_scheduled_day": (
        f"{C}::test_a_hearing_recorded_on_another_day_than_notified_is_blocked",
        f"{C}::test_a_hearing_recorded_on_another_day_than_notified_is_blocked",
    ),
    "within_decision_deadline": (
        f"{G}::test_decision_after_90_days_needs_an_extension_on_record",
        f"{G}::test_decision_within_90_days_passes",
    ),
    "amounts_not_heavier": (f"{G}::test_the_decision_may_not_be_heavier_than_the_notice", L),
    "no_penalty_ground": (
        f"{G}::test_no_penalty_for_a_minor_violation_needs_the_circumstances",
        f"{G}::test_no_penalty_for_a_minor_violation_needs_the_circumstances",
    ),
    "delivery_lawful": (
        f"{G}::test_electronic_delivery_needs_the_partys_consent",
        f"{G}::test_late_delivery_needs_a_reason_and_is_flagged",
    ),
    "fine_outstanding": (
        f"{C}::test_deferral_with_nothing_outstanding_is_blocked",
        f"{G}::test_instalments_must_add_up_to_the_outstanding_fine",
    ),
    "fine_overdue": (f"{G}::test_reminder_before_the_fine_falls_due_is_refused", COURT),
    "reminder_period_over": (COURT, COURT),
    "court_window_open": (
        f"{G}::test_court_enforcement_before_the_review_and_suit_periods_end_is_refused",
        COURT,
    ),
    "court_applied": (
        f"{C}::test_a_court_outcome_before_the_application_is_blocked_and_after_it_recorded",
        f"{C}::test_a_court_outcome_before_the_application_is_blocked_and_after_it_recorded",
    ),
    "daily_fine_conditions": (
        f"{G}::test_daily_fine_needs_a_refused_correction",
        f"{G}::test_daily_fine_needs_a_refused_correction",
    ),
    "closure_trigger": (
        f"{G}::test_proposal_of_closure_needs_three_penalties_in_180_days",
        f"{G}::test_proposal_of_closure_needs_three_penalties_in_180_days",
    ),
    "orders_have_outcomes": (f"{G}::test_closure_with_an_order_without_outcome_is_refused", L),
    "fines_paid_or_pursued": (f"{G}::test_closure_with_an_unpaid_unpursued_fine_is_refused", L),
    "flags_resolved": (
        f"{G}::test_closure_needs_the_recorded_exceptions_reviewed",
        f"{G}::test_closure_needs_the_recorded_exceptions_reviewed",
    ),
    "has_open_flags": (QUIET, f"{G}::test_closure_needs_the_recorded_exceptions_reviewed"),
    "has_open_preservations": (
        QUIET,
        f"{G}::test_late_preservation_decision_needs_a_reason_and_is_flagged",
    ),
    "has_pending_orders": (QUIET, L),
    "has_proofs": (QUIET, QUIET),
    "decision_not_issued": (
        "test_edit_party::test_once_the_decision_document_is_issued_the_party_cannot_change",
        "test_edit_party::test_after_the_decision_until_the_document_is_issued_the_party_can_be_completed",
    ),
    "party_identity_as_notified": (
        "test_edit_party::test_after_the_notice_the_notified_name_cannot_change",
        "test_edit_party::test_after_the_notice_missing_particulars_may_still_be_added",
    ),
    "has_other_parties": (
        "test_remove_party::test_the_only_party_is_not_offered_for_removal",
        "test_remove_party::test_a_mistaken_party_is_removed_on_the_case_page_with_its_reason_on_record",
    ),
    "before_decision": (
        "test_remove_party::test_once_the_case_is_decided_a_party_is_refused_with_the_reason",
        "test_remove_party::test_a_mistaken_party_is_removed_through_the_api",
    ),
}


@pytest.mark.django_db(False)
def test_every_guard_has_a_blocking_and_a_passing_test_that_exist():
    assert set(GUARD_TESTS) == set(GUARDS)
    for guard, names in GUARD_TESTS.items():
        for name in names:
            module, _, function = name.partition("::")
            tests = importlib.import_module(f"tests.cases.{module}")
            assert callable(getattr(tests, function, None)), (guard, name)


# ------------------------------------------------------------------------ the missing ones


def test_ending_the_investigation_without_a_violation_is_blocked(team):
    case = act(propose(team, on=days_ago(5)), "approve_filing", team.head, on=days_ago(5))
    violation = case.violations.get()
    case = act(case, "remove_violation", team.lead, violation_id=violation.pk, reason="事实不成立")

    error = blocked("has_violations", act, case, "submit_investigation", team.lead)

    assert error.message == "案件尚未认定任何违法行为。"
    assert case.status == CaseStatus.INVESTIGATING


def test_ending_the_investigation_without_the_facts_is_blocked_until_they_are_written(team):
    case = act(propose(team, on=days_ago(5)), "approve_filing", team.head, on=days_ago(5))
    violation = case.violations.get()
    case = act(case, "edit_violation", team.lead, violation_id=violation.pk, facts="")
    case = prove_all(team, case, on=days_ago(4))

    error = blocked("facts_recorded", act, case, "submit_investigation", team.lead)
    assert "第四十条" in error.message

    case = act(
        case,
        "edit_violation",
        team.lead,
        violation_id=violation.pk,
        facts="未设置安全生产管理机构。",
    )
    case = act(case, "submit_investigation", team.lead)
    assert case.status == CaseStatus.UNDER_REVIEW


def test_legal_review_without_a_proposal_is_blocked_and_with_one_passes(team):
    case = investigated(team, filed=days_ago(10))

    blocked("proposal_exists", act, case, "request_legal_review", team.lead)

    case = proposed_penalty(team, filed=days_ago(10))
    case = act(case, "request_legal_review", team.lead)
    assert case.status == CaseStatus.LEGAL_REVIEW


def test_a_statement_before_the_notice_is_blocked_and_after_it_is_recorded(team):
    statement = {"statement": "当事人称已整改。", "review": "经复核，不予采纳。", "adopted": ""}
    case = proposed_penalty(team, filed=days_ago(20))

    error = blocked("notice_served", act, case, "record_statement", team.lead, **statement)
    assert "第四十四条" in error.message

    case = notified(team, filed=days_ago(20), notice=days_ago(2))
    case = act(case, "record_statement", team.lead, **statement)
    assert case.events.order_by("-sequence").first().action == "record_statement"


def _scheduled(team):
    case = hearing_case(team, notice=days_ago(40))
    case = act(case, "request_hearing", team.lead, on=days_ago(38))
    return act(
        case,
        "schedule_hearing",
        team.lead,
        notice_on=days_ago(37),
        hearing_date=days_ago(20),
        place="区局听证室",
        chair_id=team.chair.officer.pk,
    )


def test_a_hearing_recorded_on_another_day_than_notified_is_blocked(team):
    case = _scheduled(team)
    hearing = {"record": "当事人到场申辩。", "report": "维持处罚建议。"}

    error = blocked(
        "hearing_on_scheduled_day",
        act,
        case,
        "record_hearing",
        team.lead,
        held_on=days_ago(19),
        **hearing,
    )
    assert "第六十四条" in error.message

    case = act(case, "record_hearing", team.lead, held_on=days_ago(20), **hearing)
    assert case.status == CaseStatus.UNDER_REVIEW


def _decide_ctx(case, actor) -> Ctx:
    transition = transition_for(CaseStatus.UNDER_REVIEW, "decide")
    assert transition is not None
    return Ctx(case=case, actor=actor, transition=transition, payload={}, on=TODAY)


def test_a_decision_before_the_requested_hearing_is_held_is_blocked(team):
    # The table cannot reach 案件审查 from 听证申请 except by holding or withdrawing the hearing;
    # the guard is the second lock on that door (a case moved by hand, a future row).
    case = _scheduled(team)
    with pytest.raises(GuardFailure) as error:
        guards.hearing_held_if_requested(_decide_ctx(case, team.head))
    assert error.value.code == "guard_hearing_held_if_requested"
    assert "第六十三条" in error.value.message

    case = act(
        case, "record_hearing", team.lead, held_on=days_ago(20), record="到场。", report="维持。"
    )
    guards.hearing_held_if_requested(_decide_ctx(case, team.head))


def test_deferral_with_nothing_outstanding_is_blocked(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    case = act(
        case,
        "record_payment",
        team.lead,
        paid_on=days_ago(20),
        amount="20000",
        receipt_number="PJ-1",
    )

    error = blocked(
        "fine_outstanding",
        act,
        case,
        "approve_deferral",
        team.head,
        applied_on=days_ago(1),
        until=TODAY + dt.timedelta(days=30),
        reason="经营困难",
    )
    assert error.message == "没有未缴纳的罚款。"


def test_a_court_outcome_before_the_application_is_blocked_and_after_it_recorded(team):
    case = executing(
        team,
        filed=days_ago(260),
        notice=days_ago(240),
        decided_on=days_ago(230),
        delivered=days_ago(229),
    )
    blocked("court_applied", act, case, "record_court_outcome", team.lead, outcome="已执行")

    case = act(case, "serve_reminder", team.lead, on=days_ago(40))
    case = act(case, "apply_to_court", team.head, court="玄武区人民法院")
    case = act(case, "record_court_outcome", team.lead, outcome="法院已裁定准予执行")
    assert case.court_outcome == "法院已裁定准予执行"


def _quiet(case, user) -> dict[str, list[str]]:
    from anjian.cases import services

    return {
        s.action: [f.guard for f in s.failures]
        for s in services.action_states(case, user)
        if s.idle
    }


def test_a_step_with_nothing_to_act_on_is_blocked_and_not_listed_as_blocked(team):
    # These guards say there is nothing to act on: the case page does not offer the step and does
    # not list it among the blocked ones (the form itself would be refused as unknown input).
    case = act(propose(team, on=days_ago(5)), "approve_filing", team.head, on=days_ago(5))
    assert _quiet(case, team.legal)["resolve_flag"] == ["has_open_flags"]
    idle = _quiet(case, team.lead)
    assert idle["unlink_evidence"] == ["has_proofs"]
    assert idle["decide_preservation"] == ["has_open_preservations"]
    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="blocked-unlink_evidence"' not in page
    assert 'id="step-unlink_evidence"' not in page

    violation = case.violations.get()
    case = prove_all(team, case, on=days_ago(4))
    assert "unlink_evidence" not in _quiet(case, team.lead)
    evidence_id = case.evidence_links.get().evidence_id
    case = act(
        case,
        "unlink_evidence",
        team.lead,
        violation_id=violation.pk,
        element_index=0,
        evidence_id=evidence_id,
        reason="误关联",
    )
    assert case.events.order_by("-sequence").first().action == "unlink_evidence"

    done = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    assert "record_order_outcome" not in _quiet(done, team.lead)
    done = act(
        done,
        "record_order_outcome",
        team.lead,
        order_id=done.orders.get().pk,
        outcome="corrected",
        on=TODAY,
    )
    assert _quiet(done, team.lead)["record_order_outcome"] == ["has_pending_orders"]
