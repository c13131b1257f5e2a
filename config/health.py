"""Liveness and readiness probes for load balancers and orchestrators."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as error:
        return {"ok": False, "vendor": connection.vendor, "error": str(error)[:300]}


def _broker_check() -> dict:
    from config.celery_app import app

    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=app.conf.broker_connection_timeout)
        return {"ok": True, "transport": transport}
    except Exception as error:
        return {"ok": False, "transport": transport, "error": str(error)[:300]}


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database_check(), "broker": _broker_check()}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
