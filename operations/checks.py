"""Startup checks of the operations settings, so a typo stops `manage.py check` rather than a scrape or a download."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, register

DELIVERIES = ("stream", "redirect")


@register()
def operations_settings_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for network in settings.METRICS_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"METRICS_ALLOWED_NETWORKS has {network!r}, which is not an address or network (CIDR).",
                    id="operations.E001",
                )
            )
    if settings.PRIVATE_FILES_DELIVERY not in DELIVERIES:
        errors.append(
            Error(
                f"PRIVATE_FILES_DELIVERY is {settings.PRIVATE_FILES_DELIVERY!r}; "
                f"it must be one of {', '.join(DELIVERIES)}.",
                id="operations.E002",
            )
        )
    return errors
