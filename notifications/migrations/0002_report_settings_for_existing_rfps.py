from django.db import migrations


def create_report_settings(apps, schema_editor):
    Rfp = apps.get_model("rfp", "Rfp")
    ReportSettings = apps.get_model("notifications", "ReportSettings")
    for rfp_id in Rfp.objects.filter(report_settings__isnull=True).values_list("pk", flat=True):
        ReportSettings.objects.create(rfp_id=rfp_id)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_report_settings, migrations.RunPython.noop)]
