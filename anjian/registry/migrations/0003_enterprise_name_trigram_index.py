"""PostgreSQL only: a trigram index so that "name contains" stays fast at a million enterprises.

SQLite keeps the portable fallback (a scan of the scoped rows).
"""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS enterprise_name_trgm_idx ON registry_enterprise USING gin (name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enterprise_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_load_jiangsu_regions")]
    operations = [migrations.RunPython(forwards, backwards)]
