"""The automated checks of a submitted version: what each check finds, what is stored, and that it is stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_run
from rfp import services, tasks
from rfp.enums import CheckOutcome
from rfp.factories import draft_proposal
from rfp.models import ProposalCheck
from rfp.selectors import proposal_check_list
from suppliers.enums import CertificationKind
from suppliers.factories import FacilityFactory, SupplierFactory
from suppliers.models import Certification, Supplier
from suppliers.screening import screening_list_load
from tests.support.processes import PROJECT_DIR

pytestmark = pytest.mark.django_db

SAMPLE = PROJECT_DIR / "suppliers" / "data" / "screening-sample.csv"
SEP = "Shenzhen Example Power Co., Ltd."
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"
P, W, F = CheckOutcome.PASS, CheckOutcome.WARNING, CheckOutcome.FAIL


@pytest.fixture
def sample_list(db):
    return screening_list_load(content=SAMPLE.read_bytes(), file_name=SAMPLE.name).screening_list


def _submitted(*, supplier=None, facilities=None, sub_suppliers=None):
    actor = UserFactory()
    proposal = draft_proposal(supplier=supplier or SupplierFactory(), actor=actor)
    changes = {}
    if sub_suppliers is not None:
        changes["fields"] = {"sub_suppliers": sub_suppliers}
    if facilities is not None:
        changes["facilities"] = facilities
    if changes:
        proposal = services.proposal_update(proposal=proposal, actor=actor, **changes)
    return services.proposal_submit(proposal=proposal, actor=actor)


def _run(proposal, version=1) -> dict[str, ProposalCheck]:
    return {check.code: check for check in services.proposal_run_checks(proposal_id=proposal.pk, version=version)}


def test_a_complete_proposal_of_a_clean_supplier_passes_every_check(sample_list):
    proposal = _submitted()

    checks = _run(proposal)

    assert {code: check.outcome for code, check in checks.items()} == {
        "completeness": P,
        "ein": P,
        "uei": P,
        "cage": P,
        "naics": P,
        "facilities": P,
        "certifications": P,
        "screening_legal_name": P,
    }
    assert checks["completeness"].detail == "Every required answer is given."
    assert checks["naics"].detail == "All in NAICS 2022: 334111 (Electronic Computer Manufacturing)."
    assert checks["facilities"].detail.startswith("All in the US: Plant ")
    assert checks["certifications"].detail == "No certificates declared."
    screening = checks["screening_legal_name"]
    assert screening.data["matches"] == []
    assert screening.data["list"]["sha256"] == sample_list.sha256
    assert "scores below 80 against every name and alias" in screening.detail
    assert all(check.version == 1 for check in checks.values())


def test_the_run_is_audited_with_a_summary_of_outcomes(sample_list):
    proposal = _submitted(sub_suppliers=["SEP Power"])

    _run(proposal)

    event = AuditEvent.objects.get(action="proposal.checked", object_id=str(proposal.pk))
    assert event.summary == f"{proposal.reference} v1 checked: 8 passed, 0 warned, 1 failed"
    assert event.data == {
        "version": 1,
        "outcomes": {"pass": 8, "warning": 0, "fail": 1},
        "failed": ["screening_sub_supplier_1"],
        "warned": [],
    }


def test_an_incomplete_resubmitted_version_fails_completeness_naming_what_is_missing(sample_list):
    proposal = _submitted()
    lead = ProgramLeadFactory()
    services.proposal_start_review(proposal=proposal, actor=lead)
    services.proposal_request_information(proposal=proposal, actor=lead, question="What is the lead time?")
    # The supplier answers, but clears the lead time and the narrative while editing.
    services.proposal_update(
        proposal=proposal, actor=UserFactory(), fields={"lead_time_weeks": None, "technical_narrative": ""}
    )
    services.proposal_resubmit(proposal=proposal, actor=UserFactory(), response="Clarified below.")

    checks = _run(proposal, version=2)

    completeness = checks["completeness"]
    assert completeness.outcome == F
    assert completeness.detail == "Still missing: technical narrative, lead time (weeks)."
    assert completeness.data == {"missing": ["technical narrative", "lead time (weeks)"]}


def test_malformed_identifiers_and_unknown_naics_codes_fail_with_the_validators_messages(sample_list):
    supplier = SupplierFactory()
    proposal = _submitted(supplier=supplier)
    # Rows older than today's rules: written before the validators were tightened.
    Supplier.objects.filter(pk=supplier.pk).update(ein="00-1234567", uei="0ABC12345678", naics_codes=["334", "999999"])

    checks = _run(proposal)

    assert checks["ein"].outcome == F
    assert checks["ein"].detail == "00 is not a prefix the IRS assigns to EINs; check the first two digits."
    assert checks["uei"].outcome == F
    assert checks["uei"].detail == "A UEI never starts with 0."
    assert checks["naics"].outcome == F
    assert "334 is a NAICS group, not an industry" in checks["naics"].detail
    assert "999999 is not in the NAICS 2022 table" in checks["naics"].detail
    assert checks["cage"].outcome == P


def test_a_missing_cage_code_passes_as_optional(sample_list):
    proposal = _submitted(supplier=SupplierFactory(cage=""))

    cage = _run(proposal)["cage"]

    assert (cage.outcome, cage.detail) == (P, "No CAGE code declared; it is optional.")


def test_a_facility_whose_zip_is_in_another_state_fails(sample_list):
    supplier = SupplierFactory()
    good = FacilityFactory(supplier=supplier, name="Austin Rack Line", state="TX", zip_code="78744")
    wrong = FacilityFactory(supplier=supplier, name="Dallas Annex", state="TX", zip_code="10001")
    proposal = _submitted(supplier=supplier, facilities=[good, wrong])

    facilities = _run(proposal)["facilities"]

    assert facilities.outcome == F
    assert facilities.detail.startswith("Dallas Annex: ZIP code 10001 is in New York (NY), not in Texas")
    assert "Austin Rack Line" not in facilities.detail
    problems = {row["name"]: row["problem"] for row in facilities.data["facilities"]}
    assert problems["Austin Rack Line"] == ""
    assert problems["Dallas Annex"].startswith("ZIP code 10001 is in New York (NY)")


def test_expired_and_expiring_certificates_warn_by_name(sample_list):
    supplier = SupplierFactory()
    today = timezone.localdate()
    Certification.objects.create(
        supplier=supplier, kind=CertificationKind.ISO_9001, number="Q-1", expires_on=today - timedelta(days=10)
    )
    Certification.objects.create(
        supplier=supplier,
        kind=CertificationKind.UL,
        name="UL 508A industrial control panels",
        expires_on=today + timedelta(days=30),
    )
    Certification.objects.create(
        supplier=supplier, kind=CertificationKind.ISO_14001, number="E-7", expires_on=today + timedelta(days=400)
    )
    proposal = _submitted(supplier=supplier)

    certifications = _run(proposal)["certifications"]

    expired_on = today - timedelta(days=10)
    expires_on = today + timedelta(days=30)
    assert certifications.outcome == W
    assert certifications.detail == (
        f"ISO 9001 Q-1 expired on {expired_on:%B %-d, %Y}; "
        f"UL listing UL 508A industrial control panels expires on {expires_on:%B %-d, %Y} (in 30 days)."
    )
    assert [item["name"] for item in certifications.data["expired"]] == ["ISO 9001 Q-1"]
    assert [item["name"] for item in certifications.data["expiring"]] == [
        "UL listing UL 508A industrial control panels"
    ]


def test_valid_certificates_pass(sample_list):
    supplier = SupplierFactory()
    Certification.objects.create(
        supplier=supplier, kind=CertificationKind.ISO_9001, expires_on=timezone.localdate() + timedelta(days=91)
    )

    certifications = _run(_submitted(supplier=supplier))["certifications"]

    assert certifications.outcome == P
    assert certifications.detail.startswith("1 certificate(s), none expired or expiring by ")


def test_screening_of_legal_name_dba_and_each_sub_supplier(sample_list):
    supplier = SupplierFactory(legal_name="SEP Power LLC", dba="Gulf Coast Power")
    proposal = _submitted(
        supplier=supplier, sub_suppliers=["Shenzhen Example Power Systems Inc.", "Hill Country Sheet Metal LLC", " "]
    )

    checks = _run(proposal)

    legal = checks["screening_legal_name"]
    assert legal.outcome == F
    assert legal.label == "Restricted-party screening of the legal name “SEP Power LLC”"
    assert legal.detail == (
        f"Hit: “SEP Power LLC” matches “{SEP}” (entry EL-90009) on {ENTITY_LIST}, through its alias “SEP Power”, "
        "score 100 (a hit is 92 or more)."
    )
    [match] = legal.data["matches"]
    assert match["name"] == SEP
    assert match["source"] == ENTITY_LIST
    assert match["alias"] == "SEP Power"
    assert match["score"] == 100
    assert legal.data["screening_outcome"] == "hit"

    assert checks["screening_dba"].outcome == P

    near = checks["screening_sub_supplier_1"]
    assert near.outcome == W
    assert near.detail.startswith(f"Needs review: “Shenzhen Example Power Systems Inc.” is close to “{SEP}”")
    assert 80 <= near.data["score"] < 92
    assert near.data["matches"][0]["alias"] is None

    assert checks["screening_sub_supplier_2"].outcome == P
    assert "screening_sub_supplier_3" not in checks, "a blank sub-supplier name is not screened"


def test_without_a_loaded_list_screening_warns_that_nothing_was_screened():
    proposal = _submitted()

    screening = _run(proposal)["screening_legal_name"]

    assert screening.outcome == W
    assert "No restricted-party list is loaded" in screening.detail
    assert "manage.py load_screening_list FILE" in screening.detail


def test_running_the_checks_again_returns_the_stored_rows_and_changes_nothing(sample_list):
    proposal = _submitted(sub_suppliers=["SEP Power"])
    first = services.proposal_run_checks(proposal_id=proposal.pk, version=1)
    stored = list(ProposalCheck.objects.order_by("id").values())

    # Even when the world changed since: the version's checks are what they were.
    Supplier.objects.filter(pk=proposal.supplier_id).update(legal_name="SEP Power LLC")
    again = services.proposal_run_checks(proposal_id=proposal.pk, version=1)

    assert [check.pk for check in again] == [check.pk for check in first]
    assert list(ProposalCheck.objects.order_by("id").values()) == stored
    assert AuditEvent.objects.filter(action="proposal.checked").count() == 1


def test_a_superseded_version_is_left_to_the_newer_submit(sample_list):
    proposal = _submitted()
    lead = ProgramLeadFactory()
    services.proposal_start_review(proposal=proposal, actor=lead)
    services.proposal_request_information(proposal=proposal, actor=lead, question="Which plant?")
    services.proposal_resubmit(proposal=proposal, actor=UserFactory(), response="Austin.")

    assert services.proposal_run_checks(proposal_id=proposal.pk, version=1) == []
    assert services.proposal_run_checks(proposal_id=0, version=1) == []
    assert not ProposalCheck.objects.exists()


def test_the_check_list_selector_shows_one_version_in_run_order(sample_list):
    proposal = _submitted()
    lead = ProgramLeadFactory()
    _run(proposal, version=1)
    services.proposal_start_review(proposal=proposal, actor=lead)
    services.proposal_request_information(proposal=proposal, actor=lead, question="Which plant?")
    services.proposal_resubmit(proposal=proposal, actor=UserFactory(), response="Austin.")
    proposal.refresh_from_db()
    _run(proposal, version=2)

    latest = list(proposal_check_list(proposal=proposal))
    first = list(proposal_check_list(proposal=proposal, version=1))

    assert {check.version for check in latest} == {2}
    assert {check.version for check in first} == {1}
    assert [check.code for check in latest][:2] == ["completeness", "ein"]
    assert [check.code for check in latest] == [check.code for check in first]
    assert list(proposal_check_list(proposal=_submitted())) == []


def test_entering_the_queue_enqueues_the_checks_once_per_version():
    proposal = _submitted()

    assert services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1) is True
    assert services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1) is False

    job = Job.objects.get(task_name=services.CHECKS_TASK)
    assert job.arguments == {"proposal_id": proposal.pk, "version": 1}
    assert job.dedupe_key == f"{services.CHECKS_TASK}:{proposal.pk}:v1"


def test_the_checks_job_runs_through_its_task_handler(sample_list):
    proposal = _submitted(supplier=SupplierFactory(legal_name="SEP Power LLC"))
    services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1)
    job = Job.objects.get(task_name=services.CHECKS_TASK)

    assert tasks.proposal_run_checks.name == services.CHECKS_TASK
    assert job_run(job_id=job.pk, handler=tasks.proposal_run_checks.handler) is True

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert proposal_check_list(proposal=proposal).get(code="screening_legal_name").outcome == F
