"""The form of each step on the case page, as data, and the payload built from a submitted form.

Each action lists its fields; the page renders them (``cases/_action_form.html``) and
:func:`payload_from_post` turns the POST into the payload ``services.perform`` parses. Field kinds:
date, datetime, text, textarea, select, multi (checkboxes), checkbox, and a few composite ones
(proofs, penalties, order_due, amendments, schedule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from anjian.cases.effects import CLOSURE_TRIGGERS
from anjian.cases.models import (
    Case,
    DecisionOutcome,
    DeliveryMethod,
    Gender,
    OrderOutcome,
    PartyKind,
    PartyRole,
    PaymentKind,
    PenaltyKind,
)
from anjian.evidence.models import CollectionMethod, EvidenceKind, PreservationDecision
from anjian.registry.models import Officer


@dataclass
class FieldSpec:
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: Any = None  # list of (value, label) or a callable(case, user) -> list
    default: Any = None  # value or "today" / "now"
    help: str = ""

    def options(self, case: Case, user: Any) -> list[tuple[Any, str]]:
        if callable(self.choices):
            return list(self.choices(case, user))
        return list(self.choices or [])


def agency_officers(case: Case, user: Any) -> list[tuple[int, str]]:
    officers = (
        Officer.objects.visible_to(user).filter(agency=case.agency, is_active=True).order_by("name")
    )
    return [(o.pk, o.name) for o in officers]


def case_officer_ids(case: Case) -> list[int]:
    return list(case.case_officers.values_list("officer_id", flat=True))


def non_case_officers(case: Case, user: Any) -> list[tuple[int, str]]:
    on_case = set(case_officer_ids(case))
    return [(pk, name) for pk, name in agency_officers(case, user) if pk not in on_case]


def case_evidence(case: Case, user: Any) -> list[tuple[int, str]]:
    return [
        (link.evidence_id, f"{link.evidence.get_kind_display()}：{link.evidence.title}")
        for link in case.evidence_links.select_related("evidence")
    ]


def open_preservations(case: Case, user: Any) -> list[tuple[int, str]]:
    from anjian.cases.selectors import preservations

    return [
        (p.pk, f"{p.items[:30]}（保存于{p.started_on:%Y-%m-%d}，期限{p.due_on or '无法计算'}）")
        for p in preservations(case)
        if p.is_open
    ]


def case_orders(case: Case, user: Any) -> list[tuple[int, str]]:
    return [
        (o.pk, o.text + (f"（{o.get_outcome_display()}）" if o.outcome else ""))
        for o in case.orders.all()
    ]


def case_parties(case: Case, user: Any) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in case.parties.all()]


def case_violations(case: Case, user: Any) -> list[tuple[int, str]]:
    return [(v.pk, f"{v.violation_code} {v.title}") for v in case.violations.all()]


def open_flags(case: Case, user: Any) -> list[tuple[int, str]]:
    return [(f.pk, f.message) for f in case.flags.filter(resolved_at__isnull=True)]


def approvers(case: Case, user: Any) -> list[tuple[int, str]]:
    """The agency's officers who may approve a preservation: their roles read with them (one
    query for all, not one per officer)."""
    from anjian.core.permissions import preset_roles, user_can

    officers = (
        Officer.objects.visible_to(user)
        .filter(agency=case.agency, is_active=True)
        .select_related("user")
        .prefetch_related("user__role_assignments")
    )
    chosen = []
    for o in officers:
        preset_roles(o.user, [a.role for a in o.user.role_assignments.all()])
        if user_can(o.user, "evidence.approve_preservation"):
            chosen.append((o.pk, o.name))
    return chosen


STAGES = [
    ("first_order", gettext_lazy("责令改正时（首次）")),
    ("overdue_not_corrected", gettext_lazy("逾期未改正")),
    ("refused", gettext_lazy("拒不改正（拒不执行）")),
    ("accident", gettext_lazy("导致发生生产安全事故")),
]
NO_PENALTY = [(o.value, o.label) for o in DecisionOutcome if o != DecisionOutcome.PENALTY]
ON = FieldSpec("on", gettext_noop("日期"), "date", True, default="today")

F = FieldSpec
FORMS: dict[str, list[FieldSpec]] = {
    "approve_filing": [F("on", gettext_noop("立案日期"), "date", True, default="today")],
    "refuse_filing": [ON],
    "add_party": [
        F(
            "kind",
            gettext_noop("类别"),
            "select",
            True,
            choices=PartyKind.choices,
            default="person",
        ),
        F(
            "role",
            gettext_noop("身份"),
            "select",
            True,
            choices=PartyRole.choices,
            default="principal_person",
        ),
        F("name", gettext_noop("姓名（个人）"), "text"),
        F("enterprise_id", gettext_noop("单位编号（单位当事人）"), "text"),
        F("id_number", gettext_noop("证件号码（个人：身份证号）"), "text"),
        F("gender", gettext_noop("性别（个人）"), "select", choices=Gender.choices),
        F("employer", gettext_noop("工作单位（个人）"), "text"),
        F("job_title", gettext_noop("职务（个人）"), "text"),
        F("phone", gettext_noop("联系电话"), "text"),
        F("address", gettext_noop("地址（个人：住址）"), "text"),
    ],
    "edit_party": [
        F("party_id", gettext_noop("当事人"), "select", True, choices=case_parties),
        F(
            "name",
            gettext_noop("姓名（个人）"),
            "text",
            help=gettext_noop("留空的项保持登记的内容不变"),
        ),
        F("id_number", gettext_noop("证件号码（个人：身份证号）"), "text"),
        F(
            "gender",
            gettext_noop("性别（个人；留空则按身份证号）"),
            "select",
            choices=Gender.choices,
        ),
        F("employer", gettext_noop("工作单位（个人）"), "text"),
        F("job_title", gettext_noop("职务（个人）"), "text"),
        F("phone", gettext_noop("联系电话"), "text"),
        F("address", gettext_noop("地址（个人：住址）"), "text"),
    ],
    "add_violation": [
        F("party_id", gettext_noop("当事人"), "select", True, choices=case_parties),
        F(
            "violation_code",
            gettext_noop("违法行为代码（法规库）"),
            "text",
            True,
            help=gettext_noop("如 WSL2021-097-01a，见“法律依据”"),
        ),
        F("act_date", gettext_noop("违法行为发生日期"), "date", True),
        F("act_ended_on", gettext_noop("终了日期（连续或继续状态）"), "date"),
        F(
            "endangers_life_or_health",
            gettext_noop("涉及生命健康安全且有危害后果（时效五年）"),
            "checkbox",
        ),
        F("stage", gettext_noop("处罚阶段"), "select", True, choices=STAGES, default="first_order"),
        F("facts", gettext_noop("违法事实"), "textarea", True),
    ],
    "edit_violation": [
        F("violation_id", gettext_noop("违法行为"), "select", True, choices=case_violations),
        F("facts", gettext_noop("违法事实"), "textarea"),
        F("stage", gettext_noop("处罚阶段"), "select", choices=STAGES),
        F(
            "circumstances",
            gettext_noop("情节（代码，逗号分隔）"),
            "text",
            help=gettext_noop("如 first_offence,corrected_promptly；见裁量情节目录"),
        ),
        F("illegal_gains", gettext_noop("违法所得（元）"), "text"),
        F("last_year_income", gettext_noop("上一年年收入（元）"), "text"),
    ],
    "remove_party": [
        F(
            "party_id",
            gettext_noop("当事人"),
            "select",
            True,
            choices=case_parties,
            help=gettext_noop("仅限误录的当事人；已认定其违法行为的，须先删除这些违法行为。"),
        )
    ],
    "remove_violation": [
        F("violation_id", gettext_noop("违法行为"), "select", True, choices=case_violations)
    ],
    "set_officers": [
        F(
            "officer_ids",
            gettext_noop("承办人（第一位为主办）"),
            "multi",
            True,
            choices=agency_officers,
        )
    ],
    "add_evidence": [
        F(
            "kind",
            gettext_noop("证据种类（行政处罚法第四十六条）"),
            "select",
            True,
            choices=EvidenceKind.choices,
        ),
        F(
            "title",
            gettext_noop("名称"),
            "text",
            True,
            help=gettext_noop("如：现场检查笔录、询问笔录（张三）、勘验笔录、照片"),
        ),
        F("description", gettext_noop("内容摘要"), "textarea"),
        F("collected_at", gettext_noop("收集时间"), "datetime", True, default="now"),
        F("place", gettext_noop("收集地点"), "text", True),
        F("source", gettext_noop("来源（提供人、持有人）"), "text", True),
        F("method", gettext_noop("收集方式"), "select", True, choices=CollectionMethod.choices),
        F(
            "collector_ids",
            gettext_noop("收集人（不少于两名持证执法人员）"),
            "multi",
            True,
            choices=agency_officers,
        ),
        F("proofs", gettext_noop("证明的要件"), "proofs"),
        F("file", gettext_noop("文件（可选，计算 SHA-256）"), "file"),
    ],
    "link_evidence": [
        F("evidence_id", gettext_noop("证据编号"), "text", True),
        F("proofs", gettext_noop("证明的要件"), "proofs"),
    ],
    "preserve_evidence": [
        F("evidence_ids", gettext_noop("保存物品（证据）"), "multi", True, choices=case_evidence),
        F("items", gettext_noop("物品清单"), "textarea", True),
        F("place", gettext_noop("保存地点"), "text", True),
        F(
            "approved_by_id",
            gettext_noop("批准人（行政机关负责人）"),
            "select",
            True,
            choices=approvers,
        ),
        F("approved_on", gettext_noop("批准日期"), "date", True, default="today"),
        F("started_on", gettext_noop("保存日期"), "date", True, default="today"),
    ],
    "decide_preservation": [
        F(
            "preservation_id",
            gettext_noop("先行登记保存"),
            "select",
            True,
            choices=open_preservations,
        ),
        F(
            "decision",
            gettext_noop("处理决定"),
            "select",
            True,
            choices=PreservationDecision.choices,
        ),
        F("decided_on", gettext_noop("决定日期"), "date", True, default="today"),
        F("note", gettext_noop("说明"), "text"),
        F("late_reason", gettext_noop("逾期理由（逾期时必填）"), "text"),
    ],
    "extend_decision_deadline": [
        F("until", gettext_noop("延长至"), "date", True),
        F(
            "basis",
            gettext_noop("延长的法律依据"),
            "text",
            True,
            help=gettext_noop("行政处罚法第六十条：法律、法规、规章另有规定的，从其规定"),
        ),
    ],
    "submit_investigation": [
        F("on", gettext_noop("调查终结日期"), "date", True, default="today"),
        F("summary", gettext_noop("调查终结报告（摘要）"), "textarea"),
    ],
    "return_to_investigation": [ON],
    "propose_penalty": [
        F("on", gettext_noop("日期"), "date", True, default="today"),
        F("penalties", gettext_noop("处罚建议"), "penalties"),
    ],
    "request_legal_review": [ON],
    "pass_legal_review": [ON, F("opinion", gettext_noop("法制审核意见"), "textarea", True)],
    "fail_legal_review": [ON, F("opinion", gettext_noop("法制审核意见"), "textarea")],
    "request_collective_discussion": [ON],
    "record_collective_discussion": [
        F("on", gettext_noop("讨论日期"), "date", True, default="today"),
        F("participants", gettext_noop("参加人员（逗号分隔）"), "text", True),
        F("conclusion", gettext_noop("讨论结论"), "textarea", True),
    ],
    "serve_notice": [
        F("on", gettext_noop("告知书送达日期"), "date", True, default="today"),
        F("method", gettext_noop("送达方式"), "text", default="直接送达"),
    ],
    "record_statement": [
        F("on", gettext_noop("陈述申辩日期"), "date", True, default="today"),
        F("statement", gettext_noop("陈述申辩内容"), "textarea", True),
        F("review", gettext_noop("复核意见"), "textarea", True),
        F("adopted", gettext_noop("当事人的理由成立，予以采纳"), "checkbox"),
    ],
    "waive_rights": [ON, F("note", gettext_noop("当事人书面放弃的说明"), "textarea", True)],
    "request_hearing": [F("on", gettext_noop("听证申请日期"), "date", True, default="today")],
    "end_notice_period": [ON],
    "schedule_hearing": [
        F("notice_on", gettext_noop("通知日期"), "date", True, default="today"),
        F("hearing_date", gettext_noop("听证日期"), "date", True),
        F("place", gettext_noop("听证地点"), "text", True),
        F(
            "chair_id",
            gettext_noop("主持人（非本案调查人员）"),
            "select",
            True,
            choices=non_case_officers,
        ),
    ],
    "reschedule_hearing": [
        F("notice_on", gettext_noop("通知日期"), "date", True, default="today"),
        F("hearing_date", gettext_noop("听证日期"), "date", True),
        F("place", gettext_noop("听证地点"), "text", True),
        F(
            "chair_id",
            gettext_noop("主持人（非本案调查人员）"),
            "select",
            True,
            choices=non_case_officers,
        ),
    ],
    "withdraw_hearing_request": [ON],
    "record_hearing": [
        F("held_on", gettext_noop("听证日期"), "date", True),
        F("attended", gettext_noop("当事人出席"), "checkbox", default=True),
        F("record", gettext_noop("听证笔录（摘要）"), "textarea", True),
        F("report", gettext_noop("听证报告（处理意见）"), "textarea", True),
    ],
    "decide": [
        F("on", gettext_noop("决定日期"), "date", True, default="today"),
        F("amendments", gettext_noop("决定金额（不得高于告知的金额）"), "amendments"),
        F("order_due", gettext_noop("责令改正期限"), "order_due"),
    ],
    "decide_no_penalty": [
        F("on", gettext_noop("决定日期"), "date", True, default="today"),
        F("ground", gettext_noop("不予处罚的情形"), "select", True, choices=NO_PENALTY),
    ],
    "deliver": [
        F("on", gettext_noop("送达日期"), "date", True, default="today"),
        F(
            "method",
            gettext_noop("送达方式"),
            "select",
            True,
            choices=DeliveryMethod.choices,
            default="direct",
        ),
        F("recipient", gettext_noop("签收人（送达回执）"), "text", True),
        F("consent_confirmed", gettext_noop("当事人已同意并签订电子送达确认书"), "checkbox"),
        F("late_reason", gettext_noop("逾期送达的理由"), "text"),
    ],
    "record_payment": [
        F("paid_on", gettext_noop("缴纳日期"), "date", True, default="today"),
        F(
            "kind",
            gettext_noop("款项"),
            "select",
            True,
            choices=PaymentKind.choices,
            default="fine",
        ),
        F("amount", gettext_noop("金额（元）"), "text", True),
        F("receipt_number", gettext_noop("票据（缴款书）号"), "text", True),
    ],
    "approve_deferral": [
        F("applied_on", gettext_noop("申请日期"), "date", True, default="today"),
        F("until", gettext_noop("暂缓缴纳至"), "date", True),
    ],
    "approve_instalments": [
        F("applied_on", gettext_noop("申请日期"), "date", True, default="today"),
        F("schedule", gettext_noop("分期计划"), "schedule"),
    ],
    "serve_reminder": [F("on", gettext_noop("催告书送达日期"), "date", True, default="today")],
    "apply_to_court": [
        F("on", gettext_noop("申请日期"), "date", True, default="today"),
        F("court", gettext_noop("人民法院"), "text", True),
    ],
    "record_court_outcome": [ON, F("outcome", gettext_noop("执行结果"), "text", True)],
    "record_order_outcome": [
        F("order_id", gettext_noop("责令改正事项"), "select", True, choices=case_orders),
        F("outcome", gettext_noop("核查结果"), "select", True, choices=OrderOutcome.choices),
        F("on", gettext_noop("核查日期"), "date", True, default="today"),
        F("note", gettext_noop("核查情况"), "text"),
    ],
    "impose_daily_fine": [
        F("order_id", gettext_noop("拒不改正的责令改正事项"), "select", True, choices=case_orders),
        F("until", gettext_noop("连续处罚计至"), "date", True, default="today"),
        F("on", gettext_noop("决定日期"), "date", True, default="today"),
    ],
    "propose_government_closure": [
        F(
            "trigger",
            gettext_noop("情形（安全生产法第一百一十三条）"),
            "select",
            True,
            choices=list(CLOSURE_TRIGGERS.items()),
        ),
        F("major_hazard_confirmed", gettext_noop("存在重大事故隐患（已查实）"), "checkbox"),
        F("on", gettext_noop("提请日期"), "date", True, default="today"),
    ],
    "request_closure": [F("on", gettext_noop("结案申请日期"), "date", True, default="today")],
    "approve_closure": [F("on", gettext_noop("结案日期"), "date", True, default="today")],
    "reject_closure": [ON],
    "transfer_to_agency": [ON, F("to", gettext_noop("移送机关"), "text", True)],
    "refer_to_judicial_organ": [
        ON,
        F("to", gettext_noop("移送的司法机关"), "text", default="同级公安机关"),
    ],
    "terminate": [ON],
    "withdraw": [ON],
    "archive": [F("on", gettext_noop("归档日期"), "date", True, default="today")],
    "resolve_flag": [
        F("flag_id", gettext_noop("待审查事项"), "select", True, choices=open_flags),
        F("resolution", gettext_noop("审查意见"), "textarea", True),
    ],
    "unlink_evidence": [
        F("violation_id", gettext_noop("违法行为"), "select", True, choices=case_violations),
        F("element_index", gettext_noop("要件序号"), "text", True),
        F("evidence_id", gettext_noop("证据编号"), "text", True),
    ],
}


def defaults(spec: FieldSpec) -> Any:
    if spec.default == "today":
        return timezone.localdate().isoformat()
    if spec.default == "now":
        return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return spec.default


@dataclass
class RenderedField:
    spec: FieldSpec
    value: Any
    options: list[tuple[Any, str]] = field(default_factory=list)


def _entered(spec: FieldSpec, post: QueryDict) -> Any:
    """What was submitted in a field, to show a refused form again as it was filled in."""
    if spec.kind in {"multi", "proofs"}:
        return post.getlist(spec.name)
    if spec.kind == "checkbox":
        return post.get(spec.name) in {"on", "1", "true", "yes"}
    if spec.kind == "file":
        return None
    return post.get(spec.name, "")


def rendered_fields(
    action: str, case: Case, user: Any, *, entered: QueryDict | None = None
) -> list[RenderedField]:
    """The fields of ``action``'s form: their defaults, or what was ``entered`` (a refused form)."""
    return [
        RenderedField(
            spec,
            _entered(spec, entered) if entered is not None else defaults(spec),
            spec.options(case, user) if spec.choices else [],
        )
        for spec in FORMS.get(action, [])
    ]


def _rows(post: QueryDict, prefix: str) -> dict[str, dict[str, str]]:
    """Inputs named ``{prefix}-{key}-{field}`` grouped by key."""
    out: dict[str, dict[str, str]] = {}
    for name in post:
        if name.startswith(prefix + "-"):
            parts = name.split("-", 2)
            if len(parts) == 3:
                out.setdefault(parts[1], {})[parts[2]] = post.get(name, "")
    return out


def payload_from_post(action: str, post: QueryDict) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for spec in FORMS.get(action, []):
        if spec.kind == "multi":
            payload[spec.name] = post.getlist(spec.name)
        elif spec.kind == "checkbox":
            payload[spec.name] = post.get(spec.name) in {"on", "1", "true", "yes"}
        elif spec.kind == "proofs":
            proofs = []
            for value in post.getlist("proofs"):
                violation_id, _, element_index = value.partition(":")
                proofs.append({"violation_id": violation_id, "element_index": element_index})
            payload["proofs"] = proofs
        elif spec.kind == "penalties":
            items = []
            for key, row in sorted(_rows(post, "pen").items()):
                violation_id = key.split("_")[0]
                if row.get("kind"):
                    items.append(
                        {
                            "violation_id": violation_id,
                            "kind": row.get("kind"),
                            "amount": row.get("amount") or None,
                            "reason": row.get("reason", ""),
                            "detail": row.get("detail", ""),
                        }
                    )
            payload["penalties"] = items
        elif spec.kind == "order_due":
            payload["order_due_dates"] = [
                {"violation_id": key, "due_on": row.get("due")}
                for key, row in _rows(post, "order").items()
                if row.get("due")
            ]
        elif spec.kind == "amendments":
            payload["amendments"] = [
                {"penalty_id": key, "amount": row.get("amount")}
                for key, row in _rows(post, "amend").items()
                if row.get("amount") and row.get("amount") != row.get("original")
            ]
        elif spec.kind == "schedule":
            payload["schedule"] = [
                {"due_on": row.get("due"), "amount": row.get("amount")}
                for _, row in sorted(_rows(post, "inst").items())
                if row.get("due") or row.get("amount")
            ]
        elif spec.kind == "file":
            continue
        else:
            value = post.get(spec.name, "")
            if value != "":
                payload[spec.name] = value
    return payload


KIND_CHOICES = [(k.value, k.label) for k in PenaltyKind if k != PenaltyKind.DAILY_FINE]
