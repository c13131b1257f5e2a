"""The review reports by email: each reviewer's daily digest and the program leads' weekly program report.

Who receives them and when is each RFP's `ReportSettings` (hours in the round's time zone). Celery beat runs
`reviewer_digests_enqueue_due` and `program_reports_enqueue_due` every hour; each enqueues one job per report that
is due and not yet made (a dedupe key per reviewer and day, per round and ISO week), so a beat that fires twice or
late sends nothing twice and misses nothing. The program report is also sent on demand: `program_report_request`
from the panel (a job: the PDF is rendered by a worker, never in a request) or `program_report_queue` from
`manage.py send_review_reports`. Figures come from `notifications.selectors`.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.services import audit_record
from jobs.models import Job
from jobs.services import job_enqueue
from notifications.enums import EmailKind
from notifications.models import OutboundEmail, ReportSettings, ReviewerDigest
from notifications.selectors import (
    program_report_figures,
    reviewer_digest_figures,
    reviewer_list_for_digest,
    rfp_list_reporting,
)
from notifications.services import EmailFile, absolute_url, email_queue
from rfp.exceptions import DomainError
from rfp.formatting import counted
from rfp.models import Rfp
from rfp.selectors import program_lead_recipients

logger = logging.getLogger(__name__)

# "send_" names go to the "mail" queue, "render_" names to the "pdf" queue (CELERY_TASK_ROUTES).
DIGEST_TASK = "notifications.send_reviewer_digest"
PROGRAM_REPORT_TASK = "notifications.render_program_report"
# The first digest of a reviewer covers the day before it.
FIRST_DIGEST_WINDOW = timedelta(days=1)


def report_settings_ensure(*, rfp: Rfp) -> ReportSettings:
    """The round's report settings, made with the defaults when it has none yet."""
    report_settings, _ = ReportSettings.objects.get_or_create(rfp=rfp)
    return report_settings


def program_report_recipients(*, rfp: Rfp) -> list[str]:
    """The round's own recipients when it names some, else the program leads (and PROGRAM_LEAD_EMAILS)."""
    report_settings = ReportSettings.objects.filter(rfp=rfp).first()
    if report_settings is not None and report_settings.recipient_list:
        return report_settings.recipient_list
    return program_lead_recipients()


def _site_url(name: str, *args) -> str:
    try:
        return absolute_url(reverse(name, args=args))
    except NoReverseMatch:
        return settings.SITE_URL


def _local_text(moment: datetime, rfp: Rfp) -> str:
    local = timezone.localtime(moment, rfp.tz)
    return f"{local:%A, %B %-d, %Y, %-I:%M %p} {local.tzname()}"


# --- Reviewer digest ---------------------------------------------------------------------------------------------


def reviewer_digest_send(*, rfp_id: int, reviewer_id: int, digest_date: str) -> bool:
    """Worker side: one reviewer's digest of one round for one day; False when already made or there is no news."""
    rfp = Rfp.objects.filter(pk=rfp_id).first()
    reviewer = get_user_model().objects.filter(pk=reviewer_id, is_active=True).first()
    if rfp is None or reviewer is None:
        return False
    day = datetime.fromisoformat(digest_date).date()
    with transaction.atomic():
        if ReviewerDigest.objects.filter(rfp=rfp, reviewer=reviewer, digest_date=day).exists():
            return False
        now = timezone.now()
        previous = ReviewerDigest.objects.filter(rfp=rfp, reviewer=reviewer).order_by("-window_end").first()
        since = previous.window_end if previous is not None else now - FIRST_DIGEST_WINDOW
        figures = reviewer_digest_figures(rfp=rfp, reviewer=reviewer, since=since, now=now)
        email = None
        if figures.has_news:
            context = {
                "rfp": rfp,
                "reviewer_name": reviewer.full_name or reviewer.email,
                "digest": figures,
                "since_text": _local_text(since, rfp),
                "assignments": [
                    {"assignment": assignment, "due_text": _local_text(assignment.due_at, rfp)}
                    for assignment in figures.assignments
                ],
                "time_zone": rfp.display_time_zone,
                "workspace_url": _site_url("review:queue"),
            }
            email = email_queue(
                to=[reviewer.email],
                subject=f"Your reviews for {rfp.reference}: {len(figures.assignments)} open, "
                f"{figures.overdue} overdue, {len(figures.new_proposals)} new in your sectors",
                template="notifications/reviewer_digest",
                context=context,
                kind=EmailKind.REVIEWER_DIGEST,
                rfp=rfp,
                dedupe_key=f"reviewer_digest:{rfp.pk}:{reviewer.pk}:{day.isoformat()}",
            )
        ReviewerDigest.objects.create(
            rfp=rfp, reviewer=reviewer, digest_date=day, window_start=since, window_end=now, email=email
        )
    return email is not None


def reviewer_digests_enqueue_due(*, now=None) -> int:
    """Periodic (hourly): enqueue today's digest of every reviewer of every round whose digest hour has come."""
    now = now or timezone.now()
    enqueued = 0
    for rfp in rfp_list_reporting(now=now):
        report_settings = getattr(rfp, "report_settings", None) or report_settings_ensure(rfp=rfp)
        local = timezone.localtime(now, rfp.tz)
        if not report_settings.digest_enabled or local.hour < report_settings.digest_hour:
            continue
        day = local.date()
        done = set(ReviewerDigest.objects.filter(rfp=rfp, digest_date=day).values_list("reviewer_id", flat=True))
        prefix = f"{DIGEST_TASK}:{rfp.pk}:"
        suffix = f":{day.isoformat()}"
        queued = set(
            Job.objects.filter(dedupe_key__startswith=prefix, dedupe_key__endswith=suffix).values_list(
                "dedupe_key", flat=True
            )
        )
        for reviewer_id in reviewer_list_for_digest(rfp=rfp).values_list("pk", flat=True):
            dedupe_key = f"{prefix}{reviewer_id}{suffix}"
            if reviewer_id in done or dedupe_key in queued:
                continue
            with transaction.atomic():
                job_enqueue(
                    task_name=DIGEST_TASK,
                    arguments={"rfp_id": rfp.pk, "reviewer_id": reviewer_id, "digest_date": day.isoformat()},
                    dedupe_key=dedupe_key,
                )
            enqueued += 1
    return enqueued


# --- Program report ----------------------------------------------------------------------------------------------


def program_report_context(*, rfp: Rfp, now) -> dict:
    from documents.charts import Bar, bar_chart_svg

    figures = program_report_figures(rfp=rfp, now=now)
    weeks_chart = bar_chart_svg(
        title="New submissions by week",
        bars=[Bar(label=f"Week of {week.week_start:%b %-d, %Y}", value=week.new) for week in figures.weeks],
    )
    sectors_chart = bar_chart_svg(
        title="Submitted proposals by sector",
        bars=[Bar(label=row.sector, value=row.proposals) for row in figures.by_sector],
    )
    return {
        "rfp": rfp,
        "report": figures,
        "generated_text": _local_text(now, rfp),
        "time_zone": rfp.display_time_zone,
        "panel_url": _site_url("admin:index"),
        "weeks_chart": weeks_chart,
        "sectors_chart": sectors_chart,
    }


def program_report_queue(
    *, rfp: Rfp, to: list[str] | None = None, now=None, dedupe_key: str | None = None
) -> OutboundEmail:
    """Compute the round's program report, render it as HTML email and PDF, and queue it for its recipients."""
    from documents.pdf import pdf_render

    now = now or timezone.now()
    recipients = to or program_report_recipients(rfp=rfp)
    if not recipients:
        raise DomainError(
            f"Nobody receives the program report of {rfp.reference}: name recipients in its report settings "
            "or give a program lead the program_lead role.",
            code="no_report_recipients",
        )
    context = program_report_context(rfp=rfp, now=now)
    pdf = pdf_render(html=render_to_string("notifications/program_report_pdf.html", context))
    local_day = timezone.localtime(now, rfp.tz).date()
    figures = context["report"]
    return email_queue(
        to=recipients,
        subject=f"Program report {rfp.reference}, {local_day:%B %-d, %Y}: {counted(figures.submitted, 'proposal')}, "
        f"{figures.sla.reviewed} reviewed, {counted(figures.sla.overdue_assignments, 'overdue review')}",
        template="notifications/program_report",
        context=context,
        attachments=[EmailFile(f"program-report-{rfp.reference}-{local_day.isoformat()}.pdf", pdf, "application/pdf")],
        kind=EmailKind.PROGRAM_REPORT,
        rfp=rfp,
        dedupe_key=dedupe_key,
    )


def program_report_send(*, rfp_id: int, to: list[str] | None = None, week: str = "") -> bool:
    """Worker side of a weekly or requested report; False when the round is gone."""
    rfp = Rfp.objects.filter(pk=rfp_id).first()
    if rfp is None:
        return False
    dedupe_key = f"program_report:{rfp.pk}:{week}" if week else None
    program_report_queue(rfp=rfp, to=to or None, dedupe_key=dedupe_key)
    return True


@transaction.atomic
def program_report_request(*, rfp: Rfp, actor, to: list[str] | None = None) -> Job:
    """A program lead asks for the report now (from the panel); a worker renders and sends it."""
    if actor is None or not (actor.is_program_lead or actor.is_superuser):
        raise DomainError("Only a program lead can send the program report.", code="not_program_lead")
    recipients = to or program_report_recipients(rfp=rfp)
    if not recipients:
        raise DomainError(
            f"Nobody receives the program report of {rfp.reference}: name recipients in its report settings.",
            code="no_report_recipients",
        )
    job = job_enqueue(task_name=PROGRAM_REPORT_TASK, arguments={"rfp_id": rfp.pk, "to": recipients})
    audit_record(
        action="program_report.requested",
        target=rfp,
        actor=actor,
        summary=f"Program report of {rfp.reference} requested for {', '.join(recipients)}",
        data={"to": recipients, "job": str(job.pk)},
    )
    return job


def _iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def program_reports_enqueue_due(*, now=None) -> int:
    """Periodic (hourly): enqueue this week's report of every round whose report day and hour have come."""
    now = now or timezone.now()
    enqueued = 0
    for rfp in rfp_list_reporting(now=now):
        report_settings = getattr(rfp, "report_settings", None) or report_settings_ensure(rfp=rfp)
        if not report_settings.weekly_report_enabled:
            continue
        local = timezone.localtime(now, rfp.tz)
        if (local.weekday(), local.hour) < (report_settings.weekly_report_weekday, report_settings.weekly_report_hour):
            continue
        week = _iso_week(local)
        dedupe_key = f"{PROGRAM_REPORT_TASK}:{rfp.pk}:{week}"
        if Job.objects.filter(dedupe_key=dedupe_key).exists():
            continue
        with transaction.atomic():
            job_enqueue(
                task_name=PROGRAM_REPORT_TASK, arguments={"rfp_id": rfp.pk, "week": week}, dedupe_key=dedupe_key
            )
        enqueued += 1
    return enqueued
