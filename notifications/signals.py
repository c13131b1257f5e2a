"""Every RFP has report settings from the start, with the defaults, so the panel can show and change them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rfp.models import Rfp


@receiver(post_save, sender=Rfp, dispatch_uid="notifications.report_settings_for_new_rfp")
def report_settings_for_new_rfp(sender, instance: Rfp, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from notifications.models import ReportSettings

        ReportSettings.objects.get_or_create(rfp=instance)
