from django.db import models


class FloorRow(models.Model):
    """A plain row: the floor views insert one per request and list 50; nothing else reads or writes it."""

    label = models.CharField(max_length=100)
    amount = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label
