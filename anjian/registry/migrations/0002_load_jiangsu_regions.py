"""Reference data: Jiangsu's province, cities and county-level divisions (民政部 codes, see data/REGIONS-SOURCE.md)."""

from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from anjian.registry.regions_data import load_jiangsu_regions

    Region = apps.get_model("registry", "Region")
    by_code = {}
    for row in load_jiangsu_regions():
        parent = by_code.get(row.parent_code) if row.parent_code else None
        codes = {"province_code": row.code if row.level == "province" else parent.province_code,
                 "city_code": "", "county_code": ""}
        if row.level == "city":
            codes["city_code"] = row.code
        elif row.level == "county":
            codes["city_code"] = parent.city_code
            codes["county_code"] = row.code
        region, _ = Region.objects.update_or_create(
            code=row.code,
            defaults={"name": row.name, "level": row.level, "parent": parent, "is_synthetic": False,
                      "source": "民政部《中华人民共和国行政区划代码》2024", **codes},
        )
        by_code[row.code] = region


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
