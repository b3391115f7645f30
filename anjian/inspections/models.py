"""Field inspections: the published item list, schemes, records, findings, measures, re-inspections.

Every row that belongs to a place is scoped through the registry's one choke point
(``ScopedQuerySet.visible_to``): schemes, records and case proposals carry their region's codes;
rows below a record (results, findings, photos, orders, measures, re-inspections) point at it with
``scope_path = "inspection__"`` (an order's team copy, ``OrderOfficer``, through the order).
Writes happen only in ``anjian/inspections/services.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet

# --------------------------------------------------------------------------------------------
# Choices


class Domain(models.TextChoices):
    WORK_SAFETY = "work_safety", _("安全生产")
    OCCUPATIONAL_HEALTH = "occupational_health", _("职业卫生")


class ItemCategory(models.TextChoices):
    GENERAL = "general", _("通用检查事项")
    INDUSTRY = "industry", _("重点行业领域检查事项")


class ItemListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（未公布）")
    PUBLISHED = "published", _("现行（已公布）")
    SUPERSEDED = "superseded", _("已被新版本替代")


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("计划检查")
    RANDOM_DRAW = "random_draw", _("双随机抽查")
    COMPLAINT = "complaint", _("举报核查")
    JOINT = "joint", _("联合执法")
    CROSS_REGION = "cross_region", _("交叉执法")
    COVERT = "covert", _("暗查暗访")
    SPECIAL = "special", _("专项检查")
    REINSPECTION = "reinspection", _("整改复查")
    ACCIDENT = "accident", _("事故调查")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已退回")


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class ItemResultValue(models.TextChoices):
    COMPLIANT = "compliant", _("符合")
    FINDING = "finding", _("发现问题")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class HazardLevel(models.TextChoices):
    ORDINARY = "ordinary", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class Measure(models.TextChoices):
    ON_SPOT = "on_spot", _("当场纠正")
    RECTIFICATION = "rectification", _("责令限期整改")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CORRECTED = "corrected", _("已当场纠正")
    RECTIFIED = "rectified", _("复查已整改")
    NOT_RECTIFIED = "not_rectified", _("复查未整改")


class Acknowledgement(models.TextChoices):
    PENDING = "", _("未签字")
    SIGNED = "signed", _("被检查单位负责人已签字")
    REFUSED = "refused", _("负责人拒绝签字（已记录在案，见证人在场）")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("现场照片")
    SIGNATURE = "signature", _("负责人签字")


class OnSiteMeasureKind(models.TextChoices):
    STOP_USING = "stop_using", _("停止使用相关设施、设备")
    WITHDRAW_WORKERS = "withdraw_workers", _("从危险区域内撤出作业人员")
    SUSPEND_PRODUCTION = "suspend_production", _("暂时停产停业")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    NOT_RECTIFIED = "not_rectified", _("逾期未整改")


class ReinspectionOutcome(models.TextChoices):
    RECTIFIED = "rectified", _("已整改")
    NOT_RECTIFIED = "not_rectified", _("未整改")


class ProposalSource(models.TextChoices):
    VIOLATION_FOUND = "violation_found", _("检查发现违法行为")
    NOT_RECTIFIED = "not_rectified", _("逾期未整改")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议立案")
    TAKEN_OVER = "taken_over", _("已转立案程序")
    DECLINED = "declined", _("不予立案")


# --------------------------------------------------------------------------------------------
# Scoping helper


class RegionScoped(models.Model):
    """A row placed in a region: the codes of its ancestors make the scope filter one equality."""

    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在区划"
    )
    province_code = models.CharField(max_length=12)
    city_code = models.CharField(max_length=12, blank=True)
    county_code = models.CharField(max_length=12, blank=True)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------------------------
# The inspection item list (检查事项清单)


class ItemList(models.Model):
    """One version of the province's inspection item list. Published versions are frozen."""

    version = models.PositiveIntegerField("版本号", unique=True)
    title = models.CharField("名称", max_length=200)
    edition = models.CharField("版次", max_length=50, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ItemListStatus.choices, default=ItemListStatus.DRAFT
    )
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    source_sha256 = models.CharField("来源文件SHA-256", max_length=64, blank=True)
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField("废止时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查事项清单"
        verbose_name_plural = "检查事项清单"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="inspections_one_current_item_list",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="inspections_item_list_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def was_published(self) -> bool:
        return self.published_at is not None


class Item(models.Model):
    """One inspection item (检查事项) with its legal basis, scope of application and responsibility."""

    item_list = models.ForeignKey(
        ItemList, on_delete=models.PROTECT, related_name="items", verbose_name="清单版本"
    )
    code = models.CharField("事项编号", max_length=20)
    title = models.CharField("检查事项", max_length=200)
    domain = models.CharField("领域", max_length=24, choices=Domain.choices)
    category = models.CharField("类别", max_length=16, choices=ItemCategory.choices)
    check_points = models.TextField("检查内容")
    #: [{"citation": "WSL:2021:28:1", "label": "《…》第二十八条第一款", "text": "…"}]
    basis = models.JSONField("检查依据", default=list)
    #: Codes of the legal catalog's violation types a finding under this item usually amounts to.
    violation_codes = models.JSONField("对应违法行为", default=list, blank=True)
    #: GB/T 4754 code prefixes; empty with empty ``tags`` = applies to every enterprise.
    industries = models.JSONField("适用行业（代码前缀）", default=list, blank=True)
    tags = models.JSONField("适用重点监管类别", default=list, blank=True)
    executing_body = models.CharField("执法主体", max_length=300)
    responsibility = models.CharField("法律责任", max_length=500)
    note = models.TextField("备注", blank=True)
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "检查事项"
        verbose_name_plural = "检查事项"
        ordering = ["item_list_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_list", "code"], name="inspections_item_code_once"
            ),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="inspections_item_domain_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_general(self) -> bool:
        return not self.industries and not self.tags

    def applies_to(self, industry_code: str, tags: set[str]) -> bool:
        if self.is_general:
            return True
        if any(industry_code.startswith(prefix) for prefix in self.industries):
            return True
        return bool(tags.intersection(self.tags))


# --------------------------------------------------------------------------------------------
# Inspection scheme (检查方案)


class InspectionScheme(RegionScoped):
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法机构"
    )
    title = models.CharField("方案名称", max_length=200)
    kind = models.CharField(
        "检查方式", max_length=20, choices=InspectionKind.choices, default=InspectionKind.PLANNED
    )
    period_start = models.DateField("检查期间起")
    period_end = models.DateField("检查期间止")
    scope_note = models.TextField("检查范围", blank=True)
    enterprises = models.ManyToManyField(
        "registry.Enterprise", blank=True, related_name="+", verbose_name="检查对象（点名）"
    )
    #: A selection instead of (or besides) named enterprises: {"industry": "26", "tag": "…"}.
    selection = models.JSONField("检查对象（筛选条件）", default=dict, blank=True)
    items = models.ManyToManyField(Item, related_name="schemes", verbose_name="检查事项")
    officers = models.ManyToManyField(
        "registry.Officer", related_name="+", verbose_name="检查组成员"
    )
    status = models.CharField(
        "状态", max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("报批时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查方案"
        verbose_name_plural = "检查方案"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="inspections_scheme_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["county_code", "-id"], name="scheme_county_idx")]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# Inspection record (现场检查记录)


class Inspection(RegionScoped):
    number = models.CharField("文书编号", max_length=80, blank=True)
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法机构"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name="被检查单位",
    )
    task = models.ForeignKey(
        "planning.InspectionTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="检查任务",
    )
    scheme = models.ForeignKey(
        InspectionScheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="检查方案",
    )
    item_list = models.ForeignKey(
        ItemList, on_delete=models.PROTECT, related_name="+", verbose_name="检查事项清单"
    )
    kind = models.CharField("检查方式", max_length=20, choices=InspectionKind.choices)
    status = models.CharField(
        "状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    started_at = models.DateTimeField("检查开始时间")
    ended_at = models.DateTimeField("检查结束时间", null=True, blank=True)
    place = models.CharField("检查场所", max_length=300, blank=True)
    officers = models.ManyToManyField(
        "registry.Officer", related_name="inspections", verbose_name="执法人员"
    )
    #: At submit: [{"officer_id", "name", "certificate"}] as certified on the day.
    team_snapshot = models.JSONField("执法人员及证件", default=list, blank=True)
    summary = models.TextField("检查情况", blank=True)
    representative_name = models.CharField("被检查单位负责人", max_length=50, blank=True)
    representative_title = models.CharField("职务", max_length=50, blank=True)
    acknowledgement = models.CharField(
        "负责人签字", max_length=12, choices=Acknowledgement.choices, blank=True, default=""
    )
    refusal_note = models.TextField("拒绝签字情况", blank=True)
    witness_name = models.CharField("见证人", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "现场检查记录"
        verbose_name_plural = "现场检查记录"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="inspections_record_times_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="inspections_record_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-started_at"], name="inspection_enterprise_idx"),
            models.Index(fields=["county_code", "-started_at"], name="inspection_county_idx"),
            models.Index(fields=["agency", "started_at"], name="inspection_agency_idx"),
            models.Index(fields=["created_by", "status"], name="inspection_author_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"现场检查（草稿#{self.pk}）"

    @property
    def is_draft(self) -> bool:
        return self.status == InspectionStatus.DRAFT

    @property
    def inspected_on(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate(self.started_at)


class ItemResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("检查结果", max_length=16, choices=ItemResultValue.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__"

    class Meta:
        verbose_name = "检查事项结果"
        verbose_name_plural = "检查事项结果"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="inspections_result_once_per_item"
            ),
            models.CheckConstraint(
                condition=Q(result__in=ItemResultValue.values), name="inspections_result_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.result}"


class RectificationOrder(models.Model):
    """责令限期整改指令书: the findings to rectify, each with its deadline."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rectification_order"
    )
    number = models.CharField("文书编号", max_length=80)
    issued_on = models.DateField("下达日期")
    deadline = models.DateField("整改期限（最迟）")
    status = models.CharField(
        "状态", max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    closed_on = models.DateField("复查结论日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__"

    class Meta:
        verbose_name = "责令限期整改指令书"
        verbose_name_plural = "责令限期整改指令书"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="order_status_deadline_idx")]

    def __str__(self) -> str:
        return self.number


class OrderOfficer(models.Model):
    """One officer of the team whose inspection issued a rectification order, with the order's
    deadline and whether it is still open, so that an officer's orders to re-inspect ("my tasks")
    are one index range ``(officer, is_open, deadline)`` instead of a walk over every inspection
    the officer ever took part in. Copied from the record at submit and closed with the order,
    only by ``services.submit_inspection`` and ``services.reinspect``."""

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="team")
    officer = models.ForeignKey("registry.Officer", on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)
    deadline = models.DateField()

    objects = ScopedQuerySet.as_manager()
    scope_path = "order__inspection__"

    class Meta:
        verbose_name = "整改指令检查组成员"
        verbose_name_plural = "整改指令检查组成员"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "officer"], name="inspections_order_officer_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["officer", "is_open", "deadline", "order"], name="order_officer_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.officer_id}"


class Reinspection(models.Model):
    """整改复查意见书: the re-inspection of a rectification order."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="reinspections"
    )
    number = models.CharField("文书编号", max_length=80)
    performed_on = models.DateField("复查日期")
    officers = models.ManyToManyField("registry.Officer", related_name="+")
    team_snapshot = models.JSONField("执法人员及证件", default=list)
    outcome = models.CharField("复查结论", max_length=16, choices=ReinspectionOutcome.choices)
    early_reason = models.TextField("期限届满前复查的理由", blank=True)
    notes = models.TextField("复查情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "order__inspection__"

    class Meta:
        verbose_name = "整改复查"
        verbose_name_plural = "整改复查"
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Finding(models.Model):
    """A problem found under one item: a hazard (事故隐患) or violation, with its measure."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("问题描述")
    location = models.CharField("部位", max_length=200, blank=True)
    hazard_level = models.CharField(
        "隐患等级", max_length=12, choices=HazardLevel.choices, default=HazardLevel.ORDINARY
    )
    violation_code = models.CharField("违法行为（法规库代码）", max_length=40, blank=True)
    provision = models.CharField("违反条款", max_length=60, blank=True)
    measure = models.CharField(
        "处理方式", max_length=16, choices=Measure.choices, default=Measure.RECTIFICATION
    )
    deadline = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    propose_case = models.BooleanField("建议立案", default=False)
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    reinspection = models.ForeignKey(
        Reinspection, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    review_note = models.CharField("复查情况", max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__"

    class Meta:
        verbose_name = "检查发现的问题"
        verbose_name_plural = "检查发现的问题"
        ordering = ["inspection_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hazard_level__in=HazardLevel.values),
                name="inspections_finding_level_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="finding_status_deadline_idx")]

    def __str__(self) -> str:
        return self.description[:40]

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status == FindingStatus.OPEN
            and self.measure == Measure.RECTIFICATION
            and self.deadline is not None
            and self.deadline < today
        )


def attachment_path(instance: Attachment, filename: str) -> str:
    return filename  # the service chooses the stored name


class Attachment(models.Model):
    """A photo of a finding or the representative's signature; stored under MEDIA_ROOT with its SHA-256."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="attachments")
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField("类别", max_length=12, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=40)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__"

    class Meta:
        verbose_name = "现场照片/签字"
        verbose_name_plural = "现场照片/签字"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"


class OnSiteMeasure(models.Model):
    """现场处理措施决定 (安全生产法第六十五条第一款第（三）项) for a major hazard."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="onsite_measures"
    )
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="onsite_measures")
    kind = models.CharField("措施", max_length=24, choices=OnSiteMeasureKind.choices)
    target = models.CharField("涉及的设施、设备或区域", max_length=300)
    number = models.CharField("文书编号", max_length=80)
    decided_on = models.DateField("决定日期")
    basis = models.CharField("依据", max_length=60, default="WSL:2021:65:-:3")
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lifted_reason = models.CharField("解除理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__"

    class Meta:
        verbose_name = "现场处理措施"
        verbose_name_plural = "现场处理措施"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class CaseProposal(RegionScoped):
    """A proposal to file a case (立案建议), for the case procedure to take over."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="case_proposals"
    )
    reinspection = models.ForeignKey(
        Reinspection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    findings = models.ManyToManyField(Finding, related_name="case_proposals")
    violation_codes = models.JSONField("违法行为（法规库代码）", default=list)
    reason = models.TextField("建议理由")
    source = models.CharField("来源", max_length=20, choices=ProposalSource.choices)
    status = models.CharField(
        "状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    #: Set by the case procedure when it takes the proposal over (issue #5).
    case_reference = models.CharField("案件编号", max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "立案建议"
        verbose_name_plural = "立案建议"
        ordering = ["-id"]
        indexes = [models.Index(fields=["county_code", "status"], name="proposal_county_idx")]

    def __str__(self) -> str:
        return f"立案建议#{self.pk}"
