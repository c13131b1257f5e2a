"""Blind means blind: nothing that reaches a reviewer of a blind round names the supplier.

One proposal of a blind round goes the whole way a worker takes it (submit, queue entry, checks, assignment, the
assignment email) and every output its reviewer reaches is rendered: pages, API, the PDF copy, checks, refusals,
emails, file names. None may carry the supplier's legal name, DBA, EIN, UEI, CAGE, website or email domain, its
facility's name, street or city, its certificate number, or the name the supplier gave its file. The supplier's
identity is made distinctive so that a leak cannot hide in ordinary words; every output is checked for being rendered
at all, so the test cannot pass on an empty page. The program lead still sees everything.
"""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import ProgramLeadFactory, UserFactory
from documents.models import Audience
from documents.services import summary_pdf_render
from notifications.reports import reviewer_digest_send
from rfp import services
from rfp.enums import AttachmentKind, ConflictDeclaration
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal, ReviewAssignment
from suppliers.enums import CertificationKind, MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification
from suppliers.screening import screening_list_load
from tests.api.conftest import client_for
from tests.portal.attachments.files import pdf_bytes, remove_stored_files, upload
from tests.review.conftest import make_reviewer
from tests.support.outbox import deliver_outbox, run_jobs
from tests.support.processes import PROJECT_DIR

pytestmark = pytest.mark.django_db

SAMPLE_LIST = PROJECT_DIR / "suppliers" / "data" / "screening-sample.csv"
LEGAL_NAME = "Zephyrine Quartzworks, Inc."
DBA = "Crystalline Busbar Co"
EIN = "93-4417256"
UEI = "ZQWK7M4N2P9R"
CAGE = "7ZQW4"
DOMAIN = "zephyrine-quartz.example"
FACILITY_NAME = "Zephyrine North Works"
FACILITY_STREET = "1717 Obsidian Way"
FACILITY_CITY = "Obsidian Falls"
CERTIFICATE_NUMBER = "ZQ-ISO-88123"
FILE_NAME = "Zephyrine-Quartzworks-capabilities.pdf"
# Each piece of identity, and the distinctive words it is made of, so that a part of it cannot leak either.
IDENTITY = [
    LEGAL_NAME,
    "Zephyrine",
    "Quartzworks",
    DBA,
    "Crystalline",
    EIN,
    EIN.replace("-", ""),
    UEI,
    CAGE,
    DOMAIN,
    "zephyrine-quartz",
    FACILITY_NAME,
    FACILITY_STREET,
    "Obsidian",
    CERTIFICATE_NUMBER,
    FILE_NAME,
]
# What the supplier wrote names it too; a reviewer of a blind round reads it with those names masked.
TITLE = "Zephyrine Quartzworks: 800 V busbar capacity for AI datacenters"
SHOWN_TITLE = "[hidden]: 800 V busbar capacity for AI datacenters"
NARRATIVE = (
    f"Crystalline Busbar Co rolls copper at {FACILITY_STREET}, {FACILITY_CITY}; datasheets on www.{DOMAIN}. "
    "Zephyrine North Works adds a second line in 2027."
)
SHOWN_NARRATIVE = "[hidden] rolls copper at [hidden], [hidden]; datasheets on www.[hidden]. [hidden] adds a second line"


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """The pipeline's jobs are run here, in this process, never published to the shared Redis."""


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    remove_stored_files()


def assert_names_nobody(where: str, text: str) -> None:
    leaked = [piece for piece in IDENTITY if piece.lower() in text.lower()]
    assert not leaked, f"{where} names the supplier: {leaked}"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def blind_round():
    """A blind round's proposal of a distinctive supplier, submitted and taken through the worker's pipeline to its
    one reviewer, who has the assignment email."""
    screening_list_load(content=SAMPLE_LIST.read_bytes(), file_name=SAMPLE_LIST.name)
    rfp = RfpFactory(
        reference="BLIND-2026", blind_review=True, reviewers_per_proposal=1, closes_at=timezone.now() + timedelta(20)
    )
    supplier = SupplierFactory(
        legal_name=LEGAL_NAME,
        dba=DBA,
        ein=EIN,
        uei=UEI,
        cage=CAGE,
        website=f"https://www.{DOMAIN}/",
        hq_address_line1="42 Quartzworks Row",
        hq_city="Zephyrine Springs",
        hq_state="OR",
        hq_zip="97201",
    )
    owner = SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email=f"owner@{DOMAIN}"), role=MemberRole.OWNER
    ).user
    Certification.objects.create(
        supplier=supplier,
        kind=CertificationKind.ISO_9001,
        name="Zephyrine quality system",
        number=CERTIFICATE_NUMBER,
        issued_by="BSI",
        expires_on=timezone.localdate() + timedelta(days=20),
    )
    facility = FacilityFactory(
        supplier=supplier,
        name=FACILITY_NAME,
        address_line1=FACILITY_STREET,
        city=FACILITY_CITY,
        state="OR",
        zip_code="97201",
    )
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner)
    proposal = services.proposal_update(
        proposal=proposal, actor=owner, fields={"title": TITLE, "technical_narrative": NARRATIVE}, facilities=[facility]
    )
    services.attachment_add(
        proposal=proposal, actor=owner, upload=upload(FILE_NAME, pdf_bytes(padding=99)), kind=AttachmentKind.TECHNICAL
    )
    reviewer = make_reviewer(email="ana.reviewer@buyer.example")
    services.proposal_submit(proposal=proposal, actor=owner)
    run_jobs(services.QUEUE_TASK, services.CHECKS_TASK, services.ASSIGN_TASK, services.ASSIGNMENT_EMAIL_TASK)
    deliver_outbox()
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert ReviewAssignment.objects.get(proposal=proposal).reviewer == reviewer
    return proposal, reviewer


def test_nothing_a_reviewer_of_a_blind_round_reaches_names_the_supplier(client, blind_round):
    proposal, reviewer = blind_round
    reference = proposal.reference
    page_url = reverse("review:proposal", args=[reference])
    api = client_for(reviewer)
    api_url = f"/api/v1/review/proposals/{reference}/"
    client.force_login(reviewer)
    assert not reference.endswith(f"{proposal.supplier_id:05d}")

    (email,) = [message for message in mail.outbox if reviewer.email in message.to]
    assert f"Review assigned: proposal {reference}" in email.subject
    assert reference in email.body and SHOWN_TITLE in email.body
    assert_names_nobody(
        "assignment email", " ".join([email.subject, email.body, *(body for body, _ in email.alternatives)])
    )

    queue = client.get(reverse("review:queue"))
    assert queue.status_code == 200 and reference in queue.content.decode()
    assert_names_nobody("review queue", queue.content.decode())
    assert SHOWN_TITLE in queue.content.decode()

    gate = client.get(page_url)
    assert gate.status_code == 200 and "Do you have a conflict of interest" in gate.content.decode()
    assert_names_nobody("conflict declaration page", gate.content.decode())

    refused_page = client.post(reverse("review:save_review", args=[reference]), {"action": "save"})
    # Scoring before declaring shows the declaration again, never the proposal.
    assert refused_page.status_code == 409
    assert "Do you have a conflict of interest" in refused_page.content.decode()
    assert_names_nobody("refusal to score (page)", refused_page.content.decode())
    refused_api = api.put(f"{api_url}review/", {"scores": {}, "comments": "x"}, format="json")
    assert refused_api.status_code in (400, 409) and "conflict" in refused_api.content.decode()
    assert_names_nobody("refusal to score (API)", refused_api.content.decode())
    gated_api = api.get(api_url)
    assert gated_api.status_code == 409
    assert_names_nobody("API detail before the declaration", gated_api.content.decode())

    assert (
        client.post(reverse("review:declare_conflict", args=[reference]), {"declaration": "no_conflict"}).status_code
        == 302
    )
    assert ReviewAssignment.objects.get(proposal=proposal).conflict_declaration == ConflictDeclaration.NO_CONFLICT

    page = client.get(page_url)
    text = page.content.decode()
    assert page.status_code == 200
    assert_names_nobody("proposal page", text)
    assert SHOWN_TITLE in text and SHOWN_NARRATIVE in text
    assert "EIN: right shape." in text and "SAM.gov UEI: right shape." in text and "CAGE code: right shape." in text
    assert re.search(r"Restricted-party screening of the legal name</td>.*?clear\.", text, re.DOTALL)
    assert "Restricted-party screening of the DBA" in text
    assert "A certificate expires on" in text

    queue_api = api.get("/api/v1/review/assignments/")
    assert queue_api.status_code == 200 and queue_api.json()["results"][0]["reference"] == reference
    assert_names_nobody("API assignment list", queue_api.content.decode())
    detail = api.get(api_url)
    assert detail.status_code == 200 and detail.json()["supplier"] is None
    assert detail.json()["title"] == SHOWN_TITLE
    assert_names_nobody("API proposal detail, checks and attachments", detail.content.decode())
    checks = {check["code"]: check for check in detail.json()["checks"]}
    assert checks["ein"]["detail"] == "EIN: right shape."
    assert checks["screening_legal_name"]["label"] == "Restricted-party screening of the legal name"
    assert checks["screening_legal_name"]["detail"] == "clear."
    (attachment,) = detail.json()["attachments"]
    assert attachment["original_name"].startswith(reference) and attachment["original_name"].endswith(".pdf")

    for route, url in [
        ("API", attachment["download_url"]),
        ("portal", reverse("portal:attachment_download", args=[reference, attachment["id"]])),
    ]:
        download = (api if route == "API" else client).get(url)
        assert download.status_code == 200 and _content(download).startswith(b"%PDF")
        assert attachment["original_name"] in download["Content-Disposition"]
        assert_names_nobody(f"attachment download name ({route})", download["Content-Disposition"])

    summary_pdf_render(proposal_id=proposal.pk, audience=Audience.REVIEWER, reason="test")
    pdf = client.get(reverse("documents:proposal_summary_pdf", args=[proposal.pk]))
    pdf_text = _pdf_text(_content(pdf))
    assert pdf.status_code == 200
    assert_names_nobody("reviewer's PDF copy", pdf_text)
    assert SHOWN_TITLE in pdf_text
    assert "EIN: right shape." in pdf_text
    assert_names_nobody("reviewer's PDF file name", pdf["Content-Disposition"])

    mail.outbox.clear()
    assert reviewer_digest_send(
        rfp_id=proposal.rfp_id, reviewer_id=reviewer.pk, digest_date=timezone.localdate().isoformat()
    )
    deliver_outbox()
    (digest,) = mail.outbox
    assert reference in digest.body and SHOWN_TITLE in digest.body
    assert_names_nobody(
        "reviewer digest", " ".join([digest.subject, digest.body, *(body for body, _ in digest.alternatives)])
    )


def test_the_program_lead_still_sees_who_the_supplier_is(client, blind_round):
    proposal, _ = blind_round
    client.force_login(ProgramLeadFactory())

    text = client.get(reverse("review:proposal", args=[proposal.reference])).content.decode()
    detail = client_for(ProgramLeadFactory()).get(f"/api/v1/review/proposals/{proposal.reference}/").json()

    assert LEGAL_NAME in text and EIN in text and TITLE in text and NARRATIVE in text
    assert f"{EIN} has the right shape." in text
    assert f"Restricted-party screening of the legal name “{LEGAL_NAME}”" in text
    assert FILE_NAME in text
    checks = {check["code"]: check for check in detail["checks"]}
    assert checks["ein"]["detail"] == f"{EIN} has the right shape."
    assert detail["attachments"][0]["original_name"] == FILE_NAME


def test_a_reviewer_of_an_open_round_sees_the_checks_in_full(client, blind_round):
    proposal, reviewer = blind_round
    proposal.rfp.blind_review = False
    proposal.rfp.save(update_fields=["blind_review"])
    services.assignment_declare_no_conflict(assignment=ReviewAssignment.objects.get(proposal=proposal), actor=reviewer)
    client.force_login(reviewer)

    text = client.get(reverse("review:proposal", args=[proposal.reference])).content.decode()

    assert f"{EIN} has the right shape." in text and LEGAL_NAME in text and FILE_NAME in text


def test_a_new_reference_carries_no_supplier_number_and_old_references_keep_working(client, blind_round):
    proposal, reviewer = blind_round
    supplier_number = f"{proposal.supplier_id:05d}"

    assert re.fullmatch(r"BLIND-2026-DC-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", proposal.reference)
    assert not proposal.reference.endswith(supplier_number)
    other = draft_proposal(rfp=RfpFactory(reference="BLIND-2027"), supplier=proposal.supplier)
    assert other.reference.rsplit("-", 1)[1] != proposal.reference.rsplit("-", 1)[1]

    Proposal.objects.filter(pk=proposal.pk).update(reference=f"BLIND-2026-DC-{supplier_number}")
    client.force_login(reviewer)
    assert client.get(reverse("review:proposal", args=[f"BLIND-2026-DC-{supplier_number}"])).status_code == 200


@pytest.mark.parametrize(
    ("code", "label", "outcome", "data", "shown"),
    [
        (
            "ein",
            "EIN shape and IRS prefix",
            "fail",
            {"value": "00-1234567"},
            ("EIN shape and IRS prefix", "EIN: wrong shape."),
        ),
        (
            "cage",
            "CAGE code shape (US)",
            "pass",
            {},
            ("CAGE code shape (US)", "CAGE code: none declared."),
        ),
        (
            "screening_dba",
            f"Restricted-party screening of the DBA “{DBA}”",
            "fail",
            {"screened_name": DBA, "list": {"name": "CSL"}},
            (
                "Restricted-party screening of the DBA",
                "hit: the name matches an entry on the list; a program lead decides.",
            ),
        ),
        (
            "screening_legal_name",
            f"Restricted-party screening of the legal name “{LEGAL_NAME}”",
            "warning",
            {"screened_name": LEGAL_NAME, "list": None},
            ("Restricted-party screening of the legal name", "not screened: no restricted-party list was loaded."),
        ),
        (
            "facilities",
            "Facilities in the US, each ZIP code in its state",
            "fail",
            {
                "facilities": [
                    {"name": FACILITY_NAME, "state": "OR", "zip_code": "10001", "problem": "10001 is not in OR."}
                ]
            },
            (
                "Facilities in the US, each ZIP code in its state",
                "Facility 1: its state and ZIP code are not a US location that matches.",
            ),
        ),
    ],
)
def test_each_check_has_a_blind_version_that_names_nobody(code, label, outcome, data, shown):
    from rfp.models import ProposalCheck
    from rfp.selectors import check_shown

    stored = ProposalCheck(code=code, label=label, outcome=outcome, detail=f"{LEGAL_NAME} {EIN} detail", data=data)

    blind = check_shown(stored, supplier_hidden=True)
    full = check_shown(stored, supplier_hidden=False)

    assert (blind.label, blind.detail) == shown
    assert (full.label, full.detail) == (label, stored.detail)


def test_masking_takes_names_as_written_any_case_and_leaves_other_words_alone():
    from rfp.selectors import identity_redacted, supplier_identity_terms

    supplier = SupplierFactory.build(
        legal_name="A+B (USA) Power, Inc.", dba="AB", website="https://ab-power.example/", hq_city="Bend"
    )
    terms = supplier_identity_terms(supplier)

    assert identity_redacted("a+b (usa) power builds in BEND; A+B (USA) Power, Inc. ships", terms) == (
        "[hidden] builds in [hidden]; [hidden] ships"
    )
    assert identity_redacted("Abbey power bends the rules at ab-power.example", terms) == (
        "Abbey power bends the rules at [hidden]"
    )


def test_the_suppliers_answer_to_a_request_for_information_reaches_the_reviewer_masked(client, blind_round):
    from rfp.models import InformationRequest

    proposal, reviewer = blind_round
    InformationRequest.objects.create(
        proposal=proposal,
        question="Where do you roll the copper?",
        requested_at=timezone.now(),
        response=NARRATIVE,
        responded_at=timezone.now(),
    )
    services.assignment_declare_no_conflict(assignment=ReviewAssignment.objects.get(proposal=proposal), actor=reviewer)
    client.force_login(reviewer)

    page = client.get(reverse("review:proposal", args=[proposal.reference])).content.decode()
    detail = client_for(reviewer).get(f"/api/v1/review/proposals/{proposal.reference}/").json()

    assert "Where do you roll the copper?" in page
    assert_names_nobody("proposal page with an answered request", page)
    assert detail["information_requests"][0]["response"].startswith(SHOWN_NARRATIVE)
    assert InformationRequest.objects.get(proposal=proposal).response == NARRATIVE
