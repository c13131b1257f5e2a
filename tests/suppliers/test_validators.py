import pytest
from django.core.exceptions import ValidationError

from suppliers.validators import validate_cage_us, validate_ein, validate_naics_codes, validate_uei, validate_zip


@pytest.mark.parametrize("value", ["12-3456789", "98-0000001", "01-1234567"])
def test_valid_eins(value):
    validate_ein(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("123456789", "two digits, a hyphen and seven digits"),
        ("12-345678", "two digits, a hyphen and seven digits"),
        ("07-1234567", "07 is not a prefix the IRS assigns"),
        ("89-1234567", "89 is not a prefix"),
    ],
)
def test_invalid_eins_say_what_is_wrong(value, says):
    with pytest.raises(ValidationError, match=says):
        validate_ein(value)


@pytest.mark.parametrize("value", ["JF3KQ7L2M8N4", "KB0001QA7M3A", "Z12345678ABC"])
def test_valid_ueis(value):
    validate_uei(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("JF3KQ7L2M8N", "exactly 12 characters"),
        ("JF3KQ7L2M8NI", "never the letters I or O"),
        ("JF3KQ7L2M8NO", "never the letters I or O"),
        ("jf3kq7l2m8n4", "capital letters and digits only"),
        ("0F3KQ7L2M8N4", "never starts with 0"),
        ("A123456789BC", "nine digits in a row"),
    ],
)
def test_invalid_ueis_say_what_is_wrong(value, says):
    with pytest.raises(ValidationError, match=says):
        validate_uei(value)


@pytest.mark.parametrize("value", ["1A2B3", "00000", "9ZZZ9"])
def test_valid_us_cage_codes(value):
    validate_cage_us(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [("1A2B", "five capital letters or digits"), ("1I2B3", "without I or O"), ("SAB12", "foreign NCAGE")],
)
def test_invalid_cage_codes_say_what_is_wrong(value, says):
    with pytest.raises(ValidationError, match=says):
        validate_cage_us(value)


def test_naics_codes_are_six_digits():
    validate_naics_codes(["334111", "335311"])
    with pytest.raises(ValidationError, match="six-digit 2022 code"):
        validate_naics_codes(["3341"])
    with pytest.raises(ValidationError, match="at least one"):
        validate_naics_codes([])


@pytest.mark.parametrize("value", ["78701", "78701-1234"])
def test_valid_zip_codes(value):
    validate_zip(value)


@pytest.mark.parametrize("value", ["7870", "ABCDE", "78701-12"])
def test_invalid_zip_codes(value):
    with pytest.raises(ValidationError, match="five digits"):
        validate_zip(value)


def test_every_retired_2017_naics_code_is_absent_from_2022_and_its_successor_present():
    from suppliers.naics import NAICS_2017_REPLACED_BY_2022, naics_title

    for retired, successor in NAICS_2017_REPLACED_BY_2022.items():
        assert naics_title(retired) is None, retired
        assert naics_title(successor) is not None, successor
