"""The company through the API: profile, team, facilities and certificates, with the portal's checks and words."""

import pytest

from suppliers.models import Certification, Facility, Supplier
from tests.api.conftest import client_for
from tests.portal.attachments.files import HTML, pdf_bytes, upload

pytestmark = pytest.mark.django_db

FACILITY = {
    "name": "Austin assembly plant",
    "address_line1": "2000 Factory Road",
    "city": "Austin",
    "state": "TX",
    "zip_code": "78744",
    "site_power_mw": "12.5",
    "technicians": 40,
}


def test_the_profile_is_read_and_corrected_with_the_shared_identifier_checks(api, supplier, viewer):
    profile = api.get("/api/v1/company/").json()
    assert profile["legal_name"] == "Lone Star Racks Inc."
    assert profile["naics_codes"] == [{"code": "334111", "title": "Electronic Computer Manufacturing"}]

    changed = api.patch("/api/v1/company/", {"dba": "LSR", "naics_codes": ["334111", "335311"]}, format="json")
    refused = api.patch("/api/v1/company/", {"ein": "07-1234567", "hq_zip": "10001"}, format="json")

    assert changed.status_code == 200, changed.json()
    assert Supplier.objects.get(pk=supplier.pk).naics_codes == ["334111", "335311"]
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "ein": ["07 is not a prefix the IRS assigns to EINs; check the first two digits."],
        "hq_zip": [
            "ZIP code 10001 is in New York (NY), not in Texas: enter a ZIP code in Texas, or choose New York as the "
            "state."
        ],
    }
    assert Supplier.objects.get(pk=supplier.pk).dba == "LSR"
    assert client_for(viewer).patch("/api/v1/company/", {"dba": "X"}, format="json").status_code == 403


def test_members_are_listed_owners_first(api, owner, editor, viewer):
    members = api.get("/api/v1/company/members/").json()

    assert [(m["email"], m["role"]) for m in members] == [
        ("owner@lonestar.example", "owner"),
        ("editor@lonestar.example", "editor"),
        ("viewer@lonestar.example", "viewer"),
    ]


def test_a_facility_is_added_changed_and_deleted(api, supplier):
    created = api.post("/api/v1/company/facilities/", FACILITY, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/company/facilities/{created.json()['id']}/"

    changed = api.patch(url, {"engineers": 7}, format="json")
    wrong_zip = api.patch(url, {"zip_code": "10001"}, format="json")

    assert changed.json()["engineers"] == 7 and changed.json()["technicians"] == 40
    assert wrong_zip.status_code == 400
    assert wrong_zip.json()["errors"]["zip_code"][0].startswith("ZIP code 10001 is in New York (NY), not in Texas")
    assert Facility.objects.get(supplier=supplier).zip_code == "78744"
    assert api.delete(url).status_code == 204
    assert not Facility.objects.filter(supplier=supplier).exists()


def test_each_bad_naics_code_is_refused_once_and_a_2017_code_names_its_successor(api, supplier):
    response = api.patch("/api/v1/company/", {"naics_codes": ["334111", "333999", "999999"]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["naics_codes"] == [
        "333999 is a NAICS 2017 code; NAICS 2022 replaced it with 333998 "
        "(All Other Miscellaneous General Purpose Machinery Manufacturing). Enter 333998.",
        "999999 is not in the NAICS 2022 table; look up the six-digit code for what you make at census.gov/naics, "
        "for example 334111 (Electronic Computer Manufacturing).",
    ]
    supplier.refresh_from_db()
    assert supplier.naics_codes == ["334111"]


def test_a_site_power_out_of_range_is_refused_in_the_portal_s_words(api):
    response = api.post("/api/v1/company/facilities/", {**FACILITY, "site_power_mw": "-1"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["site_power_mw"] == ["Site power must be from 0 to 5000 MW; you entered -1."]
    assert not Facility.objects.exists()


def test_a_facility_without_its_required_fields_gets_the_portal_s_messages(api):
    response = api.post("/api/v1/company/facilities/", {}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == ["Give the site a name, for example “Austin assembly plant”."]
    assert errors["state"] == ["Choose the state or territory the site is in."]


def test_a_certificate_is_added_with_its_document_checked_by_content(api, supplier):
    url = "/api/v1/company/certifications/"
    added = api.post(
        url, {"kind": "iso_9001", "number": "Q-1", "document": upload("iso.pdf", pdf_bytes())}, format="multipart"
    )
    unnamed_ul = api.post(url, {"kind": "ul", "document": upload("ul.pdf", pdf_bytes())}, format="multipart")
    html = api.post(url, {"kind": "iso_9001", "document": upload("iso.pdf", HTML)}, format="multipart")

    assert added.status_code == 201, added.json()
    assert unnamed_ul.json()["errors"]["name"] == [
        "Name what this UL listing certifies, for example “UL 508A industrial control panels”."
    ]
    assert "iso.pdf is not a file type we accept" in html.json()["errors"]["document"][0]
    assert Certification.objects.filter(supplier=supplier).count() == 1
    document = api.get(f"{url}{added.json()['id']}/document/")
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == pdf_bytes()
    Certification.objects.get().document.delete(save=False)


def test_someone_without_a_company_gets_404_with_what_to_do(reviewer):
    response = client_for(reviewer).get("/api/v1/company/")

    assert response.status_code == 404
    assert "register your company in the portal" in response.json()["detail"]
