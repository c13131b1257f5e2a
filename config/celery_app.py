"""The Celery app; its settings are the CELERY_* names in config/settings (late acks, prefetch 1, JSON only)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("rfp_intake")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
