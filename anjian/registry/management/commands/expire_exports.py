"""`anjian expire_exports`: delete export files past their retention; fail jobs a worker lost."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from anjian.registry.export_jobs import expire_exports, retention_days


class Command(BaseCommand):
    help = (
        "删除保留期（ANJIAN_EXPORT_RETENTION_DAYS，默认7天）已过的导出文件，任务记录保留并标为“已过期”；"
        "超过12小时仍未完成的导出任务标为失败。建议每天由 cron 运行一次。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired, failed = expire_exports()
        self.stdout.write(
            f"expired {expired} export file(s) (retention {retention_days()} days); "
            f"failed {failed} stale job(s)"
        )
