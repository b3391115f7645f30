"""Planning: annual plans, random draws and operations break down into inspection tasks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet


class TaskKind(models.TextChoices):
    PLANNED = "planned", _("计划检查")
    RANDOM_DRAW = "random_draw", _("双随机抽查")
    COMPLAINT = "complaint", _("举报核查")
    JOINT = "joint", _("联合执法")
    CROSS_REGION = "cross_region", _("交叉执法")
    COVERT = "covert", _("暗查暗访")
    SPECIAL = "special", _("专项检查")
    REINSPECTION = "reinspection", _("整改复查")
    ACCIDENT = "accident", _("事故调查")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待检查")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# ---------------------------------------------------------------------------------------------
# Teams


class Team(models.Model):
    """An inspection team (执法中队/检查组) of one agency: the unit that monthly tasks go to."""

    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="teams", verbose_name="执法机构"
    )
    name = models.CharField("名称", max_length=100)
    officers = models.ManyToManyField("registry.Officer", related_name="teams", verbose_name="成员")
    is_active = models.BooleanField("在用", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "检查组"
        verbose_name_plural = "检查组"
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="planning_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Annual plans


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报请批准")
    APPROVED = "approved", _("已批准")
    FILED = "filed", _("已备案")
    IN_FORCE = "in_force", _("执行中")


class AnnualPlan(models.Model):
    """安全生产年度监督检查计划 of one agency for one year (安全生产法第六十二条)."""

    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    parameters = models.JSONField("编制参数", default=dict)
    capacity = models.JSONField("月度检查能力（人·日）", default=list)
    solution = models.JSONField("求解结果", default=dict, blank=True)
    is_stale = models.BooleanField("参数已改、需重新编制", default=True)
    built_at = models.DateTimeField("编制时间", null=True, blank=True)
    rules_version = models.CharField("频次规则版本", max_length=50, blank=True)
    approval_document = models.CharField("批准文号", max_length=100, blank=True)
    approved_by = models.CharField("批准机关", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    filing_document = models.CharField("备案文号/回执", max_length=100, blank=True)
    filed_with = models.ForeignKey(
        "registry.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_plans",
        verbose_name="备案机关",
    )
    filed_on = models.DateField("备案日期", null=True, blank=True)
    in_force_on = models.DateField("下达日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "年度执法计划"
        verbose_name_plural = "年度执法计划"
        ordering = ["-year", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="planning_plan_once_a_year"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="planning_plan_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"PLAN-{self.year}-{self.agency_id}-v{self.version}"

    @property
    def shortfall_classes(self) -> list[dict[str, Any]]:
        return [c for c in self.solution.get("classes", []) if c.get("shortfall", 0) > 0]


class PlanEvent(models.Model):
    """One status change of a plan (old, new, actor, reason, basis, time) — never edited."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveSmallIntegerField("版本")
    action = models.CharField("操作", max_length=20)
    old_status = models.CharField("原状态", max_length=16)
    new_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField("理由", blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    details = models.JSONField("其他", default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "计划状态变更"
        verbose_name_plural = "计划状态变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action} {self.old_status}→{self.new_status}"


class PlanEnterprise(models.Model):
    """One enterprise in one plan: its class, risk weight and named inspections (months)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="plan_entries"
    )
    class_code = models.CharField("类别", max_length=8)
    group_key = models.CharField("分组", max_length=20)
    risk_weight = models.FloatField("风险权重")
    named_visits = models.PositiveSmallIntegerField("计划检查次数", default=0)
    months = models.JSONField("检查月份", default=list)
    in_random_pool = models.BooleanField("纳入随机抽查", default=False)
    is_manual = models.BooleanField("人工调整", default=False)

    objects = ScopedQuerySet.as_manager()
    scope_path = "enterprise__"

    class Meta:
        verbose_name = "计划内单位"
        verbose_name_plural = "计划内单位"
        ordering = ["class_code", "-risk_weight", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "enterprise"], name="planning_plan_enterprise_once"
            )
        ]
        indexes = [models.Index(fields=["enterprise", "plan"], name="plan_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.enterprise_id}"


# ---------------------------------------------------------------------------------------------
# Conflicts of interest (回避, 行政处罚法第四十三条)


class ConflictKind(models.TextChoices):
    RELATION = "relation", _("近亲属或其他利害关系")
    FORMER_EMPLOYER = "former_employer", _("曾任职单位")
    OTHER = "other", _("其他可能影响公正执法的关系")


class ConflictDeclaration(models.Model):
    officer = models.ForeignKey(
        "registry.Officer", on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="officer_conflicts"
    )
    kind = models.CharField("关系", max_length=20, choices=ConflictKind.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    declared_on = models.DateField("申报日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "officer__"
    scope_region_field = "agency__region"

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        ordering = ["officer_id", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "enterprise", "kind"], name="planning_conflict_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ConflictKind.values), name="planning_conflict_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}×{self.enterprise_id} {self.kind}"


# ---------------------------------------------------------------------------------------------
# Random draws


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("待冻结")
    COMMITTED = "committed", _("已冻结并公示")
    DRAWN = "drawn", _("已抽取")
    PUBLISHED = "published", _("结果已公示")
    VOID_REQUESTED = "void_requested", _("作废待批准")
    VOIDED = "voided", _("已作废")


class Draw(models.Model):
    """A random draw of enterprises and officers, frozen, committed, drawn and published."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="draws")
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="draws"
    )
    number = models.CharField("编号", max_length=60, unique=True)
    title = models.CharField("名称", max_length=200)
    month = models.DateField("检查月份（当月1日）")
    due_date = models.DateField("最迟完成日期")
    status = models.CharField(
        "状态", max_length=16, choices=DrawStatus.choices, default=DrawStatus.DRAFT
    )
    filters = models.JSONField("名录库筛选条件", default=dict)
    strata = models.JSONField("抽取层", default=list)
    team_size = models.PositiveSmallIntegerField("每组人数", default=2)
    exclude_same_grid = models.BooleanField("回避本网格执法人员", default=False)
    items = models.JSONField("抽查事项", default=list)
    # Frozen at commit (canonical JSON text, exactly what was hashed).
    directory_json = models.TextField("名录库快照", blank=True)
    pool_json = models.TextField("执法人员库快照", blank=True)
    parameters_json = models.TextField("抽取参数", blank=True)
    commit_json = models.TextField("冻结公示", blank=True)
    directory_sha256 = models.CharField(max_length=64, blank=True)
    pool_sha256 = models.CharField(max_length=64, blank=True)
    parameters_sha256 = models.CharField(max_length=64, blank=True)
    commit_sha256 = models.CharField(max_length=64, blank=True)
    seed_description = models.CharField("种子来源", max_length=300, blank=True)
    seed_value_date = models.DateField("种子公开日期", null=True, blank=True)
    seed_commitment_sha256 = models.CharField(max_length=64, blank=True)
    committed_at = models.DateTimeField("冻结时间", null=True, blank=True)
    seed_value = models.CharField("种子数值", max_length=100, blank=True)
    result_json = models.TextField("抽取结果", blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    status_before_void = models.CharField(max_length=16, blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    void_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_document = models.CharField("作废批准文号", max_length=100, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="重新抽取（替代被作废的抽取）",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "随机抽查"
        verbose_name_plural = "随机抽查"
        ordering = ["-month", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DrawStatus.values), name="planning_draw_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["drawn", "published"]) | ~Q(commit_sha256=""),
                name="planning_draw_needs_commitment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DrawEvent(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    old_status = models.CharField("原状态", max_length=16)
    new_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField("理由", blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    details = models.JSONField("其他", default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "抽查状态变更"
        verbose_name_plural = "抽查状态变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.action} {self.old_status}→{self.new_status}"


# ---------------------------------------------------------------------------------------------
# Operations and inspection schemes


class OperationKind(models.TextChoices):
    JOINT = "joint", _("联合执法")
    CROSS_REGION = "cross_region", _("交叉执法（异地执法）")
    COVERT = "covert", _("暗查暗访")
    SPECIAL = "special", _("专项执法行动")


class OperationStatus(models.TextChoices):
    ACTIVE = "active", _("实施中")
    CLOSED = "closed", _("已结束")


class Operation(models.Model):
    """A joint, cross-region, covert or special operation: participants, a scheme, tasks."""

    kind = models.CharField("类型", max_length=20, choices=OperationKind.choices)
    number = models.CharField("编号", max_length=60, unique=True)
    title = models.CharField("名称", max_length=200)
    lead_agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="led_operations"
    )
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name="实施区域",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    basis_document = models.CharField("依据文件", max_length=200, blank=True)
    is_covert = models.BooleanField("暗查暗访（不发通知、不打招呼）", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=OperationStatus.choices, default=OperationStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "lead_agency__"

    class Meta:
        verbose_name = "执法行动"
        verbose_name_plural = "执法行动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="planning_operation_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OperationKind.values), name="planning_operation_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class OperationParticipant(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="operation_roles"
    )
    role = models.CharField("职责", max_length=100, blank=True)

    class Meta:
        verbose_name = "参与机构"
        verbose_name_plural = "参与机构"
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "agency"], name="planning_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}:{self.agency_id}"


class InspectionScheme(models.Model):
    """执法检查方案: scope, items, method and period of a plan's month or of an operation."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, null=True, blank=True, related_name="scheme"
    )
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="schemes"
    )
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("方案名称", max_length=200)
    scope = models.TextField("检查范围")
    items = models.JSONField("检查事项（清单编号）", default=list)
    method = models.CharField("检查方式", max_length=200)
    officer_requirement = models.CharField("人员要求", max_length=200, blank=True)
    period_from = models.DateField("起")
    period_to = models.DateField("止")
    is_covert = models.BooleanField("暗查暗访", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "执法检查方案"
        verbose_name_plural = "执法检查方案"
        ordering = ["-period_from", "-id"]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# Public notices (公示): readable by anyone once published


class NoticeKind(models.TextChoices):
    ITEM_LIST = "item_list", _("抽查事项清单")
    PLAN = "plan", _("抽查计划公告")
    TASK = "task", _("抽查任务公告")
    RESULT = "result", _("抽查结果公告")
    VOID = "void", _("抽查作废公告")


class PublicNotice(models.Model):
    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices)
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="notices")
    title = models.CharField("标题", max_length=200)
    reference = models.CharField("关联编号", max_length=60)
    body = models.JSONField("内容", default=dict)
    published_at = models.DateTimeField("发布时间")
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    draw = models.ForeignKey(
        Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )

    class Meta:
        verbose_name = "公示公告"
        verbose_name_plural = "公示公告"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="planning_notice_once"),
        ]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# The unit of work


class InspectionTask(models.Model):
    """One inspection to carry out: which enterprise, by which agency and team, in which month.

    Created by the planning layer (plans, draws, operations) or by hand; completed by the
    inspections layer through ``planning.services.complete_task`` when a record is submitted.
    """

    agency = models.ForeignKey(
        "registry.Agency",
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
        verbose_name="执法机构",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
        verbose_name="检查对象",
    )
    officers = models.ManyToManyField(
        "registry.Officer", related_name="inspection_tasks", blank=True, verbose_name="检查组"
    )
    kind = models.CharField(
        "任务类型", max_length=20, choices=TaskKind.choices, default=TaskKind.PLANNED
    )
    month = models.DateField("计划月份（当月1日）")
    due_date = models.DateField("最迟完成日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    title = models.CharField("任务名称", max_length=200, blank=True)
    source_reference = models.CharField("来源（计划、抽查、行动编号）", max_length=100, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    completed_by_reference = models.CharField(
        "完成记录（检查记录编号）", max_length=100, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Added by issue #7: where the task came from, the team, and the covert marker.
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    draw = models.ForeignKey(
        Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    is_covert = models.BooleanField("暗查暗访（不事先通知）", default=False)
    cancel_reason = models.CharField("取消理由", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "enterprise__"

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["month", "id"]
        indexes = [
            models.Index(fields=["agency", "month", "status"], name="task_agency_month_idx"),
            models.Index(fields=["status", "due_date"], name="task_status_due_idx"),
            models.Index(fields=["plan", "month", "status"], name="task_plan_month_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.enterprise_id}@{self.month:%Y-%m}"
