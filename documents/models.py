from django.db import models

from suppliers.models import private_storage


class Audience(models.TextChoices):
    """Whose copy of a proposal's summary: each sees a different part of it."""

    SUPPLIER = "supplier", "Supplier's copy"
    REVIEWER = "reviewer", "Reviewer's copy"
    PROGRAM_LEAD = "program_lead", "Program lead's copy"


def summary_pdf_upload_to(instance: "SummaryPdf", filename: str) -> str:
    from suppliers.uploads import random_storage_name

    return f"{random_storage_name(f'summaries/{instance.proposal_id}')}.pdf"


class SummaryPdf(models.Model):
    """One render of a proposal's PDF summary for one audience; every render is kept, with its SHA-256."""

    proposal = models.ForeignKey("rfp.Proposal", on_delete=models.CASCADE, related_name="summary_pdfs")
    proposal_version = models.PositiveIntegerField(help_text="The submitted version the summary shows.")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    file = models.FileField(upload_to=summary_pdf_upload_to, storage=private_storage, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    page_count = models.PositiveIntegerField()
    size_bytes = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=100, help_text="What led to this render, e.g. submitted or reviewed.")
    state = models.CharField(
        max_length=255, help_text="What the summary reflected when rendered; a copy of the current state is reused."
    )
    includes_commercial_terms = models.BooleanField(default=False)
    rendered_at = models.DateTimeField()

    class Meta:
        ordering = ["proposal", "audience", "-rendered_at", "-id"]
        verbose_name = "summary PDF"
        verbose_name_plural = "summary PDFs"
        indexes = [models.Index(fields=["proposal", "audience", "proposal_version", "-rendered_at"])]

    def __str__(self) -> str:
        return f"{self.proposal.reference} v{self.proposal_version} {self.get_audience_display()}"
