# The ApiToken model moves from the api app to the tokens app; its table (api_apitoken) and rows stay where they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_tokens(apps, schema_editor):
    # Permissions and admin log entries follow the model rather than pointing at a model the api app no longer has.
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="api", model="apitoken").update(app_label="tokens")


def content_type_to_api(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="tokens", model="apitoken").update(app_label="api")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("api", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="What the token is for, e.g. “ERP export”.", max_length=100)),
                        ("prefix", models.CharField(max_length=16, unique=True)),
                        ("secret_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the secret")),
                        (
                            "scope",
                            models.CharField(
                                choices=[("read", "Read only"), ("write", "Read and write")], default="read", max_length=5
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "api_apitoken",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_tokens, content_type_to_api),
    ]
