from django.conf import settings

from documents import services
from jobs.registry import job_task
from rfp.job_names import SUMMARY_RENDER_TASK

# Routed to the "pdf" queue by its name (CELERY_TASK_ROUTES: "*.render_*").
# The render holds no transaction (atomic=False) and is given up past its time (SummaryPdfFailed, not retried).
render_summary = job_task(
    SUMMARY_RENDER_TASK,
    atomic=False,
    soft_time_limit=settings.SUMMARY_PDF_RENDER_SECONDS,
    time_limit=settings.SUMMARY_PDF_RENDER_SECONDS + 30,
)(services.summary_pdf_render_job)
