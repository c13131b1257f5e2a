from django.apps import AppConfig


class RfpConfig(AppConfig):
    name = "rfp"
    verbose_name = "RFP and proposals"
