"""The embedded default: SQLite, files under var/, mail written to files; DATABASE_URL / REDIS_URL switch it."""

from .base import *

DEBUG = env.bool("DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
