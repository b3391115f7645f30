"""Every legal guard of the procedure: a test that it blocks (with its article) and one that the
lawful path passes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anjian.cases import services
from anjian.cases.models import Case, CaseStatus, Penalty, ReviewFlag
from anjian.core.errors import DomainError
from anjian.law.calendar import current_calendar
from tests.cases.conftest import (
    TODAY,
    act,
    days_ago,
    decided,
    executing,
    hearing_case,
    investigated,
    notified,
    propose,
    propose_payload,
    proposed_penalty,
)
from tests.conftest import make_officer

pytestmark = pytest.mark.django_db


def blocked(guard: str, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        fn(*args, **kwargs)
    assert error.value.code == f"guard_{guard}", (error.value.code, error.value.message)
    assert error.value.status == 409
    return error.value


def refused(code: str, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        fn(*args, **kwargs)
    assert error.value.code == code, (error.value.code, error.value.message)
    assert error.value.status == 422
    return error.value


# ------------------------------------------------------------------------ filing


def test_filing_outside_the_agencys_region_is_refused(team):
    error = blocked("jurisdiction", propose, team, on=days_ago(2), place_region_code="320106")
    assert "第二十二条" in error.message
    assert Case.objects.count() == 0


def test_filing_inside_the_region_passes(team):
    case = propose(team, on=days_ago(2))
    assert case.status == CaseStatus.PROPOSED
    assert case.reference == f"苏宁玄案〔{days_ago(2).year}〕1号"


@pytest.fixture
def street(cast):
    from anjian.core.permissions import Role

    agency = cast.agencies["street"]
    second = make_officer("street2", agency, [Role.INSPECTOR])
    return agency, [cast.township, second], cast.enterprises["street"]


def _street_payload(street):
    agency, officers, enterprise = street
    return {
        "parties": [{"kind": "unit", "role": "unit", "enterprise_id": enterprise.pk}],
        "violations": [
            {
                "party": 0,
                "violation_code": "WSL2021-097-01a",
                "act_date": days_ago(10),
                "facts": "x",
            }
        ],
        "officer_ids": [o.officer.pk for o in officers],
        "on": days_ago(2),
    }


def test_township_without_delegation_cannot_file(street):
    agency, officers, _ = street
    error = blocked(
        "penalty_power",
        services.create_case,
        actor=officers[0],
        agency=agency,
        payload=_street_payload(street),
    )
    assert "第二十条" in error.message
    assert "第二十四条" in error.message


def test_township_outside_its_delegation_cannot_file(street, cast):
    from anjian.registry import services as registry

    agency, officers, _ = street
    registry.add_delegation(
        actor=None,
        agency=agency,
        kind="authorization",
        scope="安全警示标志",
        instrument_number="苏政发〔2025〕1号",
        valid_from=days_ago(300),
        valid_to=None,
        violation_codes=["WSL2021-099"],
    )
    error = blocked(
        "penalty_power",
        services.create_case,
        actor=officers[0],
        agency=agency,
        payload=_street_payload(street),
    )
    assert "不在" in error.message


def test_township_within_its_delegation_files(street):
    from anjian.registry import services as registry

    agency, officers, _ = street
    registry.add_delegation(
        actor=None,
        agency=agency,
        kind="authorization",
        scope="安全生产管理机构",
        instrument_number="苏政发〔2025〕2号",
        valid_from=days_ago(300),
        valid_to=None,
        violation_codes=["WSL2021-097"],
    )
    case = services.create_case(actor=officers[0], agency=agency, payload=_street_payload(street))
    assert case.status == CaseStatus.PROPOSED


def test_filing_after_the_two_year_limitation_is_refused(team):
    error = blocked(
        "limitation_period",
        propose,
        team,
        on=days_ago(1),
        act_date=days_ago(1) - dt.timedelta(days=3 * 365),
    )
    assert "第三十六条" in error.message
    assert "二年" in error.message


def test_filing_within_two_years_passes(team):
    case = propose(team, on=days_ago(1), act_date=days_ago(400))
    assert case.status == CaseStatus.PROPOSED


def test_life_and_health_harm_extends_the_limitation_to_five_years(team):
    payload = propose_payload(team, on=days_ago(1), act_date=days_ago(3 * 365))
    payload["violations"][0]["endangers_life_or_health"] = True
    case = services.create_case(actor=team.lead, agency=team.agency, payload=payload)
    assert case.status == CaseStatus.PROPOSED


def test_filing_by_one_officer_is_refused(team):
    error = blocked(
        "two_certified_officers", propose, team, on=days_ago(1), officer_ids=[team.lead.officer.pk]
    )
    assert "不得少于2人" in error.message
    assert "第四十二条" in error.message


def test_filing_with_an_uncertified_officer_is_refused(team, cast):
    error = blocked(
        "two_certified_officers",
        propose,
        team,
        on=days_ago(1),
        officer_ids=[team.lead.officer.pk, cast.uncertified.officer.pk],
    )
    assert "无有效执法证" in error.message


def test_filing_approval_is_an_act_of_two_certified_officers(team, cast):
    case = propose(team, on=days_ago(3))
    from anjian.registry.models import Certificate

    Certificate.objects.filter(officer=team.second.officer).update(valid_to=days_ago(5))
    blocked("two_certified_officers", act, case, "approve_filing", team.head, on=days_ago(2))


def test_a_date_in_the_future_is_refused(team):
    tomorrow = TODAY + dt.timedelta(days=1)
    error = refused("date_in_future", propose, team, on=tomorrow)
    assert "不能晚于今天" in error.message


def test_filing_approval_before_the_proposal_is_refused(team):
    case = propose(team, on=days_ago(3))
    refused("date_order", act, case, "approve_filing", team.head, on=days_ago(5))


def test_an_act_dated_before_filing_is_refused(team):
    case = investigated(team, filed=days_ago(20))
    violation = case.violations.get()
    case = act(
        case,
        "propose_penalty",
        team.lead,
        on=days_ago(10),
        penalties=[{"violation_id": violation.pk, "kind": "fine", "amount": "20000"}],
    )
    error = refused("date_before_filing", act, case, "serve_notice", team.lead, on=days_ago(25))
    assert "不能早于立案日期" in error.message


# ------------------------------------------------------------------------ evidence (clause 十三)


def test_notice_without_evidence_for_each_element_is_refused(team):
    case = propose(team, on=days_ago(20))
    case = act(case, "approve_filing", team.head, on=days_ago(20))
    case = act(case, "submit_investigation", team.lead, on=days_ago(18))
    violation = case.violations.get()
    case = act(
        case,
        "propose_penalty",
        team.lead,
        on=days_ago(17),
        penalties=[{"violation_id": violation.pk, "kind": "fine", "amount": "20000"}],
    )
    error = blocked("elements_proven", act, case, "serve_notice", team.lead, on=days_ago(16))
    assert "主体：生产经营单位" in error.message
    assert "第四十条" in error.message
    assert len(error.details["missing"]) == 3


def test_excluded_evidence_does_not_prove_an_element(team):
    from anjian.evidence import services as evidence_services

    case = proposed_penalty(team, filed=days_ago(20))
    for link in case.evidence_links.select_related("evidence"):
        evidence_services.exclude_evidence(
            actor=team.head, evidence=link.evidence, reason="未出示执法证件取得"
        )
    blocked("elements_proven", act, case, "serve_notice", team.lead, on=days_ago(10))


def test_notice_with_every_element_proved_passes(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(10))
    assert case.status == CaseStatus.NOTIFIED
    assert case.statement_due_on == current_calendar().add_working_days(days_ago(10), 3)


# ------------------------------------------------------------------------ statement and hearing periods


def _notice_inside(period_from: int, period_to: int) -> dt.date:
    """A notice day such that today is after ``period_from`` working days and not after ``period_to``."""
    calendar = current_calendar()
    for n in range(1, 30):
        day = days_ago(n)
        if (
            calendar.add_working_days(day, period_from)
            < TODAY
            <= calendar.add_working_days(day, period_to)
        ):
            return day
    raise AssertionError("no such day")


def test_ending_the_notice_period_early_is_refused(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(1))
    error = blocked("statement_period_over", act, case, "end_notice_period", team.lead)
    assert "第六十二条" in error.message


def test_the_party_may_waive_statement_and_defence(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(1))
    case = act(case, "waive_rights", team.lead, on=days_ago(1), note="当事人书面表示放弃陈述申辩")
    case = act(case, "end_notice_period", team.lead)
    assert case.status == CaseStatus.UNDER_REVIEW


def test_no_decision_before_the_statement_period_ends(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(10))
    case = act(case, "end_notice_period", team.lead)
    Case.objects.filter(pk=case.pk).update(statement_due_on=TODAY)
    case.refresh_from_db()
    blocked(
        "statement_period_over",
        act,
        case,
        "decide",
        team.head,
        order_due_dates=[{"violation_id": case.violations.get().pk, "due_on": TODAY}],
    )


def test_hearing_request_period_blocks_the_end_of_the_notice_period(team):
    case = hearing_case(team, notice=_notice_inside(3, 5))
    assert case.hearing_right
    error = blocked("hearing_request_period_over", act, case, "end_notice_period", team.lead)
    assert "五个工作日" in error.message
    assert "第六十四条" in error.message


def test_a_late_hearing_request_is_refused(team):
    case = hearing_case(team, notice=days_ago(20))
    error = blocked(
        "hearing_request_in_time", act, case, "request_hearing", team.lead, on=days_ago(5)
    )
    assert "逾期" in error.message


def test_hearing_right_is_required_for_a_hearing_request(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(2))
    blocked("hearing_right", act, case, "request_hearing", team.lead, on=days_ago(1))


def test_the_hearing_notice_must_be_seven_working_days_ahead(team):
    case = hearing_case(team, notice=days_ago(40))
    case = act(case, "request_hearing", team.lead, on=days_ago(38))
    error = blocked(
        "hearing_notice_in_time",
        act,
        case,
        "schedule_hearing",
        team.lead,
        notice_on=days_ago(25),
        hearing_date=days_ago(22),
        place="区局听证室",
        chair_id=team.chair.officer.pk,
    )
    assert "七个工作日前" in error.message


def test_the_hearing_chair_is_not_an_investigator(team):
    case = hearing_case(team, notice=days_ago(40))
    case = act(case, "request_hearing", team.lead, on=days_ago(38))
    error = blocked(
        "hearing_chair_independent",
        act,
        case,
        "schedule_hearing",
        team.lead,
        notice_on=days_ago(37),
        hearing_date=days_ago(20),
        place="区局听证室",
        chair_id=team.second.officer.pk,
    )
    assert "第六十四条第（四）项" in error.message


def test_requested_hearing_must_be_held_and_reviewed_before_the_decision(team):
    case = hearing_case(team, notice=days_ago(40))
    assert case.legal_review_required
    assert case.collective_discussion_required
    case = act(case, "request_hearing", team.lead, on=days_ago(38))
    case = act(
        case,
        "schedule_hearing",
        team.lead,
        notice_on=days_ago(37),
        hearing_date=days_ago(20),
        place="区局听证室",
        chair_id=team.chair.officer.pk,
    )
    case = act(
        case,
        "record_hearing",
        team.lead,
        held_on=days_ago(20),
        record="当事人到场申辩。",
        report="维持处罚建议。",
    )
    assert case.status == CaseStatus.UNDER_REVIEW
    order = [{"violation_id": case.violations.get().pk, "due_on": TODAY}]
    error = blocked(
        "legal_review_done", act, case, "decide", team.head, on=days_ago(12), order_due_dates=order
    )
    assert "听证" in error.message
    case = act(case, "request_legal_review", team.lead, on=days_ago(15))
    case = act(case, "pass_legal_review", team.legal, on=days_ago(15), opinion="同意。")
    blocked(
        "collective_discussion_done",
        act,
        case,
        "decide",
        team.head,
        on=days_ago(12),
        order_due_dates=order,
    )
    case = act(case, "request_collective_discussion", team.lead, on=days_ago(14))
    case = act(
        case,
        "record_collective_discussion",
        team.head,
        on=days_ago(14),
        participants="金局长,王副局长,李副局长",
        conclusion="同意罚款六万元。",
    )
    flag = ReviewFlag.objects.get(case=case)
    assert flag.kind == "amount_outside_tier"
    case = act(case, "decide", team.head, on=days_ago(12), order_due_dates=order)
    assert case.status == CaseStatus.DECIDED
    assert case.fine_total == Decimal("60000.00")


def test_a_hearing_that_the_party_does_not_attend_counts_as_waived(team):
    case = hearing_case(team, notice=days_ago(40))
    case = act(case, "request_hearing", team.lead, on=days_ago(38))
    case = act(
        case,
        "schedule_hearing",
        team.lead,
        notice_on=days_ago(37),
        hearing_date=days_ago(20),
        place="区局",
        chair_id=team.chair.officer.pk,
    )
    case = act(
        case,
        "record_hearing",
        team.lead,
        held_on=days_ago(20),
        attended="",
        record="当事人无正当理由未到场。",
        report="视为放弃听证。",
    )
    assert case.hearing_outcome == "absent"


# ------------------------------------------------------------------------ reviews and the decision


def test_decision_without_a_required_legal_review_is_refused(team):
    case = proposed_penalty(team, filed=days_ago(30), amount="60000", reason="情节较重")
    case = act(case, "serve_notice", team.lead, on=days_ago(20))
    case = act(case, "end_notice_period", team.lead, on=days_ago(5))
    order = [{"violation_id": case.violations.get().pk, "due_on": TODAY}]
    error = blocked("legal_review_done", act, case, "decide", team.head, order_due_dates=order)
    assert "第五十八条" in error.message
    assert "50000" in error.message


def test_a_failed_legal_review_blocks_the_decision(team):
    case = proposed_penalty(team, filed=days_ago(30), amount="60000", reason="情节较重")
    case = act(case, "request_legal_review", team.lead, on=days_ago(25))
    case = act(case, "fail_legal_review", team.legal, on=days_ago(24), reason="证据不足")
    case = act(case, "serve_notice", team.lead, on=days_ago(20))
    case = act(case, "end_notice_period", team.lead, on=days_ago(5))
    error = blocked(
        "legal_review_done",
        act,
        case,
        "decide",
        team.head,
        order_due_dates=[{"violation_id": case.violations.get().pk, "due_on": TODAY}],
    )
    assert "未通过" in error.message


def test_collective_discussion_needs_three_heads(team):
    case = proposed_penalty(team, filed=days_ago(30), amount="60000", reason="情节较重")
    case = act(case, "request_legal_review", team.lead, on=days_ago(25))
    case = act(case, "pass_legal_review", team.legal, on=days_ago(25), opinion="同意")
    case = act(case, "request_collective_discussion", team.lead, on=days_ago(24))
    error = refused(
        "too_few_participants",
        act,
        case,
        "record_collective_discussion",
        team.head,
        on=days_ago(24),
        participants="金局长",
        conclusion="同意",
    )
    # The number is our default, not the article's: the message says so.
    assert "未经核实" in error.message


def test_the_stored_decision_due_date_binds_even_within_90_days(team):
    # A due date the time-limit data gave at filing (e.g. 30 days under the 2015 rules, unverified)
    # is the limit; 90 days is only the fallback.
    case = notified(team, filed=days_ago(60), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))
    type(case).objects.filter(pk=case.pk).update(decision_due_on=days_ago(30))
    case.refresh_from_db()
    order = [{"violation_id": case.violations.get().pk, "due_on": TODAY + dt.timedelta(days=30)}]

    error = blocked(
        "within_decision_deadline", act, case, "decide", team.head, order_due_dates=order
    )

    assert "法定期限" in error.message
    assert error.details["decision_due_on"] == days_ago(30).isoformat()


def test_decision_after_90_days_needs_an_extension_on_record(team):
    case = notified(team, filed=days_ago(100), notice=days_ago(50))
    case = act(case, "end_notice_period", team.lead, on=days_ago(40))
    order = [{"violation_id": case.violations.get().pk, "due_on": TODAY + dt.timedelta(days=30)}]
    error = blocked(
        "within_decision_deadline", act, case, "decide", team.head, order_due_dates=order
    )
    assert "九十日" in error.message
    assert "第六十条" in error.message
    refused(
        "reason_required",
        act,
        case,
        "extend_decision_deadline",
        team.head,
        until=TODAY + dt.timedelta(days=10),
        basis="规章另有规定",
    )
    case = act(
        case,
        "extend_decision_deadline",
        team.head,
        until=TODAY + dt.timedelta(days=10),
        basis="部门规章另有规定",
        reason="案情复杂，需补充鉴定",
    )
    case = act(case, "decide", team.head, order_due_dates=order)
    assert case.status == CaseStatus.DECIDED


def test_decision_within_90_days_passes(team):
    case = decided(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    assert case.status == CaseStatus.DECIDED
    assert case.orders.get().due_on == days_ago(0)


def test_the_decision_may_not_be_heavier_than_the_notice(team):
    case = notified(team, filed=days_ago(40), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))
    penalty = case.penalties.get()
    order = [{"violation_id": case.violations.get().pk, "due_on": TODAY}]
    error = blocked(
        "amounts_not_heavier",
        act,
        case,
        "decide",
        team.head,
        amendments=[{"penalty_id": penalty.pk, "amount": "25000"}],
        order_due_dates=order,
    )
    assert "第四十五条" in error.message
    case = act(
        case,
        "decide",
        team.head,
        amendments=[{"penalty_id": penalty.pk, "amount": "15000"}],
        order_due_dates=order,
    )
    assert case.fine_total == Decimal("15000.00")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"amendments": [{"penalty_id": "x", "amount": "1"}]}, "invalid_amendment"),
        ({"amendments": ["x"]}, "invalid_row"),
        ({"amendments": "x"}, "invalid_rows"),
        ({"order_due_dates": ["x"]}, "invalid_row"),
    ],
)
def test_malformed_decision_rows_are_refused_with_a_message(team, payload, code):
    case = notified(team, filed=days_ago(40), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))

    refused(code, act, case, "decide", team.head, **payload)


def test_a_changed_proposal_must_be_notified_again(team):
    case = notified(team, filed=days_ago(40), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))
    case = act(
        case,
        "propose_penalty",
        team.lead,
        on=days_ago(19),
        penalties=[{"violation_id": case.violations.get().pk, "kind": "fine", "amount": "15000"}],
    )
    error = blocked(
        "notice_served_for_proposal",
        act,
        case,
        "decide",
        team.head,
        order_due_dates=[{"violation_id": case.violations.get().pk, "due_on": TODAY}],
    )
    assert "重新告知" in error.message


def test_a_limited_correction_order_needs_its_deadline(team):
    case = notified(team, filed=days_ago(40), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))
    error = refused("order_due_required", act, case, "decide", team.head)
    assert "第二十八条" in error.message


# ------------------------------------------------------------------------ amounts


def _under_review(team):
    return investigated(team, filed=days_ago(20))


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("100001", "amount_outside_legal_range"),
        ("1.234", "amount_precision"),
        ("-5", "negative_amount"),
        ("abc", "invalid_amount"),
    ],
)
def test_bad_amounts_are_refused_with_the_legal_range(team, amount, code):
    case = _under_review(team)
    error = refused(
        code,
        act,
        case,
        "propose_penalty",
        team.lead,
        penalties=[{"violation_id": case.violations.get().pk, "kind": "fine", "amount": amount}],
    )
    assert "100000元以下" in error.message
    assert error.details["legal_max"] == "100000"


def test_an_amount_outside_the_tier_needs_a_written_reason(team):
    case = _under_review(team)
    violation = case.violations.get()
    error = refused(
        "amount_outside_tier",
        act,
        case,
        "propose_penalty",
        team.lead,
        penalties=[{"violation_id": violation.pk, "kind": "fine", "amount": "60000"}],
    )
    assert "10000元至30000元" in error.message
    assert error.details["tier_min"] == "10000.00" or error.details["tier_min"] == "10000"


def test_an_amount_outside_the_tier_with_a_reason_is_stored_and_flagged(team):
    case = _under_review(team)
    violation = case.violations.get()
    case = act(
        case,
        "propose_penalty",
        team.lead,
        penalties=[
            {"violation_id": violation.pk, "kind": "fine", "amount": "60000", "reason": "屡教不改"}
        ],
    )
    penalty = Penalty.objects.get(case=case)
    assert penalty.outside_tier
    assert penalty.reason == "屡教不改"
    assert penalty.engine_input["violation_codes"] == ["WSL2021-097-01a"]
    assert penalty.engine_output["tier"] == "ordinary"
    assert ReviewFlag.objects.get(case=case).reason == "屡教不改"


def test_an_amount_within_the_tier_passes_without_a_reason(team):
    case = _under_review(team)
    case = act(
        case,
        "propose_penalty",
        team.lead,
        penalties=[{"violation_id": case.violations.get().pk, "kind": "fine", "amount": "20000"}],
    )
    penalty = Penalty.objects.get(case=case)
    assert (penalty.legal_min, penalty.legal_max) == (None, Decimal("100000.00"))
    assert (penalty.tier_min, penalty.tier_max, penalty.recommended) == (
        Decimal("10000.00"),
        Decimal("30000.00"),
        Decimal("20000.00"),
    )
    assert not ReviewFlag.objects.filter(case=case).exists()


def test_a_kind_of_penalty_the_article_does_not_provide_is_refused(team):
    case = _under_review(team)
    error = refused(
        "penalty_kind_not_provided",
        act,
        case,
        "propose_penalty",
        team.lead,
        penalties=[{"violation_id": case.violations.get().pk, "kind": "revoke_license"}],
    )
    assert "未规定" in error.message


def test_a_mandatory_waiver_blocks_a_penalty(team):
    case = _under_review(team)
    violation = case.violations.get()
    case = act(
        case,
        "edit_violation",
        team.lead,
        violation_id=violation.pk,
        circumstances=["minor_violation", "corrected_promptly", "no_harm"],
    )
    error = blocked(
        "no_mandatory_waiver",
        act,
        case,
        "propose_penalty",
        team.lead,
        penalties=[{"violation_id": violation.pk, "kind": "fine", "amount": "1000"}],
    )
    assert "第三十三条" in error.message


def test_no_penalty_for_a_minor_violation_needs_the_circumstances(team):
    case = _under_review(team)
    blocked(
        "no_penalty_ground",
        act,
        case,
        "decide_no_penalty",
        team.head,
        ground="no_penalty_minor",
        reason="轻微",
    )
    violation = case.violations.get()
    case = act(
        case,
        "edit_violation",
        team.lead,
        violation_id=violation.pk,
        circumstances=["minor_violation", "corrected_promptly", "no_harm"],
    )
    case = act(
        case,
        "decide_no_penalty",
        team.head,
        ground="no_penalty_minor",
        reason="违法行为轻微并及时改正，没有造成危害后果",
    )
    assert case.status == CaseStatus.DECIDED
    assert case.decision_outcome == "no_penalty_minor"


# ------------------------------------------------------------------------ delivery and execution


def test_electronic_delivery_needs_the_partys_consent(team):
    case = decided(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(3))
    error = blocked(
        "delivery_lawful",
        act,
        case,
        "deliver",
        team.lead,
        on=days_ago(2),
        method="electronic",
        recipient="张三",
    )
    assert "第六十一条第二款" in error.message
    case = act(
        case,
        "deliver",
        team.lead,
        on=days_ago(2),
        method="electronic",
        recipient="张三",
        consent_confirmed=True,
    )
    assert case.status == CaseStatus.EXECUTING
    assert case.payment_due_on == days_ago(2) + dt.timedelta(
        days=15
    ) or case.payment_due_on > days_ago(2)


def test_late_delivery_needs_a_reason_and_is_flagged(team):
    case = decided(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    blocked(
        "delivery_lawful",
        act,
        case,
        "deliver",
        team.lead,
        on=days_ago(1),
        method="mail",
        recipient="张三",
    )
    case = act(
        case,
        "deliver",
        team.lead,
        on=days_ago(1),
        method="mail",
        recipient="张三",
        late_reason="当事人地址变更",
    )
    assert ReviewFlag.objects.get(case=case).kind == "late_delivery"


def test_closure_with_an_unpaid_unpursued_fine_is_refused(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    order = case.orders.get()
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=order.pk,
        outcome="corrected",
        on=days_ago(1),
    )
    error = blocked("fines_paid_or_pursued", act, case, "request_closure", team.lead)
    assert "20000.00" in error.message
    assert "第七十二条" in error.message


def test_closure_with_an_order_without_outcome_is_refused(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    case = act(
        case, "record_payment", team.lead, paid_on=days_ago(20), amount="20000", receipt_number="R1"
    )
    error = blocked("orders_have_outcomes", act, case, "request_closure", team.lead)
    assert "第二十八条" in error.message


def test_closure_needs_the_recorded_exceptions_reviewed(team):
    case = proposed_penalty(team, filed=days_ago(60), amount="40000", reason="情节较重")
    case = act(case, "serve_notice", team.lead, on=days_ago(40))
    case = act(case, "end_notice_period", team.lead, on=days_ago(31))
    violation = case.violations.get()
    case = act(
        case,
        "decide",
        team.head,
        on=days_ago(30),
        order_due_dates=[{"violation_id": violation.pk, "due_on": days_ago(10)}],
    )
    case = act(case, "deliver", team.lead, on=days_ago(30), method="direct", recipient="张三")
    case = act(
        case, "record_payment", team.lead, paid_on=days_ago(20), amount="40000", receipt_number="R1"
    )
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=case.orders.get().pk,
        outcome="corrected",
        on=days_ago(5),
    )
    case = act(case, "request_closure", team.lead)
    blocked("flags_resolved", act, case, "approve_closure", team.head)
    flag = case.flags.get()
    case = act(case, "resolve_flag", team.legal, flag_id=flag.pk, resolution="理由成立。")
    case = act(case, "approve_closure", team.head)
    assert case.status == CaseStatus.CLOSED


def test_a_late_payment_accrues_three_percent_a_day_capped_at_the_fine(team):
    from anjian.cases.effects import surcharge_accrued

    case = executing(
        team,
        filed=days_ago(80),
        notice=days_ago(70),
        decided_on=days_ago(50),
        delivered=days_ago(50),
    )
    due = case.payment_due_on
    assert surcharge_accrued(case, due) == Decimal("0")
    assert surcharge_accrued(case, due + dt.timedelta(days=2)) == Decimal("1200.00")
    assert surcharge_accrued(case, due + dt.timedelta(days=100)) == Decimal("20000.00")


def test_payment_above_the_outstanding_fine_is_refused(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    error = refused(
        "amount_outside_range",
        act,
        case,
        "record_payment",
        team.lead,
        paid_on=days_ago(5),
        amount="20000.01",
        receipt_number="R",
    )
    assert "20000.00" in error.message


def test_instalments_must_add_up_to_the_outstanding_fine(team):
    case = executing(
        team,
        filed=days_ago(60),
        notice=days_ago(40),
        decided_on=days_ago(10),
        delivered=days_ago(9),
    )
    schedule = [
        {"due_on": TODAY + dt.timedelta(days=30), "amount": "10000"},
        {"due_on": TODAY + dt.timedelta(days=60), "amount": "5000"},
    ]
    refused(
        "instalments_total",
        act,
        case,
        "approve_instalments",
        team.head,
        schedule=schedule,
        reason="经济困难",
    )
    schedule[1]["amount"] = "10000"
    case = act(case, "approve_instalments", team.head, schedule=schedule, reason="经济困难")
    assert case.next_deadline_on == TODAY + dt.timedelta(days=30) or case.next_deadline_rule in {
        "fine_payment",
        "correction_order",
    }


def test_court_enforcement_needs_the_reminder_the_wait_and_the_window(team):
    case = executing(
        team,
        filed=days_ago(260),
        notice=days_ago(240),
        decided_on=days_ago(230),
        delivered=days_ago(229),
    )
    blocked("reminder_period_over", act, case, "apply_to_court", team.head, court="玄武区人民法院")
    case = act(case, "serve_reminder", team.lead, on=days_ago(3))
    error = blocked(
        "reminder_period_over", act, case, "apply_to_court", team.head, court="玄武区人民法院"
    )
    assert "十个工作日" in error.message
    Case.objects.filter(pk=case.pk).update(reminder_served_on=days_ago(40))
    case.refresh_from_db()
    case = act(case, "apply_to_court", team.head, court="玄武区人民法院")
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=case.orders.get().pk,
        outcome="corrected",
        on=days_ago(1),
    )
    case = act(case, "request_closure", team.lead)
    assert case.status == CaseStatus.CLOSURE_PENDING


def test_court_enforcement_before_the_review_and_suit_periods_end_is_refused(team):
    case = executing(
        team,
        filed=days_ago(80),
        notice=days_ago(70),
        decided_on=days_ago(50),
        delivered=days_ago(50),
    )
    case = act(case, "serve_reminder", team.lead, on=days_ago(30))
    error = blocked(
        "court_window_open", act, case, "apply_to_court", team.head, court="玄武区人民法院"
    )
    assert "第五十三条" in error.message


def test_reminder_before_the_fine_falls_due_is_refused(team):
    case = executing(
        team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(3), delivered=days_ago(2)
    )
    blocked("fine_overdue", act, case, "serve_reminder", team.lead)


def test_daily_fine_needs_a_refused_correction(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    order = case.orders.get()
    blocked(
        "daily_fine_conditions",
        act,
        case,
        "impose_daily_fine",
        team.head,
        order_id=order.pk,
        until=days_ago(20),
        reason="拒不改正",
    )
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=order.pk,
        outcome="refused",
        on=days_ago(15),
    )
    case = act(
        case,
        "impose_daily_fine",
        team.head,
        order_id=order.pk,
        until=days_ago(20),
        reason="拒不改正",
    )
    assert case.fine_total == Decimal("20000.00") * 11
    daily = case.penalties.get(kind="daily_fine")
    assert "一百一十二条" in daily.basis


def test_proposal_of_closure_needs_three_penalties_in_180_days(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    error = blocked(
        "closure_trigger",
        act,
        case,
        "propose_government_closure",
        team.head,
        trigger="repeated_penalties",
        major_hazard_confirmed=True,
        reason="屡罚屡犯",
    )
    assert "一百八十日内受到1次" in error.message
    for n in (60, 90):
        other = propose(team, on=days_ago(n + 5))
        Case.objects.filter(pk=other.pk).update(
            decision_outcome="penalty", decided_on=days_ago(n), status="closed", is_open=False
        )
    case = act(
        case,
        "propose_government_closure",
        team.head,
        trigger="repeated_penalties",
        major_hazard_confirmed=True,
        reason="屡罚屡犯",
    )
    assert case.government_closure_proposed_on == TODAY


# ------------------------------------------------------------------------ simplified procedure


def _spot_evidence(team):
    from anjian.evidence import services as evidence_services

    return evidence_services.register_evidence(
        actor=team.lead,
        agency=team.agency,
        enterprise=team.enterprise,
        kind="inspection_record",
        title="现场笔录",
        collected_at=timezone.now(),
        place="厂区",
        source="现场检查",
        method="site_inspection",
        collectors=[team.lead.officer, team.second.officer],
    )


def _spot_payload(team, amount: str, *, kind: str = "fine", parties=None):
    evidence = _spot_evidence(team)
    payload = propose_payload(team, on=TODAY, code="WSL2021-099-01")
    if parties:
        payload["parties"] = parties
    payload["violations"][0]["circumstances"] = ["first_offence"]  # 从轻: up to 5,000 yuan
    payload["penalties"] = [{"violation": 0, "kind": kind, "amount": amount}]
    from anjian.cases.guards import elements_for

    payload["proofs"] = [
        {"violation": 0, "element_index": i, "evidence_id": evidence.pk}
        for i, _ in enumerate(elements_for("WSL2021-099-01"))
    ]
    payload["delivery_recipient"] = "张三"
    return payload


def test_on_the_spot_fine_above_3000_for_an_organisation_is_refused(team):
    error = blocked(
        "simplified_limits",
        services.create_case,
        actor=team.lead,
        agency=team.agency,
        action="decide_on_the_spot",
        payload=_spot_payload(team, "3000.01"),
    )
    assert "3000元" in error.message
    assert "第五十一条" in error.message


def test_on_the_spot_fine_above_200_for_a_citizen_is_refused(team):
    person = [{"kind": "person", "role": "individual", "name": "李四"}]
    error = blocked(
        "simplified_limits",
        services.create_case,
        actor=team.lead,
        agency=team.agency,
        action="decide_on_the_spot",
        payload=_spot_payload(team, "201", parties=person),
    )
    assert "200元" in error.message


def test_on_the_spot_fine_within_the_limit_is_decided_and_delivered(team):
    case = services.create_case(
        actor=team.lead,
        agency=team.agency,
        action="decide_on_the_spot",
        payload=_spot_payload(team, "3000"),
    )
    assert case.status == CaseStatus.EXECUTING
    assert case.procedure == "simplified"
    assert case.fine_total == Decimal("3000.00")
    assert case.delivered_on == TODAY
    assert case.payment_due_on is not None


def test_on_the_spot_limits_are_read_from_the_catalog():
    from anjian.cases.procedure import simplified_limits

    assert simplified_limits(dt.date(2022, 1, 1)).organisation_yuan == Decimal("3000")
    assert simplified_limits(dt.date(2022, 1, 1)).citizen_yuan == Decimal("200")
    assert simplified_limits(dt.date(2019, 1, 1)).organisation_yuan == Decimal("1000")


# ------------------------------------------------------------------------ evidence preservation


def _with_preservation(team, started: dt.date):
    case = propose(team, on=days_ago(30))
    case = act(case, "approve_filing", team.head, on=days_ago(30))
    from tests.cases.conftest import prove_all

    case = prove_all(team, case, on=days_ago(29))
    evidence_id = case.evidence_links.first().evidence_id
    return act(
        case,
        "preserve_evidence",
        team.lead,
        evidence_ids=[evidence_id],
        items="灭火器 3 具",
        place="区局证物室",
        approved_by_id=team.head.officer.pk,
        approved_on=started,
        started_on=started,
    )


def test_preservation_needs_the_heads_approval(team):
    case = propose(team, on=days_ago(30))
    case = act(case, "approve_filing", team.head, on=days_ago(30))
    from tests.cases.conftest import prove_all

    case = prove_all(team, case, on=days_ago(29))
    error = refused(
        "preservation_approver",
        act,
        case,
        "preserve_evidence",
        team.lead,
        evidence_ids=[case.evidence_links.first().evidence_id],
        items="x",
        place="y",
        approved_by_id=team.lead.officer.pk,
        approved_on=days_ago(5),
        started_on=days_ago(5),
    )
    assert "第五十六条" in error.message


def test_open_preservation_blocks_the_end_of_the_investigation_and_is_the_next_deadline(team):
    case = _with_preservation(team, days_ago(2))
    preservation_due = current_calendar().add_working_days(days_ago(2), 7)
    assert case.next_deadline_on == preservation_due
    assert case.next_deadline_rule == "evidence_preservation_decision"
    blocked("preservations_decided", act, case, "submit_investigation", team.lead)


def test_late_preservation_decision_needs_a_reason_and_is_flagged(team):
    case = _with_preservation(team, days_ago(25))
    preservation = case.evidence_links.first().evidence.preservations.get()
    error = refused(
        "preservation_late",
        act,
        case,
        "decide_preservation",
        team.lead,
        preservation_id=preservation.pk,
        decision="record_and_return",
    )
    assert "七日内" in error.message
    case = act(
        case,
        "decide_preservation",
        team.lead,
        preservation_id=preservation.pk,
        decision="record_and_return",
        late_reason="鉴定机构延误",
    )
    assert ReviewFlag.objects.get(case=case).kind == "late_preservation_decision"
    case = act(case, "submit_investigation", team.lead)
    assert case.status == CaseStatus.UNDER_REVIEW


# ------------------------------------------------------------------------ endings


@pytest.mark.parametrize("action", ["terminate", "withdraw", "refer_to_judicial_organ"])
def test_endings_need_a_reason(team, action):
    case = investigated(team, filed=days_ago(10))
    refused("reason_required", act, case, action, team.head)
    case = act(case, action, team.head, reason="经审查，依法处理")
    assert not case.is_open


def test_transfer_names_the_receiving_agency(team):
    case = propose(team, on=days_ago(3))
    refused("required", act, case, "transfer_to_agency", team.head, reason="不属本局管辖")
    case = act(case, "transfer_to_agency", team.head, reason="不属本局管辖", to="南京市应急管理局")
    assert case.status == CaseStatus.TRANSFERRED
    assert case.transferred_to == "南京市应急管理局"
