"""Registering a company: every identifier rule through the form, NAICS titles, ZIP against state, duplicates."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from audit.models import AuditEvent
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.models import Supplier, SupplierMember
from tests.portal.company.conftest import page_text

pytestmark = pytest.mark.django_db
URL = reverse("portal:company_register")

VALID = {
    "legal_name": "Gulf Coast Power Systems Inc.",
    "dba": "GCPS",
    "ein": "12-3456789",
    "uei": "JF3KQ7L2M8N4",
    "cage": "1A2B3",
    "naics_codes": "335311, 334111",
    "hq_address_line1": "2000 Factory Road",
    "hq_address_line2": "",
    "hq_city": "Austin",
    "hq_state": "TX",
    "hq_zip": "78744",
    "website": "https://gcps.example",
    "employee_count": "420",
}


@pytest.fixture
def person(client):
    user = UserFactory(email="founder@gcps.example")
    client.force_login(user)
    return user


def post(client, **changes):
    return client.post(URL, {**VALID, **changes})


def test_the_form_shows_a_label_for_every_input(client, person):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for name in VALID:
        assert f'for="id_{name}"' in body, name


def test_a_person_registers_the_company_and_becomes_its_owner(client, person):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:company")
    supplier = Supplier.objects.get(ein="12-3456789")
    assert supplier.legal_name == "Gulf Coast Power Systems Inc."
    assert supplier.uei == "JF3KQ7L2M8N4"
    assert supplier.naics_codes == ["335311", "334111"]
    assert SupplierMember.objects.get(user=person).role == MemberRole.OWNER
    assert AuditEvent.objects.filter(action="supplier.registered", object_id=str(supplier.pk), actor=person).exists()
    page = page_text(client.get(reverse("portal:company")))
    assert "Gulf Coast Power Systems Inc." in page
    assert "335311 Power, Distribution, and Specialty Transformer Manufacturing" in page
    assert "334111 Electronic Computer Manufacturing" in page


def test_input_is_normalised_before_it_is_checked(client, person):
    response = post(client, ein=" 123456789 ", uei="  jf3kq7l2m8n4 ", cage=" 1a2b3", naics_codes="334111 335311,334111")
    assert response.status_code == 302
    supplier = Supplier.objects.get()
    assert (supplier.ein, supplier.uei, supplier.cage) == ("12-3456789", "JF3KQ7L2M8N4", "1A2B3")
    assert supplier.naics_codes == ["334111", "335311"]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("ein", "12-345678", "Enter the EIN as two digits, a hyphen and seven digits, for example 12-3456789."),
        ("ein", "07-1234567", "07 is not a prefix the IRS assigns to EINs"),
        ("ein", "", "Enter the company's EIN: two digits, a hyphen and seven digits"),
        ("uei", "JF3KQ7L2M8N", "A SAM.gov UEI has exactly 12 characters"),
        ("uei", "JF3KQ7L2M8NO", "never the letters I or O"),
        ("uei", "JF3KQ7L2M8N$", "A UEI uses capital letters and digits only"),
        ("uei", "0F3KQ7L2M8N4", "A UEI never starts with 0."),
        ("uei", "A123456789BC", "A UEI never contains nine digits in a row."),
        ("cage", "1A2B", "A CAGE code has five capital letters or digits, without I or O, for example 1A2B3."),
        ("cage", "1I2B3", "without I or O"),
        ("cage", "SAB12", "This looks like a foreign NCAGE code"),
        ("naics_codes", "999999", "999999 is not in the NAICS 2022 table"),
        ("naics_codes", "3341", "3341 is a NAICS group, not an industry; use one of its six-digit codes"),
        ("naics_codes", "33411x", "is not a NAICS code: use the six-digit 2022 code, for example 334111"),
        ("naics_codes", " ", "Enter at least one six-digit NAICS 2022 code"),
        ("hq_zip", "7874", "Enter a US ZIP code: five digits, or ZIP+4 such as 78701-1234."),
        ("hq_zip", "10001", "ZIP code 10001 is in New York (NY), not in Texas"),
        ("hq_zip", "99999", "ZIP code 99999 does not exist in the USPS list"),
        ("hq_state", "AE", "AE is not a US state or territory here: choose one of the 50 states, DC"),
    ],
)
def test_each_wrong_identifier_says_what_is_wrong_and_nothing_is_created(client, person, field, value, says):
    response = post(client, **{field: value})
    assert response.status_code == 200
    assert says in page_text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Supplier.objects.exists()
    assert not SupplierMember.objects.exists()


def test_a_zip_in_another_state_names_the_state_it_belongs_to(client, person):
    response = post(client, hq_state="CA", hq_zip="78744")
    assert "ZIP code 78744 is in Texas (TX), not in California" in page_text(response)
    assert "choose Texas as the state" in page_text(response)


def test_a_territory_zip_in_its_territory_is_accepted(client, person):
    response = post(client, hq_state="PR", hq_zip="00601", hq_city="Adjuntas")
    assert response.status_code == 302
    assert Supplier.objects.get().hq_state == "PR"


def test_unknown_naics_codes_are_listed_each_with_its_message_and_known_ones_with_their_title(client, person):
    response = post(client, naics_codes="334111, 999999, 111111", ein="1234")
    page = page_text(response)
    assert "999999 is not in the NAICS 2022 table" in page
    assert "111111 is not in the NAICS 2022 table" in page
    assert "334111 Electronic Computer Manufacturing" in page
    # The field's error names each wrong code once; the titles under the field no longer repeat it.
    assert "999999 is not a six-digit NAICS 2022 industry code" not in page


def test_each_bad_naics_code_gets_one_message_and_a_2017_code_names_its_2022_successor(client, person):
    response = post(client, naics_codes="334111, 333999, 999999")
    body = response.content.decode()

    errors = body[body.index('id="id_naics_codes_error"') :].split("</ul>")[0]
    assert errors.count("<li>") == 2
    replaced = (
        "333999 is a NAICS 2017 code; NAICS 2022 replaced it with 333998 "
        "(All Other Miscellaneous General Purpose Machinery Manufacturing). Enter 333998."
    )
    assert replaced in page_text(response)
    preview = body[body.index('id="naics-titles"') :].split("</div>")[0]
    assert "334111" in preview and "333999" not in preview and "999999" not in preview
    assert not Supplier.objects.exists()


def test_the_naics_lookup_names_the_2022_code_that_replaced_a_2017_one(client, person):
    response = client.get(reverse("portal:naics_lookup"), {"codes": "333999"}, HTTP_HX_REQUEST="true")
    assert "333999 is a NAICS 2017 code; NAICS 2022 replaced it with 333998" in page_text(response)


def test_the_naics_lookup_returns_titles_for_what_is_typed(client, person):
    response = client.get(reverse("portal:naics_lookup"), {"codes": "334111,335311 12"}, HTTP_HX_REQUEST="true")
    page = page_text(response)
    assert "334111 Electronic Computer Manufacturing" in page
    assert "335311 Power, Distribution, and Specialty Transformer Manufacturing" in page
    assert "12 is not a six-digit NAICS 2022 industry code" in page
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "label"),
    [("ein", "EIN"), ("uei", "UEI")],
)
def test_the_same_company_is_refused_without_naming_it(client, person, field, label):
    existing = SupplierFactory(legal_name="Already Here Manufacturing", **{field: VALID[field]})
    SupplierMemberFactory(supplier=existing, user=UserFactory(email="boss@already-here.example"))
    response = post(client)
    page = page_text(response)
    assert f"A company with this {label} is already registered." in page
    assert "ask its owner to invite you" in page
    assert "Already Here Manufacturing" not in page
    assert "boss@already-here.example" not in page
    assert Supplier.objects.count() == 1
    assert not SupplierMember.objects.filter(user=person).exists()


def test_a_person_who_belongs_to_a_company_cannot_register_another(client, person):
    SupplierMemberFactory(user=person, supplier=SupplierFactory(legal_name="First Co"))
    response = client.get(URL, follow=True)
    assert "You already belong to First Co; a person can belong to one company only." in page_text(response)
    post(client)
    assert Supplier.objects.count() == 1


def test_registering_needs_a_signed_in_person(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
