from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rfp", "0008_queue_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="The buyer's own note on the decision: never emailed, never shown to the supplier.",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="rationale",
            field=models.TextField(
                help_text="Emailed to the supplier word for word and shown in the portal.",
                verbose_name="message to the supplier",
            ),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="sub_suppliers",
            field=models.JSONField(
                blank=True, default=list, help_text="Names of declared sub-suppliers.", verbose_name="sub-suppliers"
            ),
        ),
    ]
