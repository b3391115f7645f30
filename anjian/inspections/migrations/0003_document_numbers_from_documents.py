"""Inspections take their document numbers from the documents app's counter.

The running numbers inspections kept in their own ``DocumentCounter`` (codes 现记, 责改, 现决, 复查:
the catalogue's codes of inspection_record, rectification_order, onsite_measure_decision and
reinspection_opinion) move into ``documents.DocumentCounter`` — the higher of the two wins, so no
number already given is handed out again — and the inspections' table is dropped.
"""

from django.db import migrations


def merge_counters(apps, schema_editor):
    Old = apps.get_model("inspections", "DocumentCounter")
    New = apps.get_model("documents", "DocumentCounter")
    for old in Old.objects.all().iterator():
        new, _ = New.objects.get_or_create(
            agency_id=old.agency_id, code=old.code, year=old.year
        )
        if new.last_sequence < old.last:
            new.last_sequence = old.last
            new.save(update_fields=["last_sequence"])


def split_counters(apps, schema_editor):
    Old = apps.get_model("inspections", "DocumentCounter")
    New = apps.get_model("documents", "DocumentCounter")
    for new in New.objects.filter(code__in=["现记", "责改", "现决", "复查"]).iterator():
        Old.objects.create(
            agency_id=new.agency_id, code=new.code, year=new.year, last=new.last_sequence
        )


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0002_order_team"),
        ("documents", "0001_documents"),
    ]

    operations = [
        migrations.RunPython(merge_counters, split_counters),
        migrations.DeleteModel(
            name="DocumentCounter",
        ),
    ]
