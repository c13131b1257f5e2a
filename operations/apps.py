from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What operators see of the running service (request ids, JSON logs, Prometheus metrics), and what every face
    shares to answer: private file delivery, the REST base view."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from operations import celery_signals, checks  # noqa: F401 - checks register themselves

        celery_signals.connect()
