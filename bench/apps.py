from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: the scale data generator (seed_scale) and the floor views measured beside the real ones."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
