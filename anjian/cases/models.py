"""The penalty case (行政处罚案件): its parties, violations, officers, evidence links, penalties,
correction orders, payments, review flags and the event row of every change.

Only ``anjian.cases.services.perform`` writes ``Case.status`` (the transitions table in
``anjian/cases/transitions.py``); every change writes one ``CaseEvent`` (old and new state, actor,
reason, legal basis, time) and one audit entry in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet


class CaseStatus(models.TextChoices):
    PROPOSED = "proposed", _("立案待审批")
    FILING_REFUSED = "filing_refused", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    UNDER_REVIEW = "under_review", _("案件审查")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论")
    NOTIFIED = "notified", _("已告知（陈述申辩期）")
    HEARING_REQUESTED = "hearing_requested", _("听证申请（待通知）")
    HEARING_SCHEDULED = "hearing_scheduled", _("听证已通知")
    DECIDED = "decided", _("已决定（待送达）")
    EXECUTING = "executing", _("执行")
    CLOSURE_PENDING = "closure_pending", _("结案审批")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    TERMINATED = "terminated", _("已终止")
    WITHDRAWN = "withdrawn", _("已撤销立案")
    TRANSFERRED = "transferred", _("已移送其他机关")
    REFERRED = "referred", _("已移送司法机关")


#: States in which the case is still being handled (shown in the deadline lists).
OPEN_STATUSES: frozenset[str] = frozenset(
    {
        CaseStatus.PROPOSED,
        CaseStatus.INVESTIGATING,
        CaseStatus.UNDER_REVIEW,
        CaseStatus.LEGAL_REVIEW,
        CaseStatus.COLLECTIVE_DISCUSSION,
        CaseStatus.NOTIFIED,
        CaseStatus.HEARING_REQUESTED,
        CaseStatus.HEARING_SCHEDULED,
        CaseStatus.DECIDED,
        CaseStatus.EXECUTING,
        CaseStatus.CLOSURE_PENDING,
    }
)


class CaseSource(models.TextChoices):
    INSPECTION_FINDING = "inspection_finding", _("检查发现")
    COMPLAINT = "complaint", _("投诉举报")
    ACCIDENT = "accident", _("事故调查")
    TRANSFER = "transfer", _("其他机关移送")
    OTHER = "other", _("其他（上级交办等）")


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLIFIED = "simplified", _("简易程序（当场处罚）")


class DecisionOutcome(models.TextChoices):
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY_MINOR = "no_penalty_minor", _("不予处罚：违法行为轻微并及时改正，没有造成危害后果")
    NO_PENALTY_FIRST_OFFENCE = (
        "no_penalty_first_offence",
        _("不予处罚：初次违法且危害后果轻微并及时改正"),
    )
    NO_PENALTY_NO_FAULT = "no_penalty_no_fault", _("不予处罚：有证据足以证明没有主观过错")
    NO_PENALTY_NOT_ESTABLISHED = "no_penalty_not_established", _("不予处罚：违法事实不能成立")


class DeliveryMethod(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("宣告后当场交付")
    DIRECT = "direct", _("直接送达")
    LEFT_AT_PREMISES = "left_at_premises", _("留置送达")
    ENTRUSTED = "entrusted", _("委托送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达（当事人同意并签订确认书）")
    ANNOUNCEMENT = "announcement", _("公告送达")


class Case(models.Model):
    reference = models.CharField("案件编号", max_length=80, unique=True)
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name="办案机构"
    )
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=12)
    city_code = models.CharField(max_length=12, blank=True)
    county_code = models.CharField(max_length=12, blank=True)
    title = models.CharField("案由", max_length=300)
    procedure = models.CharField(
        "程序", max_length=12, choices=Procedure.choices, default=Procedure.GENERAL
    )
    status = models.CharField(
        "状态", max_length=24, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    version = models.PositiveIntegerField("版本", default=0)
    is_open = models.BooleanField("办理中", default=True)

    # Source and nature (clause (二): 事前立案 vs 事故立案).
    source_kind = models.CharField("案件来源", max_length=24, choices=CaseSource.choices)
    source_reference = models.CharField("来源编号", max_length=100, blank=True)
    source_note = models.TextField("来源说明", blank=True)
    source_proposal = models.ForeignKey(
        "inspections.CaseProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="立案建议",
    )
    is_accident_case = models.BooleanField("事故立案", default=False)
    accident_grade = models.CharField("事故等级", max_length=24, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="当事单位",
    )
    party_name = models.CharField("当事人", max_length=200)
    place_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="违法行为发生地",
    )

    # Dates of the procedure.
    discovered_on = models.DateField("发现日期")
    proposed_on = models.DateField("立案申请日期")
    filed_on = models.DateField("立案日期", null=True, blank=True)
    decision_due_on = models.DateField("作出决定期限", null=True, blank=True)
    decision_extended_until = models.DateField("延长至", null=True, blank=True)
    extension_reason = models.TextField("延长理由及依据", blank=True)

    # The proposed penalty and the reviews of it (each numbered by the proposal it examined).
    proposal_version = models.PositiveIntegerField("处罚建议版本", default=0)
    hearing_right = models.BooleanField("当事人有权要求听证", default=False)
    legal_review_required = models.BooleanField("须法制审核", default=False)
    collective_discussion_required = models.BooleanField("须集体讨论", default=False)
    procedure_triggers = models.JSONField("程序触发情形", default=dict, blank=True)
    legal_review_result = models.CharField("法制审核结论", max_length=12, blank=True)
    legal_reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_reviewed_proposal = models.PositiveIntegerField(default=0)
    legal_review_opinion = models.TextField("法制审核意见", blank=True)
    collective_discussed_on = models.DateField("集体讨论日期", null=True, blank=True)
    collective_discussed_proposal = models.PositiveIntegerField(default=0)
    collective_conclusion = models.TextField("集体讨论结论", blank=True)

    # Notice (告知), statement and defence, hearing.
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    notified_proposal = models.PositiveIntegerField(default=0)
    statement_due_on = models.DateField("陈述申辩期限", null=True, blank=True)
    hearing_request_due_on = models.DateField("听证申请期限", null=True, blank=True)
    rights_waived_on = models.DateField("当事人明确放弃权利日期", null=True, blank=True)
    hearing_requested_on = models.DateField("听证申请日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_chair = models.ForeignKey(
        "registry.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="听证主持人",
    )
    hearing_outcome = models.CharField("听证结果", max_length=16, blank=True)
    hearing_held_on = models.DateField("听证举行日期", null=True, blank=True)

    # Decision, delivery, execution.
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_outcome = models.CharField(
        "决定结果", max_length=32, choices=DecisionOutcome.choices, blank=True
    )
    decision_reason = models.TextField("决定理由", blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_method = models.CharField(
        "送达方式", max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    delivery_recipient = models.CharField("签收人", max_length=100, blank=True)
    fine_total = models.DecimalField("罚款合计（元）", max_digits=14, decimal_places=2, default=0)
    paid_total = models.DecimalField("已缴纳（元）", max_digits=14, decimal_places=2, default=0)
    surcharge_paid = models.DecimalField(
        "已缴纳加处罚款（元）", max_digits=14, decimal_places=2, default=0
    )
    payment_due_on = models.DateField("缴款期限", null=True, blank=True)
    deferral_until = models.DateField("暂缓缴纳至", null=True, blank=True)
    instalments = models.JSONField("分期缴纳计划", default=list, blank=True)
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    court_name = models.CharField("人民法院", max_length=100, blank=True)
    court_outcome = models.CharField("法院执行结果", max_length=200, blank=True)
    government_closure_proposed_on = models.DateField("提请关闭日期", null=True, blank=True)

    # Ending.
    closure_requested_on = models.DateField("结案申请日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    end_reason = models.TextField("终止、撤销、移送理由", blank=True)
    transferred_to = models.CharField("移送机关", max_length=200, blank=True)

    # The next legal deadline, stored whenever an event changes it (one indexed list query).
    next_deadline_on = models.DateField("下一法定期限", null=True, blank=True)
    next_deadline_rule = models.CharField("期限规则", max_length=64, blank=True)
    next_deadline_label = models.CharField("期限事项", max_length=100, blank=True)
    next_deadline_basis = models.CharField("期限依据", max_length=200, blank=True)
    next_deadline_flag = models.CharField("期限标记", max_length=64, blank=True)
    next_deadline_flag_label = models.CharField("无法计算的期限", max_length=100, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["agency", "is_open", "next_deadline_on", "id"],
                name="case_agency_deadline_idx",
            ),
            models.Index(
                fields=["county_code", "is_open", "next_deadline_on", "id"],
                name="case_county_deadline_idx",
            ),
            models.Index(
                fields=["city_code", "is_open", "next_deadline_on", "id"],
                name="case_city_deadline_idx",
            ),
            models.Index(
                fields=["province_code", "is_open", "next_deadline_on", "id"],
                name="case_province_deadline_idx",
            ),
            models.Index(
                fields=["region", "is_open", "next_deadline_on", "id"],
                name="case_region_deadline_idx",
            ),
            models.Index(fields=["enterprise", "decided_on"], name="case_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="cases_status_known"
            ),
            models.CheckConstraint(
                condition=Q(fine_total__gte=0) & Q(paid_total__gte=0),
                name="cases_amounts_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(filed_on__gte=models.F("proposed_on")),
                name="cases_filed_after_proposal",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(decided_on__gte=models.F("filed_on")),
                name="cases_decided_after_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def is_simplified(self) -> bool:
        return self.procedure == Procedure.SIMPLIFIED

    @property
    def outstanding(self) -> object:
        return max(self.fine_total - self.paid_total, 0)


class CaseCounter(models.Model):
    """The running number of cases per agency and year: locked (select_for_update) while taken, so
    the sequence has no gaps and no duplicates."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="cases_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.year}:{self.last}"


class PartyKind(models.TextChoices):
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PartyRole(models.TextChoices):
    """Matches the catalog's ``Party`` (anjian.law.core.catalog.Party)."""

    UNIT = "unit", _("生产经营单位")
    PRINCIPAL_PERSON = "principal_person", _("主要负责人")
    RESPONSIBLE_PERSON = "responsible_person", _("直接负责的主管人员和其他直接责任人员")
    MANAGER = "manager", _("其他负责人和安全生产管理人员")
    INVESTOR = "investor", _("个人经营的投资人")
    INDIVIDUAL = "individual", _("个人")
    OTHER = "other", _("其他")


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("类别", max_length=8, choices=PartyKind.choices)
    role = models.CharField("身份", max_length=24, choices=PartyRole.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("名称或姓名", max_length=200)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    # A person's particulars, printed on the documents addressed to them (行政处罚决定书（个人）):
    # empty for a unit, whose particulars are the enterprise's.
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    job_title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="unit") | Q(enterprise__isnull=False),
                name="cases_unit_party_has_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(gender="") | (Q(kind="person") & Q(gender__in=["male", "female"])),
                name="cases_party_gender_of_a_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind == PartyKind.UNIT


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey(
        "registry.Officer", on_delete=models.PROTECT, related_name="case_assignments"
    )
    is_lead = models.BooleanField("主办", default=False)

    class Meta:
        verbose_name = "承办人"
        verbose_name_plural = "承办人"
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="cases_officer_once")
        ]
        indexes = [models.Index(fields=["officer", "case"], name="case_officer_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class CaseViolation(models.Model):
    """One violation (案由) of one party: the catalog type and the facts found."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="violations")
    violation_code = models.CharField("违法行为代码", max_length=40)
    title = models.CharField("违法行为", max_length=300)
    stage = models.CharField("处罚阶段", max_length=32, default="first_order")
    act_date = models.DateField("违法行为发生日期")
    act_ended_on = models.DateField("违法行为终了日期（连续或继续状态）", null=True, blank=True)
    endangers_life_or_health = models.BooleanField(
        "涉及公民生命健康安全且有危害后果", default=False
    )
    facts = models.TextField("违法事实", blank=True)
    circumstances = models.JSONField("情节", default=list, blank=True)
    illegal_gains = models.DecimalField(
        "违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    last_year_income = models.DecimalField(
        "上一年年收入（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "违法行为"
        verbose_name_plural = "违法行为"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "violation_code"], name="cases_violation_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.violation_code} {self.title}"


class CaseEvidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(
        "evidence.Evidence", on_delete=models.PROTECT, related_name="case_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "案件证据"
        verbose_name_plural = "案件证据"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "evidence"], name="cases_evidence_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.evidence_id}"


class ElementProof(models.Model):
    """Evidence linked to one element (构成要件) of one violation: what the evidence proves."""

    violation = models.ForeignKey(CaseViolation, on_delete=models.CASCADE, related_name="proofs")
    element_index = models.PositiveSmallIntegerField("要件序号")
    element_text = models.CharField("要件", max_length=300)
    evidence = models.ForeignKey(
        "evidence.Evidence", on_delete=models.PROTECT, related_name="element_proofs"
    )

    class Meta:
        verbose_name = "要件证据"
        verbose_name_plural = "要件证据"
        ordering = ["element_index", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "element_index", "evidence"], name="cases_proof_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.violation_id}#{self.element_index}:{self.evidence_id}"


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATE_ILLEGAL_GAINS = "confiscate_illegal_gains", _("没收违法所得")
    CONFISCATE_ILLEGAL_PROPERTY = "confiscate_illegal_property", _("没收非法财物")
    SUSPEND_PRODUCTION = "suspend_production", _("责令停产停业整顿")
    STOP_CONSTRUCTION = "stop_construction", _("责令停止建设")
    SUSPEND_LICENSE = "suspend_license", _("暂扣许可证件")
    REVOKE_LICENSE = "revoke_license", _("吊销许可证件")
    CLOSE = "close", _("提请关闭")
    BAN_FROM_POST = "ban_from_post", _("限制从业")
    DAILY_FINE = "daily_fine", _("按日连续处罚")


MONEY_KINDS: frozenset[str] = frozenset(
    {
        PenaltyKind.FINE,
        PenaltyKind.CONFISCATE_ILLEGAL_GAINS,
        PenaltyKind.CONFISCATE_ILLEGAL_PROPERTY,
        PenaltyKind.DAILY_FINE,
    }
)


class Penalty(models.Model):
    """One penalty item of a proposal (numbered) and, once decided, of the decision, with its
    discretion record: the engine's input and output, the chosen amount and the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="penalties")
    violation = models.ForeignKey(
        CaseViolation, on_delete=models.PROTECT, null=True, blank=True, related_name="penalties"
    )
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="penalties")
    proposal_version = models.PositiveIntegerField("处罚建议版本")
    kind = models.CharField("种类", max_length=32, choices=PenaltyKind.choices)
    amount = models.DecimalField(
        "金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    detail = models.CharField("内容（期限、证照等）", max_length=300, blank=True)
    is_decided = models.BooleanField("已决定", default=False)
    legal_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    legal_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tier = models.CharField("裁量阶次", max_length=16, blank=True)
    tier_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tier_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    recommended = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    engine_input = models.JSONField("裁量输入", default=dict, blank=True)
    engine_output = models.JSONField("裁量结果", default=dict, blank=True)
    reason = models.TextField("裁量理由", blank=True)
    outside_tier = models.BooleanField("超出建议阶次幅度", default=False)
    basis = models.CharField("处罚依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "处罚"
        verbose_name_plural = "处罚"
        ordering = ["proposal_version", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="cases_penalty_amount_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(outside_tier=False) | ~Q(reason=""),
                name="cases_outside_tier_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "proposal_version"], name="penalty_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount or ''}"


class OrderOutcome(models.TextChoices):
    CORRECTED = "corrected", _("已改正")
    NOT_CORRECTED = "not_corrected", _("逾期未改正")
    REFUSED = "refused", _("拒不改正")


class CorrectionOrder(models.Model):
    """责令改正或者限期改正 (行政处罚法第二十八条), issued with the decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="orders")
    violation = models.ForeignKey(
        CaseViolation, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    text = models.CharField("责令内容", max_length=300)
    issued_on = models.DateField("责令日期")
    due_on = models.DateField("改正期限", null=True, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=OrderOutcome.choices, blank=True)
    outcome_on = models.DateField("核查日期", null=True, blank=True)
    outcome_note = models.CharField("核查情况", max_length=500, blank=True)

    class Meta:
        verbose_name = "责令改正"
        verbose_name_plural = "责令改正"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class PaymentKind(models.TextChoices):
    FINE = "fine", _("罚款")
    SURCHARGE = "surcharge", _("加处罚款")


class Payment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField("款项", max_length=12, choices=PaymentKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    paid_on = models.DateField("缴纳日期")
    receipt_number = models.CharField("票据（缴款书）号", max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "缴款"
        verbose_name_plural = "缴款"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cases_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount}"


class CaseEvent(models.Model):
    """One change of a case: the action, old and new state, actor, reason, legal basis, time.

    ``sequence`` is the case's version after the change, so ``count(events) == case.version``
    and a lost update would show as a gap or a duplicate (refused by the unique constraint)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField("序号")
    action = models.CharField("动作", max_length=48)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=150)
    reason = models.TextField("理由", blank=True)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    occurred_on = models.DateField("行为日期")
    payload = models.JSONField("内容", default=dict, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件记录"
        verbose_name_plural = "案件记录"
        ordering = ["case_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="cases_event_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.action}"


class ReviewFlag(models.Model):
    """An explicit, recorded departure from the default lawful path, for the legal office to review
    (an amount outside the engine's tier range, a late step with its reason, a data gap)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField("类别", max_length=48)
    message = models.TextField("说明")
    reason = models.TextField("理由")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField("审查意见", blank=True)

    class Meta:
        verbose_name = "待审查事项"
        verbose_name_plural = "待审查事项"
        ordering = ["id"]
        indexes = [models.Index(fields=["resolved_at", "case"], name="flag_open_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class RecordKind(models.TextChoices):
    """The written records of the procedure whose content the case keeps (one document type each:
    ``anjian/cases/records.py``)."""

    INQUIRY_NOTICE = "inquiry_notice", _("询问通知")
    INQUIRY = "inquiry", _("询问笔录")
    SURVEY = "survey", _("勘验笔录")
    STATEMENT = "statement", _("陈述申辩笔录")
    HEARING_NOTICE = "hearing_notice", _("听证会通知")
    HEARING = "hearing", _("听证笔录")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论记录")


class CaseRecord(models.Model):
    """One written record of a case (询问笔录, 勘验笔录, 听证笔录, …): what was asked and answered,
    seen, said or decided, by whom, when and where. ``content`` holds the fields of the kind,
    validated by ``anjian.cases.records.clean`` (the only code that fills it, through
    ``services.add_record`` / ``services.revise_record``); the documents engine prints it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField("种类", max_length=24, choices=RecordKind.choices)
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=300)
    content = models.JSONField("内容", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "case__"

    class Meta:
        verbose_name = "案件笔录"
        verbose_name_plural = "案件笔录"
        ordering = ["held_at", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="case_record_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="cases_record_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"
