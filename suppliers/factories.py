import factory

from accounts.factories import UserFactory
from suppliers.enums import FacilityStatus, MemberRole
from suppliers.models import Facility, Supplier, SupplierMember


def _uei(n: int) -> str:
    # 12 characters from the UEI alphabet (no I, O), not starting with 0, never nine digits in a row.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"K{alphabet[n % 24]}{n:04d}Q{alphabet[(n // 24) % 24]}7M3A"[:12]


def _cage(n: int) -> str:
    # A US CAGE code: digit, three letters (no I, O), digit; unique for the first 138,240 suppliers.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    m = n // 10
    return f"{n % 10}{alphabet[m % 24]}{alphabet[(m // 24) % 24]}{alphabet[(m // 576) % 24]}7"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    legal_name = factory.Sequence(lambda n: f"Example Manufacturing {n} Inc.")
    ein = factory.Sequence(lambda n: f"12-{n:07d}")
    uei = factory.Sequence(_uei)
    cage = factory.Sequence(_cage)
    naics_codes = factory.LazyFunction(lambda: ["334111"])
    hq_address_line1 = "100 Industrial Way"
    hq_city = "Austin"
    hq_state = "TX"
    hq_zip = "78701"


class SupplierMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierMember

    supplier = factory.SubFactory(SupplierFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.OWNER


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Sequence(lambda n: f"Plant {n}")
    address_line1 = "2000 Factory Road"
    city = "Austin"
    state = "TX"
    zip_code = "78744"
    status = FacilityStatus.OPERATING
    floor_area_sqft = 120_000
    site_power_mw = 12
    grid_operator = "ERCOT"
    electricians = 20
    machinists = 35
    technicians = 40
    assemblers = 120
    engineers = 25
