"""Enforcement documents: the issued record, its number, its files and hashes, its delivery.

A ``Document`` is drafted from a context (the plain data an upper app builds from its record),
issued once (numbered, rendered to PDF and DOCX, both frozen with their SHA-256), possibly voided
(keeping its number, with the reason) and delivered (one or more ``DeliveryReceipt`` rows). Every
status change writes a ``DocumentEvent``. Numbers come from ``DocumentCounter`` rows, one per
(agency, code, year), locked while a number is taken: gapless and never duplicated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.registry.scope import ScopedQuerySet


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")
    DELIVERED = "delivered", _("已送达")
    VOIDED = "voided", _("已作废")


class DeliveryMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    LEFT_AT_PREMISES = "left_at_premises", _("留置送达")
    POST = "post", _("邮寄送达")
    PUBLIC_ANNOUNCEMENT = "public_announcement", _("公告送达")
    ELECTRONIC = "electronic", _("电子送达（经受送达人同意）")


class AgencyProfile(models.Model):
    """What an agency's documents print besides its name: remedies bodies, payment account, address.

    Without these a decision cannot be issued (the refusal names the missing setting).
    """

    agency = models.OneToOneField(
        "registry.Agency",
        on_delete=models.CASCADE,
        related_name="document_profile",
        verbose_name="执法机构",
    )
    review_body = models.CharField(
        "行政复议机关", max_length=100, blank=True, help_text="如：南京市玄武区人民政府"
    )
    court = models.CharField(
        "管辖人民法院", max_length=100, blank=True, help_text="如：南京市玄武区人民法院"
    )
    payment_bank = models.CharField("罚款代收银行", max_length=100, blank=True)
    payment_account = models.CharField("罚款缴款账号", max_length=60, blank=True)
    address = models.CharField("机关地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agency__"

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.agency_id} 文书设置"

    def as_issuer(self) -> dict[str, str]:
        return {
            "review_body": self.review_body,
            "court": self.court,
            "payment_bank": self.payment_bank,
            "payment_account": self.payment_account,
            "address": self.address,
            "phone": self.phone,
        }


class DocumentCounter(models.Model):
    """The last sequence number taken for one code of one agency in one year."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("文书代字", max_length=10)
    year = models.PositiveIntegerField("年度")
    last_sequence = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文书编号计数"
        verbose_name_plural = "文书编号计数"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "year"], name="documents_counter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.code}:{self.year}:{self.last_sequence}"


def document_file_path(instance: Document, filename: str) -> str:
    return filename  # the service chooses the stored name


class Document(models.Model):
    type_id = models.CharField("文书类型", max_length=40)
    catalogue_version = models.CharField("目录版本", max_length=20)
    agency = models.ForeignKey(
        "registry.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="制作机关"
    )
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在区划"
    )
    province_code = models.CharField(max_length=12)
    city_code = models.CharField(max_length=12, blank=True)
    county_code = models.CharField(max_length=12, blank=True)
    #: The record the document was made from, e.g. ("inspections.inspection", "12").
    subject_type = models.CharField("对象类型", max_length=60)
    subject_id = models.CharField("对象标识", max_length=40)
    #: Groups the documents of one case file, e.g. "cases.case:7" ("" when none).
    case_key = models.CharField("案卷", max_length=80, blank=True, db_index=True)
    title = models.CharField("摘要", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    context = models.JSONField("内容数据", default=dict)
    #: The laid-out content (frozen at issue): what both files were drawn from.
    content = models.JSONField("版式内容", null=True, blank=True)
    code = models.CharField("文书代字", max_length=10, blank=True)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("文号", max_length=80, blank=True)
    document_date = models.DateField("文书日期", null=True, blank=True)
    pdf = models.FileField("PDF", upload_to=document_file_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True, db_index=True)
    docx = models.FileField("DOCX", upload_to=document_file_path, max_length=200, blank=True)
    docx_sha256 = models.CharField("DOCX SHA-256", max_length=64, blank=True, db_index=True)
    page_count = models.PositiveIntegerField("页数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废理由", max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="documents_number_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="documents_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="voided", issued_at__isnull=True)
                | (Q(issued_at__isnull=False) & ~Q(pdf_sha256="")),
                name="documents_issued_has_time_and_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""),
                name="documents_voided_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx"),
            models.Index(fields=["county_code", "-id"], name="document_county_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.type_id}#{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status in {DocumentStatus.ISSUED, DocumentStatus.DELIVERED}


class DocumentEvent(models.Model):
    """One status change of a document (old, new, actor, reason, time)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    action = models.CharField("动作", max_length=20)
    reason = models.CharField("理由", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "文书状态记录"
        verbose_name_plural = "文书状态记录"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status}→{self.to_status}"


class DeliveryReceipt(models.Model):
    """送达: how, when, to whom and where a document was delivered (民事诉讼法 Arts 85–95 by
    行政处罚法 Art 61), with the signed receipt's scan if one was uploaded."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField("送达方式", max_length=24, choices=DeliveryMethod.choices)
    delivered_at = models.DateTimeField("送达时间")
    recipient = models.CharField("受送达人", max_length=200)
    received_by = models.CharField("签收人", max_length=100, blank=True)
    place = models.CharField("送达地点", max_length=300, blank=True)
    witness = models.CharField("见证人", max_length=200, blank=True)
    consent_reference = models.CharField(
        "电子送达同意书", max_length=200, blank=True, help_text="受送达人同意电子送达的书面确认"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    scan = models.FileField(
        "签收回执扫描件", upload_to=document_file_path, max_length=200, blank=True
    )
    scan_sha256 = models.CharField("扫描件SHA-256", max_length=64, blank=True)
    receipt_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="送达回执文书",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "document__"

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["delivered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=DeliveryMethod.values),
                name="documents_delivery_method_known",
            ),
            models.CheckConstraint(
                condition=~Q(method="electronic") | ~Q(consent_reference=""),
                name="documents_electronic_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(method="left_at_premises") | ~Q(witness=""),
                name="documents_left_needs_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.get_method_display()}"
