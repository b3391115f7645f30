"""Database-held parts of the law layer. The legal catalog itself is versioned data in the repository
(anjian/law/data/); the database holds what administrators add at run time."""

from __future__ import annotations

from django.db import models

from anjian.registry.scope import ScopedQuerySet


class CalendarOverride(models.Model):
    """An arrangement of working days the holiday library does not know yet (国务院办公厅 notice).

    ``is_working_day`` True marks a make-up working day (调休上班), False a rest day. A row with
    ``declares_year`` set says the whole year's arrangement has been entered, so the calendar may
    compute deadlines in that year even though the library does not know it.
    """

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明（文件）", max_length=200)
    declares_year = models.BooleanField("该年安排已完整录入", default=False)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'班' if self.is_working_day else '休'}"


class DecisionRecord(models.Model):
    """A decided penalty (historic or from the case procedure), for the like-cases consistency report."""

    reference = models.CharField("案件编号", max_length=100, unique=True)
    agency_name = models.CharField("机构", max_length=100, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="区划",
    )
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)
    violation_code = models.CharField("违法行为代码", max_length=40, db_index=True)
    party = models.CharField("当事人类型", max_length=32)
    stage = models.CharField("阶段", max_length=32, default="first_order")
    circumstances = models.JSONField("情节", default=list, blank=True)
    act_date = models.DateField("违法行为日期")
    decision_date = models.DateField("决定日期")
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2)
    accident_grade = models.CharField("事故等级", max_length=32, blank=True)
    illegal_gains = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    last_year_income = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "处罚决定记录"
        verbose_name_plural = "处罚决定记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="law_decision_amount_nonnegative"
            )
        ]

    def __str__(self) -> str:
        return self.reference
