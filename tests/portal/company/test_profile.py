"""The company profile: identifiers with NAICS titles, team, facilities, certificates; edits by owners and editors."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from audit.models import AuditEvent
from suppliers.factories import FacilityFactory, SupplierFactory
from suppliers.models import Supplier
from tests.portal.company.conftest import page_text

pytestmark = pytest.mark.django_db


def profile_data(supplier, **changes):
    data = {
        "legal_name": supplier.legal_name,
        "dba": supplier.dba,
        "ein": supplier.ein,
        "uei": supplier.uei,
        "cage": supplier.cage,
        "naics_codes": ", ".join(supplier.naics_codes),
        "hq_address_line1": supplier.hq_address_line1,
        "hq_address_line2": supplier.hq_address_line2,
        "hq_city": supplier.hq_city,
        "hq_state": supplier.hq_state,
        "hq_zip": supplier.hq_zip,
        "website": supplier.website,
        "employee_count": supplier.employee_count or "",
    }
    data.update(changes)
    return data


def test_the_profile_shows_identifiers_team_facilities_and_certificates(client, supplier, owner, viewer):
    Supplier.objects.filter(pk=supplier.pk).update(naics_codes=["334111", "335311"], dba="LSR")
    FacilityFactory(supplier=supplier)  # 240 workers, 12 MW
    client.force_login(viewer)
    page = page_text(client.get(reverse("portal:company")))
    supplier.refresh_from_db()
    for text in (
        "Lone Star Racks Inc.",
        "Doing business as LSR",
        supplier.ein,
        supplier.uei,
        supplier.cage,
        "334111 Electronic Computer Manufacturing",
        "335311 Power, Distribution, and Specialty Transformer Manufacturing",
        "100 Industrial Way",
        "Austin, TX 78701",
        "owner@lonestar.example",
        "viewer@lonestar.example",
        "1 facility, 240 skilled workers, 12 MW of site power.",
        "No certificate yet",
    ):
        assert text in page, text


def test_an_editor_edits_the_profile(client, supplier, editor):
    client.force_login(editor)
    page = page_text(client.get(reverse("portal:company_edit")))
    assert "334111 Electronic Computer Manufacturing" in page
    response = client.post(
        reverse("portal:company_edit"),
        profile_data(supplier, legal_name="Lone Star Racks Holdings Inc.", naics_codes="334111 333924"),
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.legal_name == "Lone Star Racks Holdings Inc."
    assert supplier.naics_codes == ["334111", "333924"]
    event = AuditEvent.objects.get(action="supplier.updated", object_id=str(supplier.pk))
    assert event.data["changes"]["legal_name"] == ["Lone Star Racks Inc.", "Lone Star Racks Holdings Inc."]


def test_editing_keeps_the_same_checks_and_uniqueness(client, supplier, owner):
    taken = SupplierFactory(legal_name="Secret Neighbour Corp")
    own_uei = supplier.uei
    client.force_login(owner)
    page = page_text(client.post(reverse("portal:company_edit"), profile_data(supplier, uei=taken.uei)))
    assert "A company with this UEI is already registered. Check the number; each company registers once." in page
    assert "Secret Neighbour Corp" not in page
    page = page_text(client.post(reverse("portal:company_edit"), profile_data(supplier, hq_zip="94103")))
    assert "ZIP code 94103 is in California (CA), not in Texas" in page
    supplier.refresh_from_db()
    assert (supplier.uei, supplier.hq_zip) == (own_uei, "78701")
    assert not AuditEvent.objects.filter(action="supplier.updated").exists()


def test_a_viewer_sees_no_edit_button_and_cannot_edit(client, supplier, viewer):
    client.force_login(viewer)
    body = client.get(reverse("portal:company")).content.decode()
    assert reverse("portal:company_edit") not in body
    assert "Edit the profile" not in body
    for method in (client.get, client.post):
        response = method(reverse("portal:company_edit"), profile_data(supplier, legal_name="Hijacked"))
        assert response.status_code == 403
        assert "Your role is viewer: you can read your company's data but not change it." in page_text(response)
    supplier.refresh_from_db()
    assert supplier.legal_name == "Lone Star Racks Inc."


def test_an_owner_sees_the_edit_button(client, supplier, owner):
    client.force_login(owner)
    assert reverse("portal:company_edit") in client.get(reverse("portal:company")).content.decode()


def test_a_person_without_a_company_is_sent_to_register(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:company"))
    assert response["Location"] == reverse("portal:company_register")
