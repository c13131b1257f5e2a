from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Emails and review reports"

    def ready(self) -> None:
        from notifications import signals  # noqa: F401  (report settings for every new RFP)
