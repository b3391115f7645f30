"""The penalty procedure as data: one row per (state, action).

Each row says from which state an action may be taken, the state it leads to (the same state for
an action that records something without moving the case on), the permission it needs, the legal
guards that must hold, and its legal basis. ``anjian.cases.services.perform`` is the only code that
reads it to change a case; ``docs/cases/README.md`` prints it; ``tests/cases/test_transitions.py``
walks every (state, action) pair. To add a step, see ``docs/howto/add-a-transition.md``.

``source=None`` rows create a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from anjian.cases.models import CaseStatus as S

APL = "《中华人民共和国行政处罚法》"
AEL = "《中华人民共和国行政强制法》"
WSL = "《中华人民共和国安全生产法》"


@dataclass(frozen=True)
class Transition:
    source: str | None
    action: str
    target: str
    permission: str
    guards: tuple[str, ...]
    basis: str
    label_zh: str
    reason_required: bool = False
    #: forward: moves the procedure on; record: records a fact in the same state; end: ends the case
    kind: str = "forward"

    @property
    def moves(self) -> bool:
        return self.source != self.target


T = Transition

# Guards every act of the handling officers needs (行政处罚法第四十二条: two certified officers).
OFFICERS = ("two_certified_officers",)
FILING = ("jurisdiction", "penalty_power", "limitation_period", "two_certified_officers")
BEFORE_DECISION = (
    S.INVESTIGATING,
    S.UNDER_REVIEW,
    S.LEGAL_REVIEW,
    S.COLLECTIVE_DISCUSSION,
    S.NOTIFIED,
    S.HEARING_REQUESTED,
    S.HEARING_SCHEDULED,
)
EVIDENCE_STATES = (S.PROPOSED, S.INVESTIGATING, S.UNDER_REVIEW)
PRESERVATION_DECISION_STATES = (*BEFORE_DECISION, S.DECIDED, S.EXECUTING)
ENDED = (S.CLOSED, S.TERMINATED, S.WITHDRAWN, S.TRANSFERRED, S.REFERRED, S.FILING_REFUSED)
ALL_STATES = tuple(S.values)


def _each(states: tuple[str, ...], **kwargs: object) -> list[Transition]:
    """The same in-state action in several states (target = source)."""
    return [T(source=s, target=s, kind="record", **kwargs) for s in states]  # type: ignore[arg-type]


TRANSITIONS: tuple[Transition, ...] = (
    # ------------------------------------------------------------------ creation
    T(
        None,
        "propose",
        S.PROPOSED,
        "cases.propose",
        (*FILING, "dates"),
        f"{APL}第二十二条、第二十三条、第二十四条、第三十六条、第四十二条、第五十四条",
        gettext_noop("立案申请"),
    ),
    T(
        None,
        "decide_on_the_spot",
        S.EXECUTING,
        "cases.handle",
        (*FILING, "dates", "simplified_limits", "elements_proven", "amounts_in_range"),
        f"{APL}第五十一条、第五十二条",
        gettext_noop("当场处罚（简易程序）"),
    ),
    # ------------------------------------------------------------------ filing
    T(
        S.PROPOSED,
        "approve_filing",
        S.INVESTIGATING,
        "cases.approve_filing",
        (*FILING, "dates"),
        f"{APL}第五十四条第二款",
        gettext_noop("立案审批：同意立案"),
    ),
    T(
        S.PROPOSED,
        "refuse_filing",
        S.FILING_REFUSED,
        "cases.approve_filing",
        (),
        f"{APL}第五十四条第二款",
        gettext_noop("立案审批：不予立案"),
        reason_required=True,
        kind="end",
    ),
    *_each(
        (S.PROPOSED, S.INVESTIGATING),
        action="add_party",
        permission="cases.handle",
        guards=(),
        basis=f"{APL}第五十九条第一款第（一）项",
        label_zh=gettext_noop("增加当事人"),
    ),
    # Correcting a party's particulars (a person filed before 性别/身份证号 were asked, a changed
    # phone or address) until the decision document is issued: it names the party as recorded
    # (第五十九条第一款第（一）项); after the notice the party's identity (name, a recorded identity
    # number) is what was notified (第四十四条), so only missing particulars may be added.
    *_each(
        (S.PROPOSED, *BEFORE_DECISION, S.DECIDED),
        action="edit_party",
        permission="cases.handle",
        guards=("decision_not_issued", "party_identity_as_notified"),
        basis=f"{APL}第四十四条、第五十九条第一款第（一）项",
        label_zh=gettext_noop("更正当事人信息"),
    ),
    # A party entered by mistake is removed, with a reason, until the decision; from the decision
    # the party is the one it names (第五十九条第一款第（一）项): ``before_decision`` says so. A party
    # with violations keeps them: they are removed first (``remove_violation``).
    *_each(
        (S.PROPOSED, *BEFORE_DECISION, S.DECIDED, S.EXECUTING),
        action="remove_party",
        permission="cases.handle",
        guards=("has_other_parties", "before_decision"),
        basis=f"{APL}第四十条、第五十九条第一款第（一）项",
        label_zh=gettext_noop("删除误录的当事人"),
        reason_required=True,
    ),
    *_each(
        (S.PROPOSED, S.INVESTIGATING),
        action="add_violation",
        permission="cases.handle",
        guards=("penalty_power", "limitation_period", "dates"),
        basis=f"{APL}第二十四条、第三十六条、第四十条",
        label_zh=gettext_noop("增加违法行为"),
    ),
    *_each(
        (S.PROPOSED, S.INVESTIGATING, S.UNDER_REVIEW),
        action="edit_violation",
        permission="cases.handle",
        guards=("limitation_period", "dates"),
        basis=f"{APL}第四十条",
        label_zh=gettext_noop("修改违法事实与情节"),
    ),
    *_each(
        (S.PROPOSED, S.INVESTIGATING),
        action="remove_violation",
        permission="cases.handle",
        guards=(),
        basis=f"{APL}第四十条",
        label_zh=gettext_noop("删除违法行为"),
        reason_required=True,
    ),
    *_each(
        (S.PROPOSED, *BEFORE_DECISION, S.DECIDED, S.EXECUTING),
        action="set_officers",
        permission="cases.approve_filing",
        guards=OFFICERS,
        basis=f"{APL}第四十二条、第四十三条",
        label_zh=gettext_noop("指定承办人"),
    ),
    # ------------------------------------------------------------------ investigation
    *_each(
        EVIDENCE_STATES,
        action="add_evidence",
        permission="cases.handle",
        guards=("dates",),
        basis=f"{APL}第四十六条、第五十五条",
        label_zh=gettext_noop("收集证据（询问笔录、勘验笔录等）"),
    ),
    *_each(
        EVIDENCE_STATES,
        action="link_evidence",
        permission="cases.handle",
        guards=(),
        basis=f"{APL}第四十六条",
        label_zh=gettext_noop("关联证据与要件"),
    ),
    *_each(
        EVIDENCE_STATES,
        action="unlink_evidence",
        permission="cases.handle",
        guards=("has_proofs",),
        basis=f"{APL}第四十六条",
        label_zh=gettext_noop("取消证据与要件的关联"),
        reason_required=True,
    ),
    *_each(
        (S.INVESTIGATING, S.UNDER_REVIEW),
        action="preserve_evidence",
        permission="cases.handle",
        guards=(*OFFICERS, "dates"),
        basis=f"{APL}第五十六条",
        label_zh=gettext_noop("先行登记保存证据"),
    ),
    *_each(
        PRESERVATION_DECISION_STATES,
        action="decide_preservation",
        permission="cases.handle",
        guards=("has_open_preservations", "dates"),
        basis=f"{APL}第五十六条、第八十五条",
        label_zh=gettext_noop("先行登记保存处理决定"),
    ),
    *_each(
        BEFORE_DECISION,
        action="extend_decision_deadline",
        permission="cases.approve",
        guards=("dates",),
        basis=f"{APL}第六十条",
        label_zh=gettext_noop("延长办案期限"),
        reason_required=True,
    ),
    T(
        S.INVESTIGATING,
        "submit_investigation",
        S.UNDER_REVIEW,
        "cases.handle",
        (*OFFICERS, "has_violations", "facts_recorded", "preservations_decided", "dates"),
        f"{APL}第五十四条、第五十七条",
        gettext_noop("调查终结，提交案件审查"),
    ),
    # ------------------------------------------------------------------ review
    T(
        S.UNDER_REVIEW,
        "return_to_investigation",
        S.INVESTIGATING,
        "cases.review",
        (),
        f"{APL}第四十条、第五十七条",
        gettext_noop("退回补充调查"),
        reason_required=True,
    ),
    *_each(
        (S.UNDER_REVIEW,),
        action="propose_penalty",
        permission="cases.handle",
        guards=("has_violations", "dates", "amounts_in_range", "no_mandatory_waiver"),
        basis=f"{APL}第五条、第三十二条、第三十三条、第三十四条；{WSL}第一百一十五条",
        label_zh=gettext_noop("提出处罚建议（裁量）"),
    ),
    T(
        S.UNDER_REVIEW,
        "request_legal_review",
        S.LEGAL_REVIEW,
        "cases.handle",
        ("proposal_exists",),
        f"{APL}第五十八条",
        gettext_noop("提交法制审核"),
    ),
    T(
        S.LEGAL_REVIEW,
        "pass_legal_review",
        S.UNDER_REVIEW,
        "cases.legal_review",
        ("dates",),
        f"{APL}第五十八条",
        gettext_noop("法制审核：通过"),
    ),
    T(
        S.LEGAL_REVIEW,
        "fail_legal_review",
        S.UNDER_REVIEW,
        "cases.legal_review",
        ("dates",),
        f"{APL}第五十八条",
        gettext_noop("法制审核：不通过"),
        reason_required=True,
    ),
    T(
        S.UNDER_REVIEW,
        "request_collective_discussion",
        S.COLLECTIVE_DISCUSSION,
        "cases.handle",
        ("proposal_exists", "legal_review_done"),
        f"{APL}第五十七条第二款、第五十八条",
        gettext_noop("提交负责人集体讨论"),
    ),
    T(
        S.COLLECTIVE_DISCUSSION,
        "record_collective_discussion",
        S.UNDER_REVIEW,
        "cases.collective_discussion",
        ("dates",),
        f"{APL}第五十七条第二款",
        gettext_noop("记录集体讨论决定"),
    ),
    # ------------------------------------------------------------------ notice and hearing
    T(
        S.UNDER_REVIEW,
        "serve_notice",
        S.NOTIFIED,
        "cases.handle",
        (*OFFICERS, "proposal_exists", "elements_proven", "dates"),
        f"{APL}第四十四条、第四十五条、第六十三条；证据要件（苏安监〔2016〕186号第十三条）",
        gettext_noop("送达行政处罚告知书（陈述申辩、听证权利）"),
    ),
    *_each(
        (S.NOTIFIED, S.UNDER_REVIEW),
        action="record_statement",
        permission="cases.handle",
        guards=("notice_served", "dates"),
        basis=f"{APL}第四十五条",
        label_zh=gettext_noop("记录陈述申辩及复核意见"),
    ),
    *_each(
        (S.NOTIFIED,),
        action="waive_rights",
        permission="cases.handle",
        guards=("dates",),
        basis=f"{APL}第六十二条",
        label_zh=gettext_noop("当事人明确放弃陈述申辩（听证）权利"),
    ),
    T(
        S.NOTIFIED,
        "request_hearing",
        S.HEARING_REQUESTED,
        "cases.handle",
        ("hearing_right", "hearing_request_in_time", "dates"),
        f"{APL}第六十三条、第六十四条第（一）项",
        gettext_noop("当事人要求听证"),
    ),
    T(
        S.NOTIFIED,
        "end_notice_period",
        S.UNDER_REVIEW,
        "cases.handle",
        ("statement_period_over", "hearing_request_period_over", "dates"),
        f"{APL}第六十二条、第六十四条第（一）项",
        gettext_noop("陈述申辩（听证申请）期限届满"),
    ),
    T(
        S.HEARING_REQUESTED,
        "schedule_hearing",
        S.HEARING_SCHEDULED,
        "cases.handle",
        ("hearing_chair_independent", "hearing_notice_in_time", "dates"),
        f"{APL}第六十四条第（二）项、第（四）项",
        gettext_noop("通知听证（时间、地点、主持人）"),
    ),
    *_each(
        (S.HEARING_SCHEDULED,),
        action="reschedule_hearing",
        permission="cases.handle",
        guards=("hearing_chair_independent", "hearing_notice_in_time", "dates"),
        basis=f"{APL}第六十四条第（二）项",
        label_zh=gettext_noop("变更听证时间"),
    ),
    T(
        S.HEARING_REQUESTED,
        "withdraw_hearing_request",
        S.UNDER_REVIEW,
        "cases.handle",
        ("dates",),
        f"{APL}第六十四条",
        gettext_noop("当事人撤回听证申请"),
        reason_required=True,
    ),
    T(
        S.HEARING_SCHEDULED,
        "record_hearing",
        S.UNDER_REVIEW,
        "cases.handle",
        ("hearing_on_scheduled_day", "dates"),
        f"{APL}第六十四条第（六）项至第（八）项、第六十五条",
        gettext_noop("记录听证（笔录、报告）"),
    ),
    # ------------------------------------------------------------------ decision
    T(
        S.UNDER_REVIEW,
        "decide",
        S.DECIDED,
        "cases.decide",
        (
            *OFFICERS,
            "proposal_exists",
            "elements_proven",
            "notice_served_for_proposal",
            "statement_period_over",
            "hearing_request_period_over",
            "hearing_held_if_requested",
            "legal_review_done",
            "collective_discussion_done",
            "within_decision_deadline",
            "preservations_decided",
            "amounts_not_heavier",
            "dates",
        ),
        f"{APL}第五十七条、第五十八条、第五十九条、第六十条、第六十二条、第六十五条",
        gettext_noop("作出行政处罚决定"),
    ),
    T(
        S.UNDER_REVIEW,
        "decide_no_penalty",
        S.DECIDED,
        "cases.decide",
        (
            *OFFICERS,
            "within_decision_deadline",
            "no_penalty_ground",
            "preservations_decided",
            "dates",
        ),
        f"{APL}第三十三条、第五十七条第一款第（二）项、第（三）项",
        gettext_noop("作出不予行政处罚决定"),
        reason_required=True,
    ),
    T(
        S.DECIDED,
        "deliver",
        S.EXECUTING,
        "cases.handle",
        ("delivery_lawful", "dates"),
        f"{APL}第六十一条",
        gettext_noop("送达决定书"),
    ),
    # ------------------------------------------------------------------ execution
    *_each(
        (S.EXECUTING,),
        action="record_payment",
        permission="cases.handle",
        guards=("dates",),
        basis=f"{APL}第六十七条",
        label_zh=gettext_noop("登记缴款"),
    ),
    *_each(
        (S.EXECUTING,),
        action="approve_deferral",
        permission="cases.approve",
        guards=("fine_outstanding", "dates"),
        basis=f"{APL}第六十六条第二款",
        label_zh=gettext_noop("批准暂缓缴纳罚款"),
        reason_required=True,
    ),
    *_each(
        (S.EXECUTING,),
        action="approve_instalments",
        permission="cases.approve",
        guards=("fine_outstanding", "dates"),
        basis=f"{APL}第六十六条第二款",
        label_zh=gettext_noop("批准分期缴纳罚款"),
        reason_required=True,
    ),
    *_each(
        (S.EXECUTING,),
        action="serve_reminder",
        permission="cases.handle",
        guards=("fine_overdue", "dates"),
        basis=f"{APL}第七十二条；{AEL}第三十五条、第五十四条",
        label_zh=gettext_noop("送达催告书"),
    ),
    *_each(
        (S.EXECUTING,),
        action="apply_to_court",
        permission="cases.approve",
        guards=("fine_overdue", "reminder_period_over", "court_window_open", "dates"),
        basis=f"{APL}第七十二条第一款第（四）项；{AEL}第五十三条、第五十四条",
        label_zh=gettext_noop("申请人民法院强制执行"),
    ),
    *_each(
        (S.EXECUTING,),
        action="record_court_outcome",
        permission="cases.handle",
        guards=("court_applied", "dates"),
        basis=f"{AEL}第五十七条",
        label_zh=gettext_noop("登记法院执行结果"),
    ),
    *_each(
        (S.DECIDED, S.EXECUTING),
        action="record_order_outcome",
        permission="cases.handle",
        guards=("has_pending_orders", "dates"),
        basis=f"{APL}第二十八条",
        label_zh=gettext_noop("登记责令改正的核查结果"),
    ),
    *_each(
        (S.EXECUTING,),
        action="impose_daily_fine",
        permission="cases.decide",
        guards=("daily_fine_conditions", "dates"),
        basis=f"{WSL}第一百一十二条",
        label_zh=gettext_noop("按日连续处罚"),
        reason_required=True,
    ),
    *_each(
        (S.DECIDED, S.EXECUTING),
        action="propose_government_closure",
        permission="cases.approve",
        guards=("closure_trigger", "dates"),
        basis=f"{WSL}第一百一十三条",
        label_zh=gettext_noop("提请地方人民政府予以关闭"),
        reason_required=True,
    ),
    T(
        S.EXECUTING,
        "request_closure",
        S.CLOSURE_PENDING,
        "cases.handle",
        ("orders_have_outcomes", "fines_paid_or_pursued", "preservations_decided", "dates"),
        f"{APL}第五十二条第三款、第六十六条、第七十二条",
        gettext_noop("申请结案"),
    ),
    T(
        S.CLOSURE_PENDING,
        "approve_closure",
        S.CLOSED,
        "cases.approve",
        (
            "orders_have_outcomes",
            "fines_paid_or_pursued",
            "preservations_decided",
            "flags_resolved",
            "dates",
        ),
        f"{APL}第四十七条",
        gettext_noop("结案审批：同意结案"),
    ),
    T(
        S.CLOSURE_PENDING,
        "reject_closure",
        S.EXECUTING,
        "cases.approve",
        (),
        f"{APL}第四十七条",
        gettext_noop("结案审批：退回"),
        reason_required=True,
    ),
    # ------------------------------------------------------------------ other endings
    *[
        T(
            s,
            "transfer_to_agency",
            S.TRANSFERRED,
            "cases.approve",
            ("dates",),
            f"{APL}第二十二条、第二十五条",
            gettext_noop("移送有管辖权的机关"),
            reason_required=True,
            kind="end",
        )
        for s in (S.PROPOSED, S.INVESTIGATING, S.UNDER_REVIEW)
    ],
    *[
        T(
            s,
            "refer_to_judicial_organ",
            S.REFERRED,
            "cases.approve",
            ("dates",),
            f"{APL}第八条第二款、第二十七条、第五十七条第一款第（四）项；"
            "《行政执法机关移送涉嫌犯罪案件的规定》第五条",
            gettext_noop("移送司法机关（涉嫌犯罪）"),
            reason_required=True,
            kind="end",
        )
        for s in (S.INVESTIGATING, S.UNDER_REVIEW)
    ],
    *[
        T(
            s,
            "terminate",
            S.TERMINATED,
            "cases.approve",
            ("dates",),
            "案件终止（当事人死亡、终止等，无法继续办理；行政处罚法未规定，依部门规章，条文未核实）",
            gettext_noop("终止案件"),
            reason_required=True,
            kind="end",
        )
        for s in BEFORE_DECISION
    ],
    *[
        T(
            s,
            "withdraw",
            S.WITHDRAWN,
            "cases.approve",
            ("dates",),
            f"{APL}第三十八条、第七十五条第二款（发现错误，主动改正）",
            gettext_noop("撤销立案"),
            reason_required=True,
            kind="end",
        )
        for s in (S.INVESTIGATING, S.UNDER_REVIEW)
    ],
    *[
        T(
            s,
            "archive",
            S.ARCHIVED,
            "cases.archive",
            ("dates",),
            f"{APL}第四十七条",
            gettext_noop("立卷归档"),
            kind="end",
        )
        for s in ENDED
    ],
    *_each(
        ALL_STATES,
        action="resolve_flag",
        permission="cases.resolve_flags",
        guards=("has_open_flags",),
        basis="苏安监〔2016〕186号第（十五）项（裁量的审查）",
        label_zh=gettext_noop("审查记录在案的例外"),
    ),
)

BY_KEY: dict[tuple[str | None, str], Transition] = {}
for _t in TRANSITIONS:
    if (_t.source, _t.action) in BY_KEY:
        raise RuntimeError(f"duplicate transition {_t.source}/{_t.action}")
    BY_KEY[(_t.source, _t.action)] = _t

ACTIONS: frozenset[str] = frozenset(t.action for t in TRANSITIONS)


def transition_for(state: str | None, action: str) -> Transition | None:
    return BY_KEY.get((state, action))


def transitions_from(state: str | None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


#: The usual next steps per state, first on the case page (the rest follow in table order).
PRIMARY: dict[str, tuple[str, ...]] = {
    S.PROPOSED: ("approve_filing",),
    S.INVESTIGATING: ("add_evidence", "submit_investigation"),
    S.UNDER_REVIEW: (
        "propose_penalty",
        "request_legal_review",
        "request_collective_discussion",
        "serve_notice",
        "decide",
    ),
    S.LEGAL_REVIEW: ("pass_legal_review", "fail_legal_review"),
    S.COLLECTIVE_DISCUSSION: ("record_collective_discussion",),
    S.NOTIFIED: ("end_notice_period", "request_hearing", "record_statement", "waive_rights"),
    S.HEARING_REQUESTED: ("schedule_hearing",),
    S.HEARING_SCHEDULED: ("record_hearing",),
    S.DECIDED: ("deliver",),
    S.EXECUTING: ("record_payment", "record_order_outcome", "request_closure"),
    S.CLOSURE_PENDING: ("approve_closure",),
    **{state: ("archive",) for state in ENDED},
}


def step_order(state: str, action: str, kind: str) -> tuple[int, int]:
    primary = PRIMARY.get(state, ())
    if action in primary:
        return (0, primary.index(action))
    return ({"forward": 1, "record": 2, "end": 3}.get(kind, 4), 0)


#: What the law requires next, per state (shown on the case page).
STATE_GUIDE: dict[str, str] = {
    S.PROPOSED: "立案审批：负责人审查管辖权（属地、层级、授权或委托范围）、追责时效和承办人资格后决定是否立案"
    f"（{APL}第二十二条至第二十四条、第三十六条、第五十四条）。",
    S.INVESTIGATING: "全面、客观、公正地调查，收集证据，每个违法行为的每个构成要件都须有证据证明；"
    "不少于两名持证执法人员，出示执法证件，制作笔录；先行登记保存须负责人批准并在七个工作日内作出处理决定"
    f"（{APL}第四十二条、第四十六条、第五十四条至第五十六条）。",
    S.UNDER_REVIEW: "审查调查结果：提出处罚建议（在法定幅度内裁量），须告知当事人拟作出的处罚及其事实、理由、依据和权利；"
    "告知期满后，经法制审核、集体讨论（触发时），在立案之日起九十日内作出决定"
    f"（{APL}第四十四条、第五十七条、第五十八条、第六十条）。",
    S.LEGAL_REVIEW: f"法制审核：未经法制审核或者审核未通过的，不得作出决定（{APL}第五十八条）。",
    S.COLLECTIVE_DISCUSSION: f"情节复杂或者重大违法行为，行政机关负责人应当集体讨论决定（{APL}第五十七条第二款）。",
    S.NOTIFIED: "当事人有权陈述、申辩，行政机关必须充分听取并复核；有听证权利的，当事人可在告知后五个工作日内要求听证；"
    f"期限届满前不得作出决定（{APL}第四十五条、第六十二条、第六十四条、第八十五条）。",
    S.HEARING_REQUESTED: "当事人要求听证的，应当组织听证：在举行听证的七个工作日前通知当事人时间、地点，"
    f"由非本案调查人员主持（{APL}第六十三条、第六十四条）。",
    S.HEARING_SCHEDULED: "按通知的时间举行听证，制作笔录交当事人核对签字；当事人无正当理由不出席的视为放弃听证权利"
    f"（{APL}第六十四条）。听证结束后根据听证笔录作出决定，作出决定前应当法制审核（第五十八条、第六十五条）。",
    S.DECIDED: "决定书应当在宣告后当场交付当事人；当事人不在场的，在七个工作日内送达；电子送达须当事人同意并签订确认书"
    f"（{APL}第六十一条）。",
    S.EXECUTING: "当事人应当自收到决定书之日起十五日内缴纳罚款；确有困难的经申请批准可暂缓或分期；"
    "逾期每日加处罚款数额的3%（不超过罚款数额），催告后十个工作日仍不履行的，可在复议、诉讼期限届满后三个月内申请法院强制执行"
    f"（{APL}第六十六条、第六十七条、第七十二条；{AEL}第五十三条、第五十四条）。",
    S.CLOSURE_PENDING: "结案审批：责令改正的事项均有结果，罚款已缴清或者已申请法院强制执行，待审查事项已处理。",
    S.CLOSED: "已结案，待立卷归档（行政处罚法第四十七条：全过程记录，归档保存）。",
    S.ARCHIVED: "已归档。",
    S.TERMINATED: "案件已终止，待归档。",
    S.WITHDRAWN: "立案已撤销，待归档。",
    S.TRANSFERRED: "已移送有管辖权的机关，待归档。",
    S.REFERRED: "已移送司法机关（不得以行政处罚代替刑事处罚，行政处罚法第八条、第二十七条），待归档。",
    S.FILING_REFUSED: "不予立案，待归档。",
}
