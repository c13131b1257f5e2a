"""The review panel (/panel/): every model is there, every page opens, and a proposal's status moves only
through rfp.services, by the changelist's actions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory
from audit.models import AuditEvent
from jobs.models import Job
from rfp.enums import DecisionOutcome, ProposalStatus
from rfp.factories import draft_proposal
from rfp.models import (
    Addendum,
    AddendumAcknowledgement,
    Attachment,
    Clarification,
    Decision,
    Proposal,
    ProposalCheck,
    ProposalVersion,
    Review,
    ReviewAssignment,
    ReviewerConflict,
    ReviewerProfile,
    Rubric,
    Score,
    Sector,
)
from rfp.services import (
    proposal_decide,
    proposal_request_information,
    proposal_run_checks,
    proposal_start_review,
    proposal_submit,
)
from suppliers.enums import CertificationKind
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification, Invitation, ScreeningEntry, ScreeningList
from suppliers.screening import screening_list_load
from tests.support.processes import PROJECT_DIR

PANEL_APPS = ("accounts", "audit", "jobs", "suppliers", "rfp")
PANEL_MODELS = [model for label in PANEL_APPS for model in apps.get_app_config(label).get_models()]
READ_ONLY_MODELS = [
    ProposalVersion,
    Attachment,
    Job,
    Decision,
    Review,
    Score,
    ProposalCheck,
    ScreeningList,
    ScreeningEntry,
]
SCREENING_SAMPLE = PROJECT_DIR / "suppliers" / "data" / "screening-sample.csv"
PROPOSAL_CHANGELIST = "admin:rfp_proposal_changelist"


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _messages(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in get_messages(response.wsgi_request)]


def _submitted(**kwargs) -> Proposal:
    proposal = draft_proposal(**kwargs)
    return proposal_submit(proposal=proposal, actor=None)


@pytest.fixture
def lead(db):
    return ProgramLeadFactory(is_superuser=True)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def _make_everything(lead) -> Proposal:
    """At least one row of every model in the panel, made the way the services make them."""
    now = timezone.now()
    member = SupplierMemberFactory()
    supplier, person = member.supplier, member.user
    facility = FacilityFactory(supplier=supplier)
    Certification.objects.create(
        supplier=supplier,
        facility=facility,
        kind=CertificationKind.ISO_9001,
        number="Q-9001-1",
        issued_by="Registrar Inc.",
        expires_on=now.date() + timedelta(days=365),
        document="certificates/1/iso9001.pdf",
    )
    Invitation.objects.create(
        supplier=supplier,
        email="colleague@example-manufacturer.com",
        token="t" * 40,
        invited_by=person,
        expires_at=now + timedelta(days=7),
    )
    proposal = proposal_submit(proposal=draft_proposal(supplier=supplier, actor=person), actor=person)
    screening_list_load(content=SCREENING_SAMPLE.read_bytes(), file_name=SCREENING_SAMPLE.name)
    proposal_run_checks(proposal_id=proposal.pk, version=proposal.version)
    Attachment.objects.create(
        proposal=proposal,
        file="attachments/1/ab/" + "ab" * 32,
        original_name="datasheet.pdf",
        content_type="application/pdf",
        size_bytes=20_480,
        sha256="ab" * 32,
        uploaded_by=person,
    )
    proposal_start_review(proposal=proposal, actor=lead)

    reviewer = ReviewerUserFactory()
    profile = ReviewerProfile.objects.create(user=reviewer)
    profile.sectors.set(Sector.objects.all())
    ReviewerConflict.objects.create(reviewer=reviewer, supplier=SupplierFactory(), reason="Former employer.")
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        assigned_at=now,
        due_at=now + timedelta(days=10),
        conflict_declaration="no_conflict",
        conflict_declared_at=now,
    )
    rubric = Rubric.objects.get(sector=proposal.sector, rfp=None)
    review = Review.objects.create(
        assignment=assignment,
        rubric=rubric,
        recommendation="shortlist",
        weighted_score=Decimal("80.00"),
        submitted_at=now,
    )
    for criterion in rubric.criteria.all():
        Score.objects.create(review=review, criterion=criterion, value=4, comment="Solid.")
    proposal_decide(proposal=proposal, actor=lead, outcome=DecisionOutcome.SHORTLISTED, rationale="Strong US capacity.")

    other = proposal_submit(
        proposal=draft_proposal(rfp=proposal.rfp, supplier=supplier, sector_code="robotics", actor=person),
        actor=person,
    )
    proposal_start_review(proposal=other, actor=lead)
    proposal_request_information(proposal=other, actor=lead, question="Where are the magnets made?")
    draft_proposal(rfp=proposal.rfp, supplier=supplier, sector_code="consumer-electronics", actor=person)

    addendum = Addendum.objects.create(
        rfp=proposal.rfp, number=1, title="Scope extended", body="Cabling is in scope.", published_at=now
    )
    AddendumAcknowledgement.objects.create(addendum=addendum, supplier=supplier, acknowledged_by=person)
    Clarification.objects.create(
        rfp=proposal.rfp, supplier=supplier, asked_by=person, question="Are prototypes in scope?"
    )
    return proposal


@pytest.fixture
def populated(lead):
    return _make_everything(lead)


# (a) -----------------------------------------------------------------------------------------------------------


def test_every_model_of_the_project_apps_is_in_the_panel():
    missing = [model._meta.label for model in PANEL_MODELS if not admin.site.is_registered(model)]
    assert missing == []


# (b) -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", PANEL_MODELS, ids=lambda model: model._meta.label)
def test_changelist_search_and_add_pages_answer(model, lead, lead_client, populated):
    assert model.objects.exists(), f"the fixture should make at least one {model._meta.label}"

    assert lead_client.get(_url(model, "changelist")).status_code == 200
    assert lead_client.get(_url(model, "changelist"), {"q": "example"}).status_code == 200

    request = RequestFactory().get("/panel/")
    request.user = lead
    can_add = admin.site.get_model_admin(model).has_add_permission(request)
    assert lead_client.get(_url(model, "add")).status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", PANEL_MODELS, ids=lambda model: model._meta.label)
def test_change_page_of_a_row_answers(model, lead_client, populated):
    for obj in model.objects.all()[:3]:
        assert lead_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda model: model._meta.label)
def test_evidence_is_read_only(model, lead):
    request = RequestFactory().get("/panel/")
    request.user = lead
    model_admin = admin.site.get_model_admin(model)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)
    if model is not Job:  # a Job is read-only too, but has the "Publish again" action
        assert not model_admin.has_change_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


# (c) -----------------------------------------------------------------------------------------------------------


def _changelist_query_count(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(PROPOSAL_CHANGELIST))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_proposal_changelist_query_count_does_not_grow(lead_client, django_assert_max_num_queries):
    _submitted()
    lead_client.get(reverse(PROPOSAL_CHANGELIST))  # warm the per-process caches (content types, ...)
    with django_assert_max_num_queries(15):
        one = _changelist_query_count(lead_client)

    _submitted(sector_code="robotics")
    draft_proposal(sector_code="consumer-electronics")
    assert Proposal.objects.count() == 3
    with django_assert_max_num_queries(15):
        three = _changelist_query_count(lead_client)

    assert three == one


def _attach(proposal: Proposal, n: int) -> None:
    for i in range(n):
        Attachment.objects.create(
            proposal=proposal,
            file=f"attachments/{proposal.pk}/{i:02d}/{i:064d}",
            original_name=f"drawing-{i}.pdf",
            content_type="application/pdf",
            size_bytes=1000 + i,
            sha256=f"{i:064d}",
        )


def test_proposal_change_page_query_count_does_not_grow_with_its_rows(lead_client):
    proposal = _submitted()
    url = _url(Proposal, "change", proposal.pk)
    lead_client.get(url)
    _attach(proposal, 1)
    with CaptureQueriesContext(connection) as one:
        assert lead_client.get(url).status_code == 200
    _attach(proposal, 4)
    with CaptureQueriesContext(connection) as five:
        assert lead_client.get(url).status_code == 200
    assert len(five.captured_queries) == len(one.captured_queries)


# (d) -----------------------------------------------------------------------------------------------------------


def test_proposal_change_page_shows_status_but_cannot_edit_it(lead_client):
    proposal = _submitted()
    response = lead_client.get(_url(Proposal, "change", proposal.pk))
    assert response.status_code == 200

    form = response.context["adminform"].form
    assert "status" not in form.fields
    html = response.content.decode()
    assert 'name="status"' not in html
    assert '<div class="readonly">Submitted</div>' in html
    # Only the typed answers of the proposal's own sector are shown.
    assert 'name="datacenter_details-TOTAL_FORMS"' in html
    assert 'name="electronics_details-TOTAL_FORMS"' not in html
    assert 'name="robotics_details-TOTAL_FORMS"' not in html


def _change_form_data(response) -> dict:
    """What the browser would post back from a change page: every bound field of the form and its inlines."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is not None:
                data[bound.html_name] = [str(item) for item in value] if isinstance(value, list) else value
    return data


def test_proposal_change_form_refuses_a_post_and_changes_nothing(lead_client):
    proposal = _submitted()
    before = Proposal.objects.values().get(pk=proposal.pk)
    events = AuditEvent.objects.count()
    data = _change_form_data(lead_client.get(_url(Proposal, "change", proposal.pk)))
    data.update(status=ProposalStatus.SHORTLISTED, title="US supply offer, revised")

    response = lead_client.post(_url(Proposal, "change", proposal.pk), data)

    assert response.status_code == 403
    assert Proposal.objects.values().get(pk=proposal.pk) == before
    assert AuditEvent.objects.count() == events


# (e) -----------------------------------------------------------------------------------------------------------


def _act(client, action: str, *proposals: Proposal):
    return client.post(reverse(PROPOSAL_CHANGELIST), {"action": action, "_selected_action": [p.pk for p in proposals]})


def test_start_review_moves_a_submitted_proposal_and_audits_it(lead, lead_client):
    proposal = _submitted()

    response = _act(lead_client, "start_review", proposal)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    event = AuditEvent.objects.get(action="proposal.review_started", object_id=str(proposal.pk))
    assert event.actor == lead
    assert event.data["from"] == ProposalStatus.SUBMITTED
    assert event.data["to"] == ProposalStatus.IN_REVIEW
    assert _messages(response) == [(messages.SUCCESS, "Started the review of 1 proposal.")]


def test_start_review_on_a_draft_shows_the_service_error_and_changes_nothing(lead_client):
    proposal = draft_proposal()
    before = Proposal.objects.values().get(pk=proposal.pk)
    events = AuditEvent.objects.count()

    response = _act(lead_client, "start_review", proposal)

    assert response.status_code == 302
    assert _messages(response) == [
        (messages.ERROR, f"You cannot start reviewing proposal {proposal.reference}: it is draft.")
    ]
    assert Proposal.objects.values().get(pk=proposal.pk) == before
    assert AuditEvent.objects.count() == events


def test_start_review_reports_each_proposal(lead_client):
    submitted, draft = _submitted(), draft_proposal()

    response = _act(lead_client, "start_review", submitted, draft)

    assert sorted(_messages(response)) == sorted(
        [
            (messages.SUCCESS, "Started the review of 1 proposal."),
            (messages.ERROR, f"You cannot start reviewing proposal {draft.reference}: it is draft."),
        ]
    )
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (ProposalStatus.IN_REVIEW, ProposalStatus.DRAFT)


def test_the_panel_does_not_withdraw_a_suppliers_proposal(lead_client):
    """Withdrawing is the supplier's decision (rfp.rules.may_withdraw_proposal), not an action of the panel."""
    proposal = _submitted()

    _act(lead_client, "withdraw", proposal)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="proposal.withdrawn").exists()


def test_proposal_cannot_be_added_or_deleted_in_the_panel(lead_client):
    proposal = _submitted()
    assert lead_client.get(_url(Proposal, "add")).status_code == 403
    assert lead_client.get(_url(Proposal, "delete", proposal.pk)).status_code == 403
    response = lead_client.get(reverse(PROPOSAL_CHANGELIST))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert set(actions) == {"", "start_review"}


# Automated checks and screening lists ----------------------------------------------------------------------------


def test_proposal_change_page_shows_its_automated_checks_read_only(lead_client):
    screening_list_load(content=SCREENING_SAMPLE.read_bytes(), file_name=SCREENING_SAMPLE.name)
    proposal = _submitted()
    Proposal.objects.filter(pk=proposal.pk).update(sub_suppliers=["SEP Power"])
    proposal_run_checks(proposal_id=proposal.pk, version=1)

    html = lead_client.get(_url(Proposal, "change", proposal.pk)).content.decode()

    assert "Automated checks" in html
    assert "Restricted-party screening of the sub-supplier “SEP Power”" in html
    assert 'name="checks-TOTAL_FORMS"' in html
    assert 'name="checks-0-outcome"' not in html, "checks are shown, never edited"


def test_check_changelist_filters_on_outcome_and_entries_are_found_by_alias(lead_client):
    screening_list_load(content=SCREENING_SAMPLE.read_bytes(), file_name=SCREENING_SAMPLE.name)
    proposal = _submitted()
    Proposal.objects.filter(pk=proposal.pk).update(sub_suppliers=["SEP Power"])
    proposal_run_checks(proposal_id=proposal.pk, version=1)

    failed = lead_client.get(_url(ProposalCheck, "changelist"), {"outcome__exact": "fail"})
    assert [check.code for check in failed.context["cl"].result_list] == ["screening_sub_supplier_1"]

    found = lead_client.get(_url(ScreeningEntry, "changelist"), {"q": "SEP Power"})
    assert [entry.name for entry in found.context["cl"].result_list] == ["Shenzhen Example Power Co., Ltd."]


# Jobs ----------------------------------------------------------------------------------------------------------


def test_job_changelist_shows_the_status_label(lead_client):
    Job.objects.create(task_name="rfp.example", status=Job.Status.RETRYING)
    response = lead_client.get(_url(Job, "changelist"))
    assert "Failed, will retry" in response.content.decode()


def test_publish_again_publishes_through_the_service(lead_client, monkeypatch):
    from jobs import services as job_services

    published = []
    monkeypatch.setattr(job_services, "job_publish", lambda *, job_id: published.append(job_id) or True)
    pending = Job.objects.create(task_name="rfp.example")

    response = lead_client.post(_url(Job, "changelist"), {"action": "publish_again", "_selected_action": [pending.pk]})

    assert published == [pending.pk]
    assert _messages(response) == [(messages.SUCCESS, "Published 1 job(s) again.")]


def test_publish_again_skips_finished_jobs(lead_client):
    done = Job.objects.create(task_name="rfp.example", status=Job.Status.DONE)

    response = lead_client.post(_url(Job, "changelist"), {"action": "publish_again", "_selected_action": [done.pk]})

    [(level, text)] = _messages(response)
    assert level == messages.WARNING
    assert text.startswith("1 job(s) not published")
    done.refresh_from_db()
    assert (done.status, done.publish_count) == (Job.Status.DONE, 0)
