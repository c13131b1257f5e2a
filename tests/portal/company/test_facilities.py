"""US facilities: added and edited with the ZIP checked against the state, scoped to the company, with totals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from rfp import services as rfp_services
from rfp.factories import draft_proposal
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Facility
from tests.portal.company.conftest import page_text

pytestmark = pytest.mark.django_db

SITE = {
    "name": "Austin assembly plant",
    "address_line1": "2000 Factory Road",
    "address_line2": "",
    "city": "Austin",
    "state": "TX",
    "zip_code": "78744",
    "status": "operating",
    "floor_area_sqft": "150000",
    "electricians": "20",
    "machinists": "35",
    "technicians": "40",
    "assemblers": "120",
    "engineers": "25",
    "site_power_mw": "12.50",
    "grid_operator": "ERCOT",
}


def test_an_editor_adds_a_facility_and_the_list_shows_totals(client, supplier, editor):
    client.force_login(editor)
    response = client.post(reverse("portal:facility_create"), SITE)
    assert response.status_code == 302
    facility = Facility.objects.get(supplier=supplier)
    assert facility.workforce_total == 240
    assert AuditEvent.objects.filter(action="facility.created", object_id=str(facility.pk)).exists()
    FacilityFactory(supplier=supplier, name="Dallas plant", site_power_mw=7.5)  # 240 workers as well
    page = page_text(client.get(reverse("portal:facilities")))
    assert "Austin assembly plant" in page and "Dallas plant" in page
    assert "Total, 2 facilities" in page
    assert "480" in page
    assert "20" in page  # 12.50 + 7.50 MW


def test_a_zip_outside_the_state_is_refused_naming_its_state(client, supplier, editor):
    client.force_login(editor)
    response = client.post(reverse("portal:facility_create"), {**SITE, "state": "OH", "zip_code": "78744"})
    assert response.status_code == 200
    assert "ZIP code 78744 is in Texas (TX), not in Ohio: enter a ZIP code in Ohio, or choose Texas" in page_text(
        response
    )
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("state", "AP", "AP is not a US state or territory here"),
        ("zip_code", "787", "Enter a US ZIP code: five digits, or ZIP+4"),
        ("site_power_mw", "-1", "Site power must be from 0 to 5000 MW; you entered -1."),
        ("site_power_mw", "6000", "Site power must be from 0 to 5000 MW; you entered 6000."),
        ("floor_area_sqft", "-5", "Floor area must be 0 sq ft or more; you entered -5."),
        ("electricians", "", "Enter the number of electricians at the site, 0 if none."),
        ("name", "", "Give the site a name"),
    ],
)
def test_wrong_facility_fields_are_refused(client, supplier, editor, field, value, says):
    client.force_login(editor)
    response = client.post(reverse("portal:facility_create"), {**SITE, field: value})
    assert says in page_text(response)
    assert "Ensure this value" not in page_text(response)
    assert not Facility.objects.exists()


def test_an_editor_edits_a_facility(client, supplier, editor):
    facility = FacilityFactory(supplier=supplier)
    client.force_login(editor)
    response = client.post(
        reverse("portal:facility_edit", args=[facility.pk]),
        {**SITE, "name": "Renamed plant", "state": "GU", "zip_code": "96910", "city": "Hagatna"},
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.state) == ("Renamed plant", "GU")
    event = AuditEvent.objects.get(action="facility.updated", object_id=str(facility.pk))
    assert "state" in event.data["changes"]


def test_another_companys_facility_is_not_found(client, supplier, owner):
    theirs = FacilityFactory(supplier=SupplierFactory())
    client.force_login(owner)
    assert client.get(reverse("portal:facility_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("portal:facility_edit", args=[theirs.pk]), SITE).status_code == 404
    assert client.post(reverse("portal:facility_delete", args=[theirs.pk])).status_code == 404
    assert Facility.objects.filter(pk=theirs.pk, name=theirs.name).exists()


def test_a_facility_is_deleted_after_confirmation(client, supplier, owner):
    facility = FacilityFactory(supplier=supplier, name="Old plant")
    client.force_login(owner)
    assert "Delete the facility Old plant, Austin TX?" in page_text(
        client.get(reverse("portal:facility_delete", args=[facility.pk]))
    )
    response = client.post(reverse("portal:facility_delete", args=[facility.pk]), follow=True)
    assert "Old plant is deleted." in page_text(response)
    assert not Facility.objects.filter(pk=facility.pk).exists()
    assert AuditEvent.objects.filter(action="facility.deleted", object_id=str(facility.pk)).exists()


def test_a_facility_in_a_submitted_proposal_cannot_be_deleted(client, supplier, owner):
    proposal = draft_proposal(supplier=supplier, actor=owner)
    facility = proposal.facilities.get()
    rfp_services.proposal_submit(proposal=proposal, actor=owner)
    client.force_login(owner)
    response = client.post(reverse("portal:facility_delete", args=[facility.pk]), follow=True)
    assert f"{facility.name} is part of submitted proposal {proposal.reference} and cannot be deleted." in (
        page_text(response)
    )
    assert Facility.objects.filter(pk=facility.pk).exists()


def test_a_facility_in_a_draft_proposal_can_be_deleted(client, supplier, owner):
    proposal = draft_proposal(supplier=supplier, actor=owner)
    facility = proposal.facilities.get()
    client.force_login(owner)
    client.post(reverse("portal:facility_delete", args=[facility.pk]))
    assert not Facility.objects.filter(pk=facility.pk).exists()


def test_a_viewer_sees_facilities_without_edit_buttons_and_cannot_change_them(client, supplier, viewer):
    facility = FacilityFactory(supplier=supplier, name="Visible plant")
    client.force_login(viewer)
    response = client.get(reverse("portal:facilities"))
    assert "Visible plant" in page_text(response)
    body = response.content.decode()
    assert reverse("portal:facility_create") not in body
    assert reverse("portal:facility_edit", args=[facility.pk]) not in body
    assert reverse("portal:facility_delete", args=[facility.pk]) not in body
    for url, data in [
        (reverse("portal:facility_create"), SITE),
        (reverse("portal:facility_edit", args=[facility.pk]), SITE),
        (reverse("portal:facility_delete", args=[facility.pk]), {}),
    ]:
        refused = client.post(url, data)
        assert refused.status_code == 403
        assert "Your role is viewer: you can read your company's data but not change it." in page_text(refused)
    assert Facility.objects.get(pk=facility.pk).name == "Visible plant"
    assert Facility.objects.count() == 1


def _list_queries(client, rows):
    supplier = SupplierFactory()
    member = SupplierMemberFactory(supplier=supplier, role="owner")
    FacilityFactory.create_batch(rows, supplier=supplier)
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:facilities"))
    assert response.status_code == 200
    assert page_text(response).count("Plant ") >= rows
    return len(queries)


def test_the_facility_list_runs_the_same_queries_for_one_or_three_rows(client, db, django_assert_max_num_queries):
    one = _list_queries(client, 1)
    three = _list_queries(client, 3)
    assert one == three
    with django_assert_max_num_queries(one):
        client.get(reverse("portal:facilities"))


def test_a_workforce_of_one_reads_in_the_singular(client, supplier, editor):
    FacilityFactory(supplier=supplier, electricians=1, machinists=0, technicians=2, assemblers=1, engineers=1)
    client.force_login(editor)

    page = page_text(client.get(reverse("portal:facilities")))

    assert "1 electrician, 0 machinists, 2 technicians, 1 assembler, 1 engineer" in page
    assert "1 electricians" not in page and "1 engineers" not in page
