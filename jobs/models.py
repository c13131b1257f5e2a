import uuid

from django.db import models


class Job(models.Model):
    """A piece of follow-up work, written in the same transaction as the change that needs it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to reach the queue"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        RETRYING = "retrying", "Failed, will retry"
        DEAD = "dead", "Failed for good"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=100, db_index=True)
    arguments = models.JSONField(default=dict, blank=True)
    # Same key, same work: enqueueing it again returns the existing job.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    publish_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.get_status_display()})"
