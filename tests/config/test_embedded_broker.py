"""`make run`'s filesystem broker connects without kombu's "No hostname was supplied" warning."""

import os
import subprocess
import sys

from tests.support.processes import PROJECT_DIR

CONNECT = """
import django
django.setup()
from config.celery_app import app
with app.connection_for_write() as broker:
    broker.ensure_connection(max_retries=1)
    broker.clone().ensure_connection(max_retries=1)
    print(app.conf.broker_url, broker.as_uri())
"""


def test_the_filesystem_broker_connects_without_a_hostname_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL") and "CELERY" not in k}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path))

    result = subprocess.run(
        [sys.executable, "-c", CONNECT], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("filesystem://")
    assert "No hostname was supplied" not in result.stderr
