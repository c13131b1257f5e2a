from django.conf import settings
from django.db import models

from tokens.enums import TokenScope


class ApiToken(models.Model):
    """A personal API token: `Authorization: Bearer rfpi_<prefix>_<secret>`.

    Only the SHA-256 of the secret is stored; the whole token is shown once, when it is made. The prefix finds
    the row and is safe to show in lists and logs.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “ERP export”.")
    prefix = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField("SHA-256 of the secret", max_length=64)
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_apitoken"  # the table the api app made before tokens became a data app of their own
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and moment < self.expires_at

    @property
    def allows_writes(self) -> bool:
        return self.scope == TokenScope.WRITE
