from documents import services
from jobs.registry import job_task
from rfp.job_names import SUMMARY_RENDER_TASK

# Routed to the "pdf" queue by its name (CELERY_TASK_ROUTES: "*.render_*").
render_summary = job_task(SUMMARY_RENDER_TASK)(services.summary_pdf_render_job)
