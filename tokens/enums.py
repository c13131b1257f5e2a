from django.db import models


class TokenScope(models.TextChoices):
    """What an API token may do: read is safe methods only (GET, HEAD, OPTIONS); write adds every other."""

    READ = "read", "Read only"
    WRITE = "write", "Read and write"
