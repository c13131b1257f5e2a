"""The review reports: the program report's figures as defined (by week, sector and state, scores, SLA), the
report by email with its PDF, the daily reviewer digest, and how both are scheduled and sent on demand."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from notifications.enums import EmailKind, EmailStatus
from notifications.models import OutboundEmail, ReportSettings, ReviewerDigest
from notifications.reports import (
    DIGEST_TASK,
    PROGRAM_REPORT_TASK,
    program_report_queue,
    program_reports_enqueue_due,
    reviewer_digests_enqueue_due,
)
from notifications.selectors import program_report_figures
from notifications.services import SEND_TASK
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal, Review, ReviewAssignment, ReviewerProfile, Sector
from rfp.selectors import rubric_for_proposal
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_outbox, run_jobs

pytestmark = pytest.mark.django_db

# Times in UTC; the round's time zone is America/Chicago (CST until March 8, 2026, then CDT, UTC-5).
MAR = {day: datetime(2026, 3, day, 15, 0, tzinfo=UTC) for day in range(1, 31)}
REPORT_AT = MAR[20]
SCRIPT_TITLE = "<script>alert('x')</script> Servo actuators"


def _submit(proposal: Proposal, at: datetime, *, units: int, mw: str, jobs: int) -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(
        annual_capacity_units=units, site_power_mw=Decimal(mw), technicians=jobs
    )
    proposal.refresh_from_db()
    with time_machine.travel(at, tick=False):
        return services.proposal_submit(proposal=proposal, actor=UserFactory())


def _draft(rfp, **kwargs) -> Proposal:
    with time_machine.travel(MAR[1], tick=False):
        return draft_proposal(rfp=rfp, **kwargs)


def _review(proposal: Proposal, reviewer, *, at: datetime, score: str, recommendation: str) -> Review:
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        status=AssignmentStatus.COMPLETED,
        assigned_at=at - timedelta(days=1),
        due_at=at + timedelta(days=9),
        conflict_declaration=ConflictDeclaration.NO_CONFLICT,
    )
    return Review.objects.create(
        assignment=assignment,
        rubric=rubric_for_proposal(proposal=proposal),
        recommendation=recommendation,
        weighted_score=Decimal(score),
        submitted_at=at,
    )


def _reviewer(email: str, *sectors: str):
    user = ReviewerUserFactory(email=email, full_name=email.split("@")[0].title())
    ReviewerProfile.objects.create(user=user).sectors.set(Sector.objects.filter(code__in=sectors))
    return user


@pytest.fixture
def round_():
    """A round with proposals in two sectors and three states, reviews, a decision and an overdue review."""
    lead = ProgramLeadFactory(email="lead@buyer.example")
    with time_machine.travel(MAR[1], tick=False):
        rfp = RfpFactory(reference="AI-INFRA-REPORT", display_time_zone="America/Chicago", review_due_days=10)
    texas, ohio, california = (SupplierFactory(hq_state=state) for state in ("TX", "OH", "CA"))
    with time_machine.travel(MAR[1], tick=False):
        a = draft_proposal(rfp=rfp, supplier=texas)  # a Texas facility (the factory's)
        b = draft_proposal(rfp=rfp, supplier=ohio)
        b.facilities.add(FacilityFactory(supplier=ohio, state="OH", city="Dayton", zip_code="45402"))
        c = draft_proposal(rfp=rfp, supplier=california, sector_code="robotics")
        c.facilities.set([FacilityFactory(supplier=california, state="OH", city="Toledo", zip_code="43604")])
        Proposal.objects.filter(pk=c.pk).update(title=SCRIPT_TITLE)
        d = draft_proposal(rfp=rfp, supplier=california)
        draft_proposal(rfp=rfp, supplier=texas, sector_code="robotics", complete=False)  # never submitted
    a = _submit(a, MAR[2], units=10_000, mw="8.5", jobs=30)
    b = _submit(b, MAR[3], units=4_000, mw="2", jobs=10)
    d = _submit(d, MAR[4], units=900, mw="3", jobs=7)
    # Sunday March 8, 23:30 in Chicago: still the week of March 2 there, though Monday in UTC.
    c = _submit(c, datetime(2026, 3, 9, 4, 30, tzinfo=UTC), units=600, mw="1.25", jobs=8)
    with time_machine.travel(MAR[5], tick=False):
        services.proposal_withdraw(proposal=d, actor=UserFactory())
        for proposal in (a, b, c):
            services.proposal_start_review(proposal=proposal, actor=None)
        services.proposal_request_information(proposal=b, actor=lead, question="Which plant builds the racks?")
    with time_machine.travel(MAR[11], tick=False):
        b = services.proposal_resubmit(proposal=Proposal.objects.get(pk=b.pk), actor=UserFactory(), response="Dayton.")

    ana, ben = _reviewer("ana@buyer.example", "datacenter"), _reviewer("ben@buyer.example", "datacenter")
    rob = _reviewer("rob@buyer.example", "robotics")
    _review(a, ana, at=MAR[5], score="80.00", recommendation="shortlist")
    _review(a, ben, at=MAR[8], score="60.00", recommendation="shortlist")
    _review(b, ana, at=MAR[10], score="70.00", recommendation="decline")
    ReviewAssignment.objects.create(proposal=c, reviewer=rob, assigned_at=MAR[2], due_at=MAR[12])  # overdue
    ReviewAssignment.objects.create(proposal=b, reviewer=ben, assigned_at=MAR[15], due_at=MAR[25])
    with time_machine.travel(MAR[16], tick=False):
        services.proposal_decide(
            proposal=Proposal.objects.get(pk=a.pk), actor=lead, outcome="shortlisted", rationale="Strong."
        )
    return SimpleNamespace(rfp=rfp, lead=lead, a=a, b=b, c=c, d=d, ana=ana, ben=ben, rob=rob)


def _rows(rows):
    return [(row.sector, row.state, row.proposals, row.units, row.site_power_mw, row.jobs) for row in rows]


def test_the_program_report_figures_follow_their_definitions(round_):
    report = program_report_figures(rfp=round_.rfp, now=REPORT_AT)

    assert report.status_counts == [("Draft", 1), ("In review", 2), ("Shortlisted", 1), ("Withdrawn", 1)]
    assert report.submitted == 3, "the withdrawn proposal and the draft are not submitted proposals"
    # By week, Monday to Sunday in Chicago; B's answer to the request for information is a resubmission.
    assert [(w.week_start, w.new, w.resubmitted) for w in report.weeks] == [
        (date(2026, 3, 2), 4, 0),
        (date(2026, 3, 9), 0, 1),
    ]
    assert _rows(report.by_sector) == [
        ("Datacenter", "", 2, Decimal("14000.00"), Decimal("10.50"), Decimal("40.00")),
        ("Robotics", "", 1, Decimal("600.00"), Decimal("1.25"), Decimal("8.00")),
    ]
    assert _rows([report.totals]) == [("All sectors", "", 3, Decimal("14600.00"), Decimal("11.75"), Decimal("48.00"))]
    # B names a Texas and an Ohio facility: its offer is shared half and half; A's Texas plant takes all of A's.
    assert _rows(report.by_facility_state) == [
        ("Datacenter", "OH", 1, Decimal("2000.00"), Decimal("1.00"), Decimal("5.00")),
        ("Datacenter", "TX", 2, Decimal("12000.00"), Decimal("9.50"), Decimal("35.00")),
        ("Robotics", "OH", 1, Decimal("600.00"), Decimal("1.25"), Decimal("8.00")),
    ]
    assert report.by_facility_state[0].state_name == "Ohio"
    # By the supplier's headquarters, each proposal counts once, wholly.
    assert _rows(report.by_supplier_state) == [
        ("Datacenter", "OH", 1, Decimal("4000.00"), Decimal("2.00"), Decimal("10.00")),
        ("Datacenter", "TX", 1, Decimal("10000.00"), Decimal("8.50"), Decimal("30.00")),
        ("Robotics", "CA", 1, Decimal("600.00"), Decimal("1.25"), Decimal("8.00")),
    ]
    datacenter, robotics = report.scores
    assert (datacenter.sector, datacenter.submitted, datacenter.reviewed, datacenter.reviews) == ("Datacenter", 2, 2, 3)
    assert (datacenter.score_mean, datacenter.score_min, datacenter.score_max) == (
        Decimal("70.00"),
        Decimal("60.00"),
        Decimal("80.00"),
    )
    assert datacenter.recommendations == {"Shortlist": 2, "Decline": 1, "Request more information": 0}
    assert (datacenter.shortlisted, datacenter.declined, datacenter.undecided) == (1, 0, 1)
    assert (robotics.submitted, robotics.reviewed, robotics.score_mean, robotics.undecided) == (1, 0, None, 1)
    # First reviews 3 days (A) and 7 days (B) after the first submit: the median is 5.
    sla = report.sla
    assert (sla.reviewed, sla.median_days_to_first_review, sla.within_due_days) == (2, Decimal("5.0"), 2)
    assert (sla.waiting_for_first_review, sla.open_assignments) == (1, 2)
    assert (sla.overdue_assignments, sla.proposals_with_overdue_review) == (1, 1)


def test_the_figures_take_a_fixed_number_of_queries_however_many_proposals(round_):
    with CaptureQueriesContext(connection) as before:
        program_report_figures(rfp=round_.rfp, now=REPORT_AT)
    for _ in range(5):
        _submit(_draft(round_.rfp), MAR[6], units=100, mw="1", jobs=1)
    with CaptureQueriesContext(connection) as after:
        report = program_report_figures(rfp=round_.rfp, now=REPORT_AT)
    assert report.submitted == 8
    assert len(after) == len(before) <= 20


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_program_report_is_emailed_as_html_and_text_with_the_same_report_as_pdf(round_):
    with time_machine.travel(REPORT_AT, tick=False):
        email = program_report_queue(rfp=round_.rfp)
    deliver_outbox()

    assert email.kind == EmailKind.PROGRAM_REPORT and email.rfp == round_.rfp
    (message,) = mail.outbox
    assert message.to == ["lead@buyer.example"], "by default, the program leads"
    assert (
        message.subject == "Program report AI-INFRA-REPORT, March 20, 2026: 3 proposals, 2 reviewed, 1 overdue review"
    )
    assert "Median days from submit to first review: 5.0" in message.body
    assert "- Datacenter, Texas (TX): 2; 12,000; 9.50; 35" in message.body
    assert "- Datacenter: 2 submitted, 2 reviewed (3 reviews)" in message.body
    html, _ = message.alternatives[0]
    assert "<td>Texas (TX)</td>" in html
    ((name, content, content_type),) = message.attachments
    assert (name, content_type) == ("program-report-AI-INFRA-REPORT-2026-03-20.pdf", "application/pdf")
    text = _pdf_text(content)
    assert "Program report: AI-INFRA-REPORT" in text
    assert "Texas (TX)" in text and "12,000" in text
    assert "New submissions by week" in text
    assert "page 1 of" in text


def test_the_report_goes_to_the_round_s_own_recipients_when_it_names_some(round_):
    report_settings = ReportSettings.objects.get(rfp=round_.rfp)
    report_settings.program_report_recipients = "ops@buyer.example,\n CFO@buyer.example ; ops@buyer.example"
    report_settings.full_clean()
    report_settings.save()

    email = program_report_queue(rfp=round_.rfp, now=REPORT_AT)

    assert email.to == ["ops@buyer.example", "CFO@buyer.example"]
    report_settings.program_report_recipients = "ops@buyer.example\nnot-an-address"
    with pytest.raises(Exception, match="Not an email address: not-an-address"):
        report_settings.full_clean()


def test_every_new_round_has_report_settings_with_the_defaults():
    report_settings = ReportSettings.objects.get(rfp=RfpFactory())
    assert (report_settings.weekly_report_enabled, report_settings.weekly_report_weekday) == (True, 0)
    assert (report_settings.weekly_report_hour, report_settings.digest_enabled, report_settings.digest_hour) == (
        7,
        True,
        7,
    )
    assert report_settings.recipient_list == []


# --- Schedules ----------------------------------------------------------------------------------------------------


def test_the_weekly_report_is_enqueued_once_its_day_and_hour_have_come_in_the_round_s_time_zone(round_):
    ReportSettings.objects.filter(rfp=round_.rfp).update(weekly_report_weekday=4, weekly_report_hour=8)
    thursday = datetime(2026, 3, 19, 20, 0, tzinfo=UTC)
    friday_7_59 = datetime(2026, 3, 20, 12, 59, tzinfo=UTC)  # 7:59 in Chicago
    friday_8_05 = datetime(2026, 3, 20, 13, 5, tzinfo=UTC)

    assert program_reports_enqueue_due(now=thursday) == 0
    assert program_reports_enqueue_due(now=friday_7_59) == 0
    assert program_reports_enqueue_due(now=friday_8_05) == 1
    assert program_reports_enqueue_due(now=friday_8_05 + timedelta(hours=1)) == 0, "once a week"
    job = Job.objects.get(task_name=PROGRAM_REPORT_TASK)
    assert job.arguments == {"rfp_id": round_.rfp.pk, "week": "2026-W12"}

    with time_machine.travel(friday_8_05, tick=False):
        run_jobs(PROGRAM_REPORT_TASK, SEND_TASK)
    email = OutboundEmail.objects.get(kind=EmailKind.PROGRAM_REPORT)
    assert (email.status, email.dedupe_key) == (EmailStatus.SENT, f"program_report:{round_.rfp.pk}:2026-W12")
    ReportSettings.objects.filter(rfp=round_.rfp).update(weekly_report_enabled=False)
    assert program_reports_enqueue_due(now=friday_8_05 + timedelta(days=7)) == 0


def test_beat_runs_the_report_checks_and_the_mail_goes_to_the_mail_queue():
    from config.celery_app import app

    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.send_reviewer_digests", "notifications.send_program_reports"} <= tasks
    assert "notifications.retry_due_emails" in tasks
    route = app.amqp.router.route
    assert route({}, SEND_TASK)["queue"].name == "mail"
    assert route({}, DIGEST_TASK)["queue"].name == "mail"
    assert route({}, PROGRAM_REPORT_TASK)["queue"].name == "pdf"


# --- Reviewer digest ----------------------------------------------------------------------------------------------


def test_each_reviewer_gets_a_daily_digest_of_open_due_overdue_and_new_proposals(round_):
    digest_time = datetime(2026, 3, 20, 12, 5, tzinfo=UTC)  # 7:05 in Chicago, the default digest hour
    assert reviewer_digests_enqueue_due(now=digest_time - timedelta(hours=1)) == 0, "before the digest hour"
    assert reviewer_digests_enqueue_due(now=digest_time) == 3
    assert reviewer_digests_enqueue_due(now=digest_time) == 0

    with time_machine.travel(digest_time, tick=False):
        # The first digest looks back one day: a proposal submitted yesterday is new.
        _submit(_draft(round_.rfp, sector_code="robotics"), MAR[19], units=5, mw="1", jobs=1)
        run_jobs(DIGEST_TASK, SEND_TASK)

    by_reviewer = {tuple(message.to): message for message in mail.outbox}
    assert set(by_reviewer) == {("ben@buyer.example",), ("rob@buyer.example",)}, "ana has no open review, no news"
    rob = by_reviewer[("rob@buyer.example",)]
    assert rob.subject == "Your reviews for AI-INFRA-REPORT: 1 open, 1 overdue, 1 new in your sectors"
    assert f"- {round_.c.reference} (Robotics): {SCRIPT_TITLE}" in rob.body
    assert "OVERDUE, was due Thursday, March 12, 2026, 10:00 AM CDT" in rob.body
    html, _ = rob.alternatives[0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Servo actuators" in html
    ben = by_reviewer[("ben@buyer.example",)]
    assert "Due Wednesday, March 25, 2026, 10:00 AM CDT" in ben.body
    assert "New proposals in your sectors since Thursday, March 19, 2026, 7:05 AM CDT:\n- none" in ben.body
    assert ReviewerDigest.objects.filter(digest_date=date(2026, 3, 20)).count() == 3
    assert ReviewerDigest.objects.get(reviewer=round_.ana).email is None

    # The next day's digest covers what came since this one.
    next_day = digest_time + timedelta(days=1)
    with time_machine.travel(next_day, tick=False):
        new = _submit(_draft(round_.rfp), next_day - timedelta(hours=2), units=5, mw="1", jobs=1)
        assert reviewer_digests_enqueue_due() == 3
        run_jobs(DIGEST_TASK, SEND_TASK)
    ana = OutboundEmail.objects.get(kind=EmailKind.REVIEWER_DIGEST, to=["ana@buyer.example"])
    assert f"{new.reference} (Datacenter): US supply offer" in ana.body_text
    assert ana.subject.endswith("0 open, 0 overdue, 1 new in your sectors")
    digest = ReviewerDigest.objects.get(reviewer=round_.ana, digest_date=date(2026, 3, 21))
    assert digest.window_start == digest_time


def test_the_digest_comes_at_the_round_s_own_hour_in_its_time_zone(round_):
    ReportSettings.objects.filter(rfp=round_.rfp).update(digest_hour=15)

    assert reviewer_digests_enqueue_due(now=datetime(2026, 3, 20, 12, 5, tzinfo=UTC)) == 0, "7:05 in Chicago"
    assert reviewer_digests_enqueue_due(now=datetime(2026, 3, 20, 19, 59, tzinfo=UTC)) == 0, "14:59 in Chicago"
    assert reviewer_digests_enqueue_due(now=datetime(2026, 3, 20, 20, 5, tzinfo=UTC)) == 3


def test_a_round_can_turn_the_digest_off(round_):
    ReportSettings.objects.filter(rfp=round_.rfp).update(digest_enabled=False)
    assert reviewer_digests_enqueue_due(now=datetime(2026, 3, 20, 23, 0, tzinfo=UTC)) == 0


# --- On demand: the command and the panel -------------------------------------------------------------------------


def test_the_command_sends_the_report_of_a_round_to_the_given_address(round_, capsys):
    call_command("send_review_reports", "--rfp", "AI-INFRA-REPORT", "--to", "me@buyer.example")

    out = capsys.readouterr().out
    email = OutboundEmail.objects.get(kind=EmailKind.PROGRAM_REPORT)
    assert f"Program report of AI-INFRA-REPORT queued as email #{email.pk} for me@buyer.example" in out
    assert email.to == ["me@buyer.example"]
    assert email.attachments.get().name.startswith("program-report-AI-INFRA-REPORT-")
    with pytest.raises(CommandError, match="There is no RFP 'NOPE'; the RFPs are: AI-INFRA-REPORT"):
        call_command("send_review_reports", "--rfp", "NOPE")
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("send_review_reports", "--to", "nobody")


@pytest.fixture
def lead_client(client, round_):
    lead = round_.lead
    lead.is_superuser = True
    lead.save()
    client.force_login(lead)
    return client


def test_a_lead_edits_the_report_settings_and_sends_the_report_from_the_panel(lead_client, round_):
    report_settings = ReportSettings.objects.get(rfp=round_.rfp)
    change = reverse("admin:notifications_reportsettings_change", args=[report_settings.pk])
    form = {
        "program_report_recipients": "board@buyer.example",
        "weekly_report_enabled": "on",
        "weekly_report_weekday": "2",
        "weekly_report_hour": "9",
        "digest_enabled": "on",
        "digest_hour": "25",
    }
    refused = lead_client.post(change, form).content.decode()
    assert "Ensure this value is less than or equal to 23." in refused
    assert lead_client.post(change, {**form, "digest_hour": "6"}).status_code == 302
    report_settings.refresh_from_db()
    assert (report_settings.recipient_list, report_settings.weekly_report_weekday) == (["board@buyer.example"], 2)
    listing = lead_client.get(reverse("admin:notifications_reportsettings_changelist")).content.decode()
    assert "Wednesdays at 9:00 (America/Chicago)" in listing

    response = lead_client.post(
        reverse("admin:notifications_reportsettings_changelist"),
        {"action": "send_program_report", "_selected_action": [report_settings.pk]},
        follow=True,
    )

    notes = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    assert notes == [
        (
            messages.SUCCESS,
            "The program report of AI-INFRA-REPORT is being prepared and will be emailed to board@buyer.example; "
            "follow it in the list of emails.",
        )
    ]
    event = AuditEvent.objects.get(action="program_report.requested")
    assert (event.actor, event.data["to"]) == (round_.lead, ["board@buyer.example"])
    assert not OutboundEmail.objects.exists(), "the panel never renders: a worker does"
    run_jobs(PROGRAM_REPORT_TASK, SEND_TASK)
    assert [message.to for message in mail.outbox] == [["board@buyer.example"]]


def test_a_reviewer_cannot_send_the_report(client, round_):
    from notifications.reports import program_report_request
    from rfp.exceptions import DomainError

    with pytest.raises(DomainError, match="Only a program lead"):
        program_report_request(rfp=round_.rfp, actor=round_.ana)
    assert not Job.objects.filter(task_name=PROGRAM_REPORT_TASK).exists()
    # A supplier's member has no access to the panel at all.
    client.force_login(SupplierMemberFactory().user)
    response = client.get(reverse("admin:notifications_reportsettings_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_panel_lists_the_digests_sent(lead_client, round_):
    with time_machine.travel(datetime(2026, 3, 20, 12, 5, tzinfo=UTC), tick=False):
        reviewer_digests_enqueue_due()
        run_jobs(DIGEST_TASK, SEND_TASK)

    page = lead_client.get(reverse("admin:notifications_reviewerdigest_changelist")).content.decode()

    assert "rob@buyer.example" in page.lower() or "Rob" in page
    assert page.count("AI-INFRA-REPORT") >= 3


def test_the_report_counts_one_review_in_the_singular():
    row = {"sector": "Robotics", "submitted": 1, "reviewed": 1, "reviews": 1, "score_mean": None}
    report = {"scores": [row], "sla": {"review_due_days": 1}}

    text = render_to_string("notifications/program_report.txt", {"report": report})
    html = render_to_string("notifications/_program_report_tables.html", {"report": report})

    assert "- Robotics: 1 submitted, 1 reviewed (1 review)," in text
    assert "First reviews within 1 day:" in text and "First reviews within 1 day<" in html
    assert "(1 reviews)" not in text and "1 days" not in text + html
