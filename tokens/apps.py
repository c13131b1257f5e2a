from django.apps import AppConfig


class TokensConfig(AppConfig):
    """Personal API tokens: made and revoked in the portal, presented to the REST API, revoked in the panel."""

    name = "tokens"
    verbose_name = "API tokens"
