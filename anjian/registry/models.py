"""The registry: regions, agencies, officers, enterprises, grids and jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("设区的市")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    ZONE = "zone", _("开发区（园区）")


class Region(models.Model):
    """An administrative division (GB/T 2260 code; townships and zones use 9-digit codes)."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes of the ancestors at each level (the region's own code at its own level): the scope filter.
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)
    is_synthetic = models.BooleanField("演示数据（虚构）", default=False)
    source = models.CharField("来源", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_prefix = ""

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def full_name(self) -> str:
        names = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def contains(self, other: Region) -> bool:
        """True when ``other`` is this region or lies below it."""
        if self.level == RegionLevel.PROVINCE:
            return other.province_code == self.code
        if self.level == RegionLevel.CITY:
            return other.city_code == self.code
        if self.level == RegionLevel.COUNTY:
            return other.county_code == self.code
        return other.code == self.code


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇（街道）")
    ZONE = "zone", _("开发区（园区）")


class AgencyKind(models.TextChoices):
    EMERGENCY_BUREAU = "emergency_bureau", _("应急管理部门")
    ENFORCEMENT_TEAM = "enforcement_team", _("综合行政执法机构")
    TOWNSHIP_GOVERNMENT = "township_government", _("乡镇人民政府（街道办事处）")
    ZONE_COMMITTEE = "zone_committee", _("开发区管理机构")


class Agency(models.Model):
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("文号简称", max_length=20, help_text="用于文书编号，如“苏宁鼓”")
    level = models.CharField("层级", max_length=16, choices=AgencyLevel.choices)
    kind = models.CharField("类型", max_length=32, choices=AgencyKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("在用", default=True)
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法机构"
        verbose_name_plural = "执法机构"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="registry_agency_unique_name")]

    def __str__(self) -> str:
        return self.name

    def delegations_in_force(self, on: dt.date) -> models.QuerySet[Delegation]:
        """Every delegation of this agency in force on ``on`` (valid_from ≤ on ≤ valid_to)."""
        return (
            self.delegations.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("valid_from", "pk")
        )

    def delegation_in_force(self, on: dt.date) -> Delegation | None:
        return self.delegations_in_force(on).first()


class DelegationKind(models.TextChoices):
    AUTHORIZATION = "authorization", _("省级决定赋权（行政处罚法第二十四条）")
    ENTRUSTMENT = "entrustment", _("书面委托（行政处罚法第二十条）")


class Delegation(models.Model):
    """Penalty power held by a township or development-zone agency."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="delegations", verbose_name="受权机构"
    )
    kind = models.CharField("方式", max_length=16, choices=DelegationKind.choices)
    delegating_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_given",
        verbose_name="委托机关",
    )
    scope = models.TextField("权限范围")
    violation_codes = models.JSONField("可处罚违法行为代码（前缀）", default=list, blank=True)
    instrument_number = models.CharField("文件文号", max_length=100)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    # Set when the delegation is ended early (revoked, withdrawn, superseded): why, and by which act.
    end_reason = models.CharField("终止理由", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "处罚权授权/委托"
        verbose_name_plural = "处罚权授权/委托"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="registry_delegation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}：{self.get_kind_display()} {self.instrument_number}"

    def covers(self, violation_code: str) -> bool:
        return not self.violation_codes or any(
            violation_code.startswith(p) for p in self.violation_codes
        )


class Officer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="officer",
        verbose_name="用户",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name="所属机构"
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("岗位", max_length=100, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "agency__region"

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return self.name

    def valid_certificate(self, on: dt.date) -> Certificate | None:
        for certificate in self.certificates.all():
            if certificate.is_valid_on(on):
                return certificate
        return None


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")


class Certificate(models.Model):
    """Enforcement certificate (执法证)."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="certificates", verbose_name="执法人员"
    )
    number = models.CharField("证件编号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    status = models.CharField(
        "状态", max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="registry_certificate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, on: dt.date) -> bool:
        return self.status == CertificateStatus.VALID and self.valid_from <= on <= self.valid_to


class Industry(models.Model):
    """National economic industry classification (GB/T 4754-2017): sections, divisions, groups, classes."""

    code = models.CharField("行业代码", max_length=5, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField(
        "层级",
        max_length=10,
        choices=[("section", "门类"), ("division", "大类"), ("group", "中类"), ("class", "小类")],
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "国民经济行业"
        verbose_name_plural = "国民经济行业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Grid(models.Model):
    name = models.CharField("网格名称", max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="grids", verbose_name="所在乡镇（街道）"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="grids", verbose_name="负责机构"
    )
    responsible_officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grids",
        verbose_name="责任执法人员",
    )
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="registry_grid_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("在营")
    SUSPENDED = "suspended", _("停产停业")
    CLOSED = "closed", _("关闭")
    CANCELLED = "cancelled", _("注销")


class RiskGrade(models.TextChoices):
    MAJOR = "major", _("重大风险（红）")
    HIGH = "high", _("较大风险（橙）")
    MODERATE = "moderate", _("一般风险（黄）")
    LOW = "low", _("低风险（蓝）")


class Enterprise(models.Model):
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    legal_representative = models.CharField("法定代表人", max_length=50)
    address = models.CharField("地址", max_length=300)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name="所在区划"
    )
    grid = models.ForeignKey(
        Grid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name="网格",
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="enterprises", verbose_name="行业"
    )
    employees = models.PositiveIntegerField("从业人员数", default=0)
    revenue = models.DecimalField("营业收入（万元）", max_digits=14, decimal_places=2, default=0)
    status = models.CharField(
        "状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    risk_grade = models.CharField(
        "风险等级", max_length=16, choices=RiskGrade.choices, default=RiskGrade.LOW
    )
    supervising_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_enterprises",
        verbose_name="监管机构",
    )
    province_code = models.CharField(max_length=12)
    city_code = models.CharField(max_length=12, blank=True)
    county_code = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "生产经营单位"
        verbose_name_plural = "生产经营单位"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["county_code", "-id"], name="enterprise_county_idx"),
            models.Index(fields=["city_code", "-id"], name="enterprise_city_idx"),
            models.Index(fields=["region", "-id"], name="enterprise_region_idx"),
            models.Index(fields=["supervising_agency", "status"], name="enterprise_agency_idx"),
            models.Index(
                fields=["uscc"],
                name="enterprise_uscc_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KeyTag(models.TextChoices):
    COAL_MINE = "coal_mine", _("煤矿")
    NON_COAL_MINE = "non_coal_mine", _("非煤矿山")
    HAZCHEM_PRODUCTION = "hazchem_production", _("危险化学品生产")
    HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营")
    HAZCHEM_STORAGE = "hazchem_storage", _("危险化学品储存")
    AMMONIA_REFRIGERATION = "ammonia_refrigeration", _("涉氨制冷")
    COMBUSTIBLE_DUST = "combustible_dust", _("粉尘涉爆")
    CONFINED_SPACE = "confined_space", _("有限空间作业")
    MAJOR_HAZARD_SOURCE = "major_hazard_source", _("重大危险源")
    BLACKLIST = "blacklist", _("安全生产失信（黑名单）")
    LABOUR_INTENSIVE = "labour_intensive", _("劳动密集型")
    OCCUPATIONAL_HAZARD = "occupational_hazard", _("职业病危害严重")


class EnterpriseTag(models.Model):
    """A key-supervision tag of clause (六): grade for a major hazard source, period and reason for the blacklist."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField("重点监管类别", max_length=32, choices=KeyTag.choices)
    grade = models.PositiveSmallIntegerField("重大危险源等级", null=True, blank=True)
    valid_from = models.DateField("起", null=True, blank=True)
    valid_to = models.DateField("止", null=True, blank=True)
    reason = models.CharField("原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "重点监管标签"
        verbose_name_plural = "重点监管标签"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "tag"], name="registry_tag_once"),
            models.CheckConstraint(condition=Q(tag__in=KeyTag.values), name="registry_tag_known"),
            models.CheckConstraint(
                condition=~Q(tag="major_hazard_source") | Q(grade__gte=1, grade__lte=4),
                name="registry_major_hazard_has_grade",
            ),
            models.CheckConstraint(
                condition=~Q(tag="blacklist") | (Q(valid_from__isnull=False) & ~Q(reason="")),
                name="registry_blacklist_has_period_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["tag", "enterprise"], name="enterprise_tag_idx")]

    def __str__(self) -> str:
        return self.get_tag_display()

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "grade": self.grade,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "reason": self.reason,
        }


class JurisdictionClaim(models.Model):
    """An agency's claim to supervise an enterprise (e.g. from its own roster); checked against the assignment.

    Filed by the claiming agency (``services.claim_jurisdiction``), withdrawn by it
    (``withdraw_claim``), decided by whoever manages jurisdiction over the enterprise
    (``decide_claim``: upheld, the claimant becomes the supervising agency and the other claims are
    withdrawn; rejected, the claim is withdrawn). A claim has no status: a claim that exists is open.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="claims")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Visible where its enterprise is (a claim by an agency of another county on an enterprise of
    # the user's county is the user's to decide).
    objects = ScopedQuerySet.as_manager()
    scope_path = "enterprise__"

    class Meta:
        verbose_name = "管辖申报"
        verbose_name_plural = "管辖申报"
        constraints = [
            models.UniqueConstraint(fields=["agency", "enterprise"], name="registry_claim_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}→{self.enterprise_id}"


# ---------------------------------------------------------------------------------------------
# Excel import of an enterprise directory (anjian/registry/imports.py does the work)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    VALIDATING = "validating", _("正在校验")
    IMPORTING = "importing", _("正在写入")
    SUCCEEDED = "succeeded", _("导入成功")
    FAILED = "failed", _("未导入")


def import_upload_path(instance: ImportJob, filename: str) -> str:
    """Uploaded files are stored under a random name; the original name is kept on the job."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    """One uploaded enterprise directory and the background job that validates and imports it.

    Scoped through the importing officer's agency (``scope_path``); all state lives in the database
    and under MEDIA_ROOT, so any web process or worker can serve or run it.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="导入人",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name="所属机构",
    )
    file = models.FileField("上传文件", upload_to=import_upload_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已校验行数", default=0)
    created_rows = models.PositiveIntegerField("已导入单位数", default=0)
    error_count = models.PositiveIntegerField("问题数", default=0)
    errors_preview = models.JSONField("问题（前100条）", default=list, blank=True)
    error_report = models.FileField(
        "问题清单", upload_to="imports/reports/", max_length=200, blank=True
    )
    message = models.CharField("说明", max_length=500, blank=True)
    message_en = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "单位名录导入"
        verbose_name_plural = "单位名录导入"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="registry_import_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def percent(self) -> int | None:
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if not self.total_rows:
            return None
        return min(100, self.processed_rows * 100 // self.total_rows)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("已过期")


def export_file_path(instance: ExportJob, filename: str) -> str:
    """Export files are stored under a random name (the download names them after the list)."""
    import uuid

    from django.utils import timezone

    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A list export written in the background (``anjian/registry/export_jobs.py``).

    The list is named (``anjian.core.exports``) and its filters kept as data; the worker rebuilds the
    rows for the requesting user when it runs, through the list's scoped selector. Only the
    requester reads the job and its file (``export_jobs.export_jobs``); the file lies under
    MEDIA_ROOT until it expires (``anjian expire_exports``).
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="导出人",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_jobs",
        verbose_name="所属机构",
    )
    list_name = models.CharField("列表", max_length=64)
    title = models.CharField("列表名称", max_length=100)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField("记录数", default=0)
    processed_rows = models.PositiveIntegerField("已写入行数", default=0)
    row_count = models.PositiveIntegerField("文件行数", default=0)
    file = models.FileField("文件", upload_to=export_file_path, max_length=200, blank=True)
    file_sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    message_en = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件保留至", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "列表导出"
        verbose_name_plural = "列表导出"
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="registry_export_by_user")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="registry_export_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.SUCCEEDED, ExportStatus.FAILED, ExportStatus.EXPIRED}

    @property
    def percent(self) -> int | None:
        if self.status == ExportStatus.SUCCEEDED:
            return 100
        if not self.total_rows:
            return None
        return min(100, self.processed_rows * 100 // self.total_rows)


# ---------------------------------------------------------------------------------------------
# Temporary jurisdiction (交叉执法 / 异地执法): honoured by the one scoping point, scope.py


class ScopeGrant(models.Model):
    """Officers of region A may act in region B for a while (a cross-region operation).

    Granted to one officer or to a whole agency; active on the days valid_from..valid_to
    (inclusive) unless revoked. ``anjian.registry.scope.scope_for`` adds each active grant's
    region to the holder's visible set; when it expires, B's records are 404 again.
    """

    officer = models.ForeignKey(
        Officer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scope_grants",
        verbose_name="执法人员",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scope_grants",
        verbose_name="执法机构",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="scope_grants", verbose_name="授权区域"
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期")
    operation_reference = models.CharField("行动编号", max_length=60)
    reason = models.CharField("事由", max_length=300)
    granting_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="scope_grants_given",
        verbose_name="授权机关",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="授权人",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "临时管辖授权"
        verbose_name_plural = "临时管辖授权"
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, agency__isnull=True)
                | Q(officer__isnull=True, agency__isnull=False),
                name="registry_grant_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="registry_grant_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "valid_to"], name="grant_officer_idx"),
            models.Index(fields=["agency", "valid_to"], name="grant_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.operation_reference}: {self.region_id} {self.valid_from}–{self.valid_to}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to
