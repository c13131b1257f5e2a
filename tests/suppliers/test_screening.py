"""Restricted-party screening: names normalised, list files loaded by header name, names compared with the list."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from audit.models import AuditEvent
from suppliers.enums import ScreeningOutcome
from suppliers.models import ScreeningEntry, ScreeningList
from suppliers.screening import (
    LEGAL_SUFFIXES,
    normalize_name,
    screen_names,
    screening_list_active,
    screening_list_load,
)
from tests.support.processes import PROJECT_DIR

SAMPLE = PROJECT_DIR / "suppliers" / "data" / "screening-sample.csv"
SEP = "Shenzhen Example Power Co., Ltd."
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"


def _load(path: Path) -> str:
    out = io.StringIO()
    call_command("load_screening_list", str(path), stdout=out)
    return out.getvalue()


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _state() -> list:
    """Everything a load may change: every list and every entry."""
    return [
        list(ScreeningList.objects.order_by("id").values_list("id", "name", "sha256", "row_count", "is_active")),
        list(ScreeningEntry.objects.order_by("id").values_list("id", "screening_list_id", "name", "alt_names")),
    ]


# --- Normalisation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Shenzhen Example Power Co., Ltd.", "shenzhen example power"),
        ("Société Électronique Fictive S.A.", "societe electronique fictive"),
        ("Müller Präzisionsantriebe GmbH", "muller prazisionsantriebe"),
        ("  Blue-Lattice   Cooling_Technologies, GmbH ", "blue lattice cooling technologies"),
        ("Acme L.L.C.", "acme"),
        ("Northstar Dynamics Trading LLC", "northstar dynamics trading"),
        ("Great Lakes Motion Company", "great lakes motion"),
        ("Red Harbor Servo Systems Corp.", "red harbor servo systems"),
        ("U.S.A. Motors, Inc.", "usa motors"),
        ("Example Holdings Co Ltd", "example"),
        ("Incredible Robotics Incorporated", "incredible robotics"),  # "inc" inside a word stays
        ("Company Ltd", "company ltd"),  # a name made only of legal words is kept whole
        ("", ""),
    ],
)
def test_normalize_name(name, normalized):
    assert normalize_name(name) == normalized


def test_the_legal_suffixes_include_the_common_forms():
    assert {"inc", "llc", "co", "ltd", "corp", "gmbh", "sa", "plc", "llp", "pllc"} <= set(LEGAL_SUFFIXES)


# --- Loading ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sample_list_loads_with_its_aliases():
    output = _load(SAMPLE)

    assert "Loaded 11 entries from screening-sample.csv" in output
    screening_list = screening_list_active()
    assert (screening_list.source_file_name, screening_list.row_count) == ("screening-sample.csv", 11)
    assert len(screening_list.sha256) == 64
    entry = ScreeningEntry.objects.get(name=SEP)
    assert entry.source == ENTITY_LIST
    assert entry.alt_names == ["SEP Power", "Shenzhen SEP Electric"]
    assert entry.normalized_names == ["shenzhen example power", "sep power", "shenzhen sep electric"]
    assert entry.entity_number == "EL-90009"
    assert ScreeningEntry.objects.get(name="Volga Example Microelectronics JSC").addresses == (
        "12 Sample Prospekt, Kazan, RU; 4 Example Street, Minsk, BY"
    )
    event = AuditEvent.objects.get(action="screening_list.loaded")
    assert event.data["entries"] == 11


@pytest.mark.django_db
def test_columns_are_read_by_header_name_in_any_order_with_extra_columns(tmp_path):
    path = _write_csv(
        tmp_path / "reordered.csv",
        ["remarks", "alt_names", "Name", "favourite_colour", "addresses", "source", "entity_number"],
        [
            [
                "made up",
                "Orion Fab; OMF",
                "Orion Microfab Ltd.",
                "blue",
                "1 Sample Road, Taipei, TW",
                "Entity List",
                "7",
            ],
            ["row without a name", "", "", "red", "", "Entity List", ""],
            ["made up", "", "Kestrel Optics GmbH", "green", "", "Unverified List", ""],
        ],
    )

    output = _load(path)

    assert "Loaded 2 entries from reordered.csv (1 row(s) without a name skipped)" in output
    orion = ScreeningEntry.objects.get(name="Orion Microfab Ltd.")
    assert (orion.source, orion.alt_names, orion.addresses, orion.entity_number) == (
        "Entity List",
        ["Orion Fab", "OMF"],
        "1 Sample Road, Taipei, TW",
        "7",
    )
    assert orion.normalized_names == ["orion microfab", "orion fab", "omf"]
    assert ScreeningEntry.objects.get(name="Kestrel Optics GmbH").alt_names == []


@pytest.mark.django_db
def test_a_new_file_replaces_the_active_list(tmp_path):
    _load(SAMPLE)
    old = screening_list_active()
    path = _write_csv(tmp_path / "next.csv", ["name", "source"], [["Orion Microfab Ltd.", "Entity List"]])

    _load(path)

    new = screening_list_active()
    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.is_active is False, "the old load stays as a record, inactive"
    assert list(ScreeningEntry.objects.values_list("name", flat=True)) == ["Orion Microfab Ltd."]


@pytest.mark.django_db
def test_loading_the_active_file_again_changes_nothing():
    _load(SAMPLE)
    before = _state()

    output = _load(SAMPLE)

    assert "screening-sample.csv is already the active screening list (11 entries); nothing changed." in output
    assert _state() == before
    assert AuditEvent.objects.filter(action="screening_list.loaded").count() == 1


@pytest.mark.django_db
def test_a_file_without_a_name_column_is_refused_and_changes_nothing(tmp_path):
    _load(SAMPLE)
    before = _state()
    path = _write_csv(
        tmp_path / "wrong.csv", ["entity", "aliases", "source"], [["Orion Microfab Ltd.", "OMF", "Entity List"]]
    )

    with pytest.raises(CommandError) as refused:
        _load(path)

    message = str(refused.value)
    assert "wrong.csv has no “name” column" in message
    assert "the columns found are: “entity”, “aliases”, “source”" in message
    assert _state() == before


@pytest.mark.django_db
def test_a_file_with_a_bad_row_is_refused_whole(tmp_path):
    _load(SAMPLE)
    before = _state()
    path = _write_csv(
        tmp_path / "long.csv", ["name", "source"], [["Orion Microfab Ltd.", "Entity List"], ["X" * 600, "Entity List"]]
    )

    with pytest.raises(CommandError) as refused:
        _load(path)

    assert "long.csv has 1 row(s) that cannot be loaded (row 3: name:" in str(refused.value)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.csv is empty"),
        (b"name,source\n,Entity List\n", "empty.csv has no row with a name"),
        (b"name\n\xff\xfe\n", "empty.csv is not UTF-8 text"),
    ],
)
def test_files_that_would_empty_the_list_are_refused(tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        _load(path)

    assert ScreeningList.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv"):
        _load(tmp_path / "nowhere.csv")


# --- Screening ----------------------------------------------------------------------------------------------------


@pytest.fixture
def sample_list(db):
    return screening_list_load(content=SAMPLE.read_bytes(), file_name=SAMPLE.name).screening_list


def _screen(name: str, screening_list) -> object:
    [result] = screen_names(names=[name], screening_list=screening_list)
    return result


def test_a_name_matching_an_alias_is_a_hit_showing_the_entry(sample_list):
    result = _screen("SEP Power LLC", sample_list)

    assert result.outcome == ScreeningOutcome.HIT
    assert result.score == 100
    best = result.best
    assert (best.name, best.source, best.matched_name, best.entity_number) == (
        SEP,
        ENTITY_LIST,
        "SEP Power",
        "EL-90009",
    )
    assert best.through_alias
    assert best.as_data()["alias"] == "SEP Power"


def test_accents_punctuation_and_suffixes_do_not_hide_a_listed_name(sample_list):
    result = _screen("SOCIETE ELECTRONIQUE FICTIVE, SA", sample_list)

    assert result.outcome == ScreeningOutcome.HIT
    assert result.best.name == "Société Électronique Fictive S.A."
    assert not result.best.through_alias


def test_a_near_miss_needs_review(sample_list):
    result = _screen("Shenzhen Example Power Systems Inc.", sample_list)

    assert result.outcome == ScreeningOutcome.NEEDS_REVIEW
    assert 80 <= result.score < 92
    assert result.best.name == SEP


def test_an_unrelated_name_is_clear(sample_list):
    result = _screen("Gulf Coast Power Systems Inc.", sample_list)

    assert result.outcome == ScreeningOutcome.CLEAR
    assert result.matches == []


def test_a_generic_word_shared_with_many_entries_stays_clear(sample_list):
    # "Example" is in several entries' names; a longer name around it is not a match.
    assert _screen("Example Manufacturing 7 Inc.", sample_list).outcome == ScreeningOutcome.CLEAR


def test_the_thresholds_are_settings(sample_list):
    with override_settings(SCREENING_HIT_SCORE=80):
        assert _screen("Shenzhen Example Power Systems Inc.", sample_list).outcome == ScreeningOutcome.HIT
    with override_settings(SCREENING_REVIEW_SCORE=90):
        assert _screen("Shenzhen Example Power Systems Inc.", sample_list).outcome == ScreeningOutcome.CLEAR


def test_several_names_are_screened_in_one_pass_in_their_order(sample_list):
    results = screen_names(names=["Gulf Coast Power", "RHSS", "Northstar Dynamic Trading"], screening_list=sample_list)

    assert [result.outcome for result in results] == [
        ScreeningOutcome.CLEAR,
        ScreeningOutcome.HIT,
        ScreeningOutcome.HIT,
    ]
    assert results[1].best.name == "Red Harbor Servo Systems Co."
    assert results[2].best.name == "Northstar Dynamics Trading LLC"
