"""Property-based tests of every operation against the OpenAPI document (schemathesis), in-process through
Django's WSGI handler: no 5xx, every status code documented, every body and content type as the schema says.

Callers are a supplier's owner, an assigned reviewer (who declared no conflict) and a program lead, each with a
write token; path parameters name real objects, so the generated bodies reach the forms and services. Each
operation runs in a savepoint rolled back afterwards, so one operation's changes do not starve the next.
A bounded number of examples per operation keeps the whole run well under a minute.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rfp import services
from rfp.models import Addendum
from suppliers import services as supplier_services
from suppliers.factories import FacilityFactory
from suppliers.models import SupplierMember
from tests.api.conftest import token_for
from tests.portal.attachments.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations only a program lead may call; the rest of /review/ is the reviewer's (/exports/ is the lead's too).
LEAD_OPERATIONS = {
    "GET /api/v1/review/proposals/",
    "POST /api/v1/review/decisions/",
    "POST /api/v1/review/proposals/{reference}/decision/",
    "GET /api/v1/review/proposals/{reference}/history/",
    "POST /api/v1/review/proposals/{reference}/assign/",
    "GET /api/v1/review/unassigned/",
    "GET /api/v1/review/sla/",
    "GET /api/v1/review/rfps/{reference}/ranking/",
}


def _openapi() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


@pytest.fixture
def world(rfp, supplier, owner, editor, draft, reviewer, lead, other_supplier):
    """Real objects for every path parameter: the owner's draft, a file, a facility, a certificate, an editor's
    membership, an open invitation, a published addendum, and another company's proposal in review, assigned to
    the reviewer."""
    from rfp.factories import draft_proposal

    attachment = services.attachment_add(proposal=draft, actor=owner, upload=upload("a.pdf", pdf_bytes()), kind="other")
    certification = supplier_services.certification_create(
        supplier=supplier, actor=owner, data={"kind": "iso_9001"}, document=upload("iso.pdf", pdf_bytes())
    )
    reviewed = draft_proposal(rfp=rfp, supplier=other_supplier, sector_code="robotics")
    services.proposal_submit(proposal=reviewed, actor=None)
    services.proposal_start_review(proposal=reviewed)
    Addendum.objects.create(rfp=rfp, number=1, title="New date", body="…", published_at=timezone.now())
    from tests.api.test_review import assign

    services.assignment_declare_no_conflict(assignment=assign(reviewed, reviewer), actor=reviewer)
    invitation = supplier_services.invitation_send(
        supplier=supplier, actor=owner, email="colleague@lonestar.example", role="viewer"
    )
    yield {
        "supplier": {
            "member_id": SupplierMember.objects.get(user=editor).pk,
            "invitation_id": invitation.pk,
            "reference": draft.reference,
            "facility_id": FacilityFactory(supplier=supplier).pk,
            "certification_id": certification.pk,
            "attachment_id": attachment.pk,
            "number": 1,
        },
        "rfp_reference": rfp.reference,
        "review_reference": reviewed.reference,
        "tokens": {"supplier": token_for(owner), "reviewer": token_for(reviewer), "lead": token_for(lead)},
    }
    certification.document.delete(save=False)


@pytest.fixture
def in_process():
    """Requests run in the test's transaction: the request signals must not close its connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    generous = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}}
    with override_settings(REST_FRAMEWORK=generous):
        yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _caller_and_path(operation, world) -> tuple[str, dict]:
    label = f"{operation.method.upper()} {operation.path}"
    names = {parameter.name for parameter in operation.path_parameters}
    if operation.path.startswith("/api/v1/review/"):
        caller = "lead" if label in LEAD_OPERATIONS else "reviewer"
        reference = world["rfp_reference"] if "/rfps/" in operation.path else world["review_reference"]
        return caller, {"reference": reference} if "reference" in names else {}
    if operation.path.startswith("/api/v1/exports/"):
        return "lead", {"reference": world["rfp_reference"]} if "reference" in names else {}
    if operation.path.startswith("/api/v1/rfps/"):
        values = {"reference": world["rfp_reference"], "number": 1}
    else:
        values = world["supplier"]
    return "supplier", {name: values[name] for name in names}


def _new_files(before: set[Path]) -> set[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return {path for path in root.rglob("*") if path.is_file()} - before if root.exists() else set()


def test_every_operation_conforms_to_the_schema(world, in_process):
    schema = schemathesis.openapi.from_dict(_openapi())
    schema.app = WSGIHandler()
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    files_before = {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        caller, path_parameters = _caller_and_path(operation, world)
        strategy = operation.as_strategy(
            path_parameters=path_parameters, headers={"Authorization": f"Bearer {world['tokens'][caller]}"}
        )

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        try:
            with transaction.atomic():
                run()
                transaction.set_rollback(True)
        except Exception as failure:  # every operation is tried; the failures are reported together
            failures[f"{operation.method.upper()} {operation.path} as {caller}"] = str(failure)[:2000]

    for path in _new_files(files_before):
        path.unlink(missing_ok=True)
    assert len(operations) >= 67
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
