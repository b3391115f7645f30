"""Reference data: GB/T 4754-2017 industry classification (see data/INDUSTRIES-SOURCE.md)."""

from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from anjian.registry.industries_data import load_industries

    Industry = apps.get_model("registry", "Industry")
    by_code = {}
    for row in load_industries():
        parent = by_code.get(row.parent_code) if row.parent_code else None
        industry, _ = Industry.objects.update_or_create(
            code=row.code, defaults={"name": row.name, "level": row.level, "parent": parent}
        )
        by_code[row.code] = industry


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_enterprise_name_trigram_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
