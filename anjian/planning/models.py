"""Planning: annual plans, random draws and operations break down into inspection tasks."""

from __future__ import annotations

from django.db import models

from anjian.registry.scope import ScopedQuerySet


class TaskKind(models.TextChoices):
    PLANNED = "planned", "计划检查"
    RANDOM_DRAW = "random_draw", "双随机抽查"
    COMPLAINT = "complaint", "举报核查"
    JOINT = "joint", "联合执法"
    CROSS_REGION = "cross_region", "交叉执法"
    COVERT = "covert", "暗查暗访"
    SPECIAL = "special", "专项检查"
    REINSPECTION = "reinspection", "整改复查"
    ACCIDENT = "accident", "事故调查"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待检查"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class InspectionTask(models.Model):
    """One inspection to carry out: which enterprise, by which agency and team, in which month.

    Created by the planning layer (plans, draws, operations) or by hand; completed by the
    inspections layer through ``planning.services.complete_task`` when a record is submitted.
    """

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="inspection_tasks",
                               verbose_name="执法机构")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT,
                                   related_name="inspection_tasks", verbose_name="检查对象")
    officers = models.ManyToManyField("registry.Officer", related_name="inspection_tasks", blank=True,
                                      verbose_name="检查组")
    kind = models.CharField("任务类型", max_length=20, choices=TaskKind.choices, default=TaskKind.PLANNED)
    month = models.DateField("计划月份（当月1日）")
    due_date = models.DateField("最迟完成日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    title = models.CharField("任务名称", max_length=200, blank=True)
    source_reference = models.CharField("来源（计划、抽查、行动编号）", max_length=100, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    completed_by_reference = models.CharField("完成记录（检查记录编号）", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "enterprise__"

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["month", "id"]
        indexes = [
            models.Index(fields=["agency", "month", "status"], name="task_agency_month_idx"),
            models.Index(fields=["status", "due_date"], name="task_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.enterprise_id}@{self.month:%Y-%m}"
