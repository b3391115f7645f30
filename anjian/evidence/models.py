"""Evidence (证据): the eight lawful kinds, their files with SHA-256, the custody trail, and
evidence preservation (先行登记保存).

Evidence belongs to the agency that collected it and to the party (enterprise) it concerns; the
penalty procedure (``anjian.cases``, a higher layer) links evidence to a case and to the elements
of each violation it proves. This app knows nothing of cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet


class EvidenceKind(models.TextChoices):
    """行政处罚法第四十六条第一款: the eight lawful kinds of evidence."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    INSPECTION_RECORD = "inspection_record", _("勘验笔录、现场笔录")


class CollectionMethod(models.TextChoices):
    ON_SITE_PHOTO = "on_site_photo", _("现场拍照、录音录像")
    SITE_INSPECTION = "site_inspection", _("现场检查、勘验")
    INTERVIEW = "interview", _("询问（制作笔录）")
    COPY = "copy", _("调取、复制")
    SUBMITTED = "submitted", _("当事人或者有关人员提交")
    SAMPLING = "sampling", _("抽样取证")
    PRESERVATION = "preservation", _("先行登记保存")
    EXPERT = "expert", _("委托鉴定、检测")
    ELECTRONIC_EXTRACTION = "electronic_extraction", _("电子数据提取")
    OTHER = "other", _("其他")


class CustodyStatus(models.TextChoices):
    COLLECTED = "collected", _("已收集")
    SEALED = "sealed", _("已封存")
    TRANSFERRED = "transferred", _("已移交")
    RETURNED = "returned", _("已退还")
    DESTROYED = "destroyed", _("已销毁")


class Evidence(models.Model):
    agency = models.ForeignKey(
        "registry.Agency",
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name="收集机构",
    )
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划"
    )
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name="涉及单位",
    )
    kind = models.CharField("证据种类", max_length=24, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("内容摘要", blank=True)
    collected_at = models.DateTimeField("收集时间")
    place = models.CharField("收集地点", max_length=300)
    source = models.CharField("来源（提供人、持有人）", max_length=200)
    method = models.CharField("收集方式", max_length=32, choices=CollectionMethod.choices)
    method_note = models.CharField("收集方式说明", max_length=300, blank=True)
    collectors = models.ManyToManyField(
        "registry.Officer", related_name="collected_evidence", verbose_name="收集人"
    )
    custody_status = models.CharField(
        "保管状态", max_length=16, choices=CustodyStatus.choices, default=CustodyStatus.COLLECTED
    )
    holder = models.CharField("保管人（保管地点）", max_length=200, blank=True)
    is_excluded = models.BooleanField("已排除（非法证据）", default=False)
    exclusion_reason = models.CharField("排除理由", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["collected_at", "id"]
        indexes = [models.Index(fields=["agency", "collected_at"], name="evidence_agency_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_lawful"
            ),
            models.CheckConstraint(
                condition=Q(custody_status__in=CustodyStatus.values),
                name="evidence_custody_status_known",
            ),
            models.CheckConstraint(
                condition=Q(is_excluded=False) | ~Q(exclusion_reason=""),
                name="evidence_exclusion_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_usable(self) -> bool:
        """May prove a fact: not excluded as unlawfully obtained (行政处罚法第四十六条第三款)."""
        return not self.is_excluded


def evidence_upload_path(instance: EvidenceFile, filename: str) -> str:
    """Files are stored under a random name; the original name is kept on the row."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", upload_to=evidence_upload_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据文件"
        verbose_name_plural = "证据文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", _("收集")
    SEALED = "sealed", _("封存")
    TRANSFERRED = "transferred", _("移交")
    RETURNED = "returned", _("退还")
    DESTROYED = "destroyed", _("销毁")


class CustodyEvent(models.Model):
    """One link of the chain of custody. Append-only (the service never updates or deletes)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody_events")
    action = models.CharField("动作", max_length=16, choices=CustodyAction.choices)
    occurred_at = models.DateTimeField("发生时间")
    from_holder = models.CharField("交出人", max_length=200, blank=True)
    to_holder = models.CharField("接收人（保管地点）", max_length=200, blank=True)
    place = models.CharField("地点", max_length=300, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据保管记录"
        verbose_name_plural = "证据保管记录"
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=CustodyAction.values), name="evidence_custody_action_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}:{self.action}"


class PreservationDecision(models.TextChoices):
    """Handling decisions on preserved evidence (行政处罚法第五十六条 “及时作出处理决定”)."""

    RELEASE = "release", _("解除先行登记保存，退还当事人")
    RECORD_AND_RETURN = "record_and_return", _("记录、复制、拍照后退还")
    SEND_FOR_TESTING = "send_for_testing", _("送交检测、检验、鉴定")
    SEIZE = "seize", _("依法采取查封、扣押措施")
    TRANSFER = "transfer", _("移送有关机关处理")
    CONFISCATE = "confiscate", _("依法予以没收（随处罚决定）")


class Preservation(models.Model):
    """先行登记保存 (行政处罚法第五十六条): approved by the head of the agency; a handling decision
    within seven working days (Art 85)."""

    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="preservations"
    )
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=12, db_index=True)
    city_code = models.CharField(max_length=12, blank=True, db_index=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.ManyToManyField(
        Evidence, related_name="preservations", verbose_name="保存物品"
    )
    items = models.TextField("物品清单")
    place = models.CharField("保存地点", max_length=300)
    approved_by = models.ForeignKey(
        "registry.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人（行政机关负责人）",
    )
    approved_on = models.DateField("批准日期")
    started_on = models.DateField("保存日期")
    due_on = models.DateField("处理决定期限", null=True, blank=True)
    due_rule = models.CharField("期限规则", max_length=64, blank=True)
    due_flags = models.JSONField("期限标记", default=list, blank=True)
    decided_on = models.DateField("处理决定日期", null=True, blank=True)
    decision = models.CharField(
        "处理决定", max_length=24, choices=PreservationDecision.choices, blank=True
    )
    decision_note = models.CharField("处理说明", max_length=500, blank=True)
    late_reason = models.CharField("逾期作出决定的理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "先行登记保存"
        verbose_name_plural = "先行登记保存"
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__gte=models.F("approved_on")),
                name="evidence_preservation_after_approval",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | ~Q(decision=""),
                name="evidence_preservation_decision_named",
            ),
        ]

    def __str__(self) -> str:
        return f"先行登记保存 {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None
