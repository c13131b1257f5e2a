"""US identifier checks shared by the model, the portal's forms and the API: each error says how a right value looks."""

import re

import zipcodes
from django.core.exceptions import ValidationError

from suppliers.enums import CertificationKind, UsState
from suppliers.naics import naics_2022_replacement, naics_children, naics_title

# IRS campus and internet prefixes in use for EINs (IRS "How EINs are assigned and valid EIN prefixes").
VALID_EIN_PREFIXES = frozenset(
    "01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 "
    "46 47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 86 87 "
    "88 90 91 92 93 94 95 98 99".split()
)
_EIN = re.compile(r"^\d{2}-\d{7}$")
_CAGE_US = re.compile(r"^[0-9][A-HJ-NP-Z0-9]{3}[0-9]$")
_CAGE_ANY = re.compile(r"^[A-HJ-NP-Z0-9]{5}$")
_NAICS = re.compile(r"^\d{6}$")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


def validate_ein(value: str) -> None:
    if not _EIN.match(value or ""):
        raise ValidationError(
            "Enter the EIN as two digits, a hyphen and seven digits, for example 12-3456789.",
            code="ein_format",
        )
    if value[:2] not in VALID_EIN_PREFIXES:
        raise ValidationError(
            f"{value[:2]} is not a prefix the IRS assigns to EINs; check the first two digits.",
            code="ein_prefix",
        )


def validate_uei(value: str) -> None:
    value = value or ""
    if len(value) != 12:
        raise ValidationError(
            "A SAM.gov UEI has exactly 12 characters (letters A-Z and digits 0-9), for example JF3KQ7L2M8N4.",
            code="uei_length",
        )
    if re.search(r"[IO]", value) or not re.fullmatch(r"[A-Z0-9]{12}", value):
        raise ValidationError(
            "A UEI uses capital letters and digits only, never the letters I or O.", code="uei_characters"
        )
    if value[0] == "0":
        raise ValidationError("A UEI never starts with 0.", code="uei_leading_zero")
    if re.search(r"\d{9}", value):
        raise ValidationError("A UEI never contains nine digits in a row.", code="uei_digit_run")


def validate_cage_us(value: str) -> None:
    value = value or ""
    if not _CAGE_ANY.match(value):
        raise ValidationError(
            "A CAGE code has five capital letters or digits, without I or O, for example 1A2B3.",
            code="cage_format",
        )
    if not _CAGE_US.match(value):
        raise ValidationError(
            "This looks like a foreign NCAGE code; a US manufacturer's CAGE code starts and ends with a digit.",
            code="cage_not_us",
        )


def validate_naics_code(value: str) -> None:
    if not _NAICS.match(value or ""):
        raise ValidationError(
            f"{value!r} is not a NAICS code: use the six-digit 2022 code, for example 334111.",
            code="naics_format",
        )


def validate_naics_codes(values: list) -> None:
    if not isinstance(values, list) or not values:
        raise ValidationError("Give at least one six-digit NAICS 2022 code.", code="naics_required")
    for value in values:
        validate_naics_code(value)


def validate_zip(value: str) -> None:
    if not _ZIP.match(value or ""):
        raise ValidationError("Enter a US ZIP code: five digits, or ZIP+4 such as 78701-1234.", code="zip_format")


def validate_naics_2022(value: str) -> None:
    """A six-digit code that exists in the NAICS 2022 table (offline `naics` package), not just one shaped like it."""
    children = naics_children(value or "")
    if children:
        raise ValidationError(
            f"{value} is a NAICS group, not an industry; use one of its six-digit codes, for example "
            f"{children[0]} ({naics_title(children[0])}).",
            code="naics_group",
        )
    validate_naics_code(value)
    successor = naics_2022_replacement(value)
    if successor is not None:
        raise ValidationError(
            f"{value} is a NAICS 2017 code; NAICS 2022 replaced it with {successor} ({naics_title(successor)}). "
            f"Enter {successor}.",
            code="naics_2017",
        )
    if naics_title(value) is None:
        raise ValidationError(
            f"{value} is not in the NAICS 2022 table; look up the six-digit code for what you make at "
            "census.gov/naics, for example 334111 (Electronic Computer Manufacturing).",
            code="naics_unknown",
        )


def validate_naics_2022_codes(values: list) -> None:
    """Every code in the list exists in NAICS 2022; one error per wrong code, so the person can fix them all at once."""
    if not isinstance(values, list) or not values:
        raise ValidationError("Give at least one six-digit NAICS 2022 code, for example 334111.", code="naics_required")
    errors = []
    for value in values:
        try:
            validate_naics_2022(value)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def validate_zip_in_state(zip_code: str, state: str) -> None:
    """The ZIP code exists (offline USPS table of the `zipcodes` package) and lies in the given state or territory."""
    validate_zip(zip_code)
    found = {entry["state"] for entry in zipcodes.matching(zip_code[:5])}
    if not found:
        raise ValidationError(
            f"ZIP code {zip_code} does not exist in the USPS list; check the five digits on a recent letter or at "
            "tools.usps.com.",
            code="zip_unknown",
        )
    if state in found:
        return
    chosen = UsState(state).label if state in UsState.values else state
    owner = sorted(found)[0]
    if owner in UsState.values:
        where = f"{UsState(owner).label} ({owner})"
        fix = f"enter a ZIP code in {chosen}, or choose {UsState(owner).label} as the state"
    else:
        where = f"an overseas military post office ({owner})"
        fix = f"enter a ZIP code in {chosen}; military APO/FPO addresses are not US facility locations"
    raise ValidationError(f"ZIP code {zip_code} is in {where}, not in {chosen}: {fix}.", code="zip_state_mismatch")


def normalize_identifier(value: str) -> str:
    """UEI and CAGE codes as people type them: spaces around dropped, letters upper-cased."""
    return (value or "").strip().upper()


def normalize_ein(value: str) -> str:
    """An EIN typed as nine bare digits gets its hyphen (123456789 -> 12-3456789); anything else is only stripped."""
    value = (value or "").strip()
    return f"{value[:2]}-{value[2:]}" if re.fullmatch(r"\d{9}", value) else value


def validate_certification_name(kind: str, name: str) -> None:
    """UL listings and other certificates say what they certify; ISO and AS standards name themselves."""
    if kind in (CertificationKind.UL, CertificationKind.OTHER) and not (name or "").strip():
        example = "UL 508A industrial control panels" if kind == CertificationKind.UL else "NADCAP heat treating"
        raise ValidationError(
            f"Name what this {CertificationKind(kind).label} certifies, for example “{example}”.",
            code="certification_name_required",
        )


def validate_country_code(value: str) -> None:
    """An ISO 3166-1 alpha-2 code that exists, such as US, MX or JP."""
    import pycountry

    if not re.fullmatch(r"[A-Z]{2}", value or "") or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            f"{value!r} is not an ISO 3166 country code; use two letters such as US, MX, JP or DE.",
            code="country_code",
        )


def validate_country_codes(values: list) -> None:
    if not isinstance(values, list):
        raise ValidationError("Give the countries as a list of two-letter codes, such as US, MX.", code="country_list")
    for value in values:
        validate_country_code(value)
