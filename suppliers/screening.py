"""Restricted-party screening: loading a list file, normalising names, and comparing names with the active list.

The list is a CSV in the layout of the US Consolidated Screening List (trade.gov), read by header name. Names are
normalised the same way on both sides (case, accents, punctuation, legal suffixes), then compared with rapidfuzz.
A score of SCREENING_HIT_SCORE or more is a hit, SCREENING_REVIEW_SCORE or more needs a person's review.
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz, process

from audit.services import audit_record
from suppliers.enums import ScreeningOutcome
from suppliers.models import ScreeningEntry, ScreeningList

DEFAULT_LIST_NAME = "Consolidated Screening List"

# Legal forms dropped as whole words wherever they stand, on both sides of a comparison, so "Example Power Co., Ltd."
# and "Example Power" compare equal. Dotted or spaced initials are joined first, so "L.L.C." and "S. A." match too.
# Holding(s) is dropped on purpose: a listed company's holding company is something a reviewer must look at.
LEGAL_SUFFIXES: tuple[str, ...] = (
    "inc",
    "incorporated",
    "llc",
    "co",
    "company",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "plc",
    "gmbh",
    "sa",
    "ag",
    "bv",
    "lp",
    "llp",
    "pllc",
    "holding",
    "holdings",
)
_SUFFIXES = frozenset(LEGAL_SUFFIXES)
_NOT_WORD = re.compile(r"[\W_]+")
# Cells holding several values (alt_names, addresses) separate them with "; ".
_MULTI_VALUE_SEPARATOR = ";"
# How many matched entries a result keeps, best first: enough for a reviewer, short enough to read.
MATCHES_KEPT = 5


def normalize_name(name: str) -> str:
    """The form names are compared in: "Société Électronique Fictive S.A." -> "societe electronique fictive"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(character for character in text if not unicodedata.combining(character)).casefold()
    tokens = _join_initials(_NOT_WORD.sub(" ", text).split())
    kept = [token for token in tokens if token not in _SUFFIXES]
    # A name made only of legal words ("Company Ltd") keeps them rather than becoming empty.
    return " ".join(kept or tokens)


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of two or more single letters are one word: "l l c" -> "llc", "u s a" -> "usa"."""
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if token:
            joined.append(token)
    return joined


def normalized_names(name: str, alt_names: list[str]) -> list[str]:
    """The entry's name and aliases, normalised, without repeats, the name first."""
    names: list[str] = []
    for value in [name, *alt_names]:
        normalized = normalize_name(value)
        if normalized and normalized not in names:
            names.append(normalized)
    return names


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(_MULTI_VALUE_SEPARATOR) if part.strip()]


# --- Loading a list -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningLoad:
    screening_list: ScreeningList
    created: bool
    skipped_rows: int = 0


def _read_rows(content: bytes, *, file_name: str) -> tuple[list[ScreeningEntry], int]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"{file_name} is not UTF-8 text (byte {error.start} cannot be read); save the list as a UTF-8 CSV file, "
            "as trade.gov publishes it.",
            code="screening_encoding",
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ValidationError(
            f"{file_name} is empty: a screening list starts with a header row such as "
            "“_id,source,entity_number,type,programs,name,…,alt_names,…”.",
            code="screening_empty",
        )
    columns = [column.strip().lower() for column in header]
    if "name" not in columns:
        found = ", ".join(f"“{column.strip()}”" for column in header if column.strip()) or "none"
        raise ValidationError(
            f"{file_name} has no “name” column, so no entry could be read; the columns found are: {found}. "
            "Use the Consolidated Screening List CSV, whose header names the columns name, alt_names, source, "
            "addresses and entity_number.",
            code="screening_no_name_column",
        )
    position = {column: index for index, column in reversed(list(enumerate(columns)))}

    def cell(row: list[str], column: str) -> str:
        index = position.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    entries: list[ScreeningEntry] = []
    skipped = 0
    errors: list[str] = []
    for line, row in enumerate(reader, start=2):
        name = cell(row, "name")
        if not name:
            skipped += 1
            continue
        alt_names = _split(cell(row, "alt_names"))
        entry = ScreeningEntry(
            source=cell(row, "source"),
            name=name,
            alt_names=alt_names,
            addresses=cell(row, "addresses"),
            entity_number=cell(row, "entity_number"),
            normalized_names=normalized_names(name, alt_names),
        )
        try:
            entry.full_clean(exclude=["screening_list"])
        except ValidationError as error:
            problems = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items())
            errors.append(f"row {line}: {problems}")
            continue
        entries.append(entry)
    if errors:
        shown = "; ".join(errors[:5]) + (f"; and {len(errors) - 5} more" if len(errors) > 5 else "")
        raise ValidationError(
            f"{file_name} has {len(errors)} row(s) that cannot be loaded ({shown}); fix them and load the file again.",
            code="screening_bad_rows",
        )
    if not entries:
        raise ValidationError(
            f"{file_name} has no row with a name; a list without entries would screen nothing, so it was not loaded.",
            code="screening_no_entries",
        )
    return entries, skipped


@transaction.atomic
def screening_list_load(*, content: bytes, file_name: str, name: str = DEFAULT_LIST_NAME) -> ScreeningLoad:
    """Make the file the active list, replacing the previous one in one transaction: a refused file changes nothing.

    The superseded list's row stays as a record of the load; its entries go, since checks keep what they matched.
    Loading the file that is already active changes nothing.
    """
    digest = hashlib.sha256(content).hexdigest()
    entries, skipped = _read_rows(content, file_name=file_name)
    active = ScreeningList.objects.select_for_update().filter(is_active=True).first()
    if active is not None and active.sha256 == digest and active.name == name:
        return ScreeningLoad(screening_list=active, created=False, skipped_rows=skipped)
    if active is not None:
        active.entries.all().delete()
        active.is_active = False
        active.save(update_fields=["is_active"])
    screening_list = ScreeningList(
        name=name,
        source_file_name=file_name[:255],
        loaded_at=timezone.now(),
        row_count=len(entries),
        sha256=digest,
        is_active=True,
    )
    screening_list.full_clean()
    screening_list.save()
    for entry in entries:
        entry.screening_list = screening_list
    ScreeningEntry.objects.bulk_create(entries, batch_size=2000)
    audit_record(
        action="screening_list.loaded",
        target=screening_list,
        summary=f"{name}: {len(entries)} entries loaded from {file_name}",
        data={
            "file_name": file_name,
            "sha256": digest,
            "entries": len(entries),
            "skipped_rows": skipped,
            "replaced": active.pk if active is not None else None,
        },
    )
    return ScreeningLoad(screening_list=screening_list, created=True, skipped_rows=skipped)


def screening_list_active() -> ScreeningList | None:
    return ScreeningList.objects.filter(is_active=True).first()


# --- Screening names ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningMatch:
    entry_id: int
    name: str
    source: str
    entity_number: str
    matched_name: str  # the entry's name or the alias that scored best
    score: float

    @property
    def through_alias(self) -> bool:
        return self.matched_name != self.name

    def as_data(self) -> dict:
        return {
            "entry_id": self.entry_id,
            "name": self.name,
            "source": self.source,
            "entity_number": self.entity_number,
            "matched_name": self.matched_name,
            "alias": self.matched_name if self.through_alias else None,
            "score": self.score,
        }


@dataclass(frozen=True)
class ScreeningResult:
    screened_name: str
    normalized_name: str
    outcome: str
    matches: list[ScreeningMatch] = field(default_factory=list)

    @property
    def best(self) -> ScreeningMatch | None:
        return self.matches[0] if self.matches else None

    @property
    def score(self) -> float:
        return self.matches[0].score if self.matches else 0.0


def screening_outcome(score: float) -> str:
    if score >= settings.SCREENING_HIT_SCORE:
        return ScreeningOutcome.HIT
    if score >= settings.SCREENING_REVIEW_SCORE:
        return ScreeningOutcome.NEEDS_REVIEW
    return ScreeningOutcome.CLEAR


def screen_names(*, names: list[str], screening_list: ScreeningList) -> list[ScreeningResult]:
    """Each name against every name and alias of the list, one result per name, in the order given.

    An entry scores the best of its names. The scorer is token_sort_ratio: word order does not matter ("Power
    Shenzhen Example" is "Shenzhen Example Power"), but extra or missing words cost. WRatio was rejected because
    its partial matching scores a short list name inside a longer one at 85 to 90, so every "Example
    Manufacturing" would need review against an entry "J. Q. Example"; short forms are what aliases are for.
    """
    rows = list(
        ScreeningEntry.objects.filter(screening_list=screening_list)
        .order_by("id")
        .values_list("id", "name", "source", "entity_number", "alt_names", "normalized_names")
    )
    choices: list[str] = []
    owners: list[int] = []
    for position, row in enumerate(rows):
        for normalized in row[5]:
            choices.append(normalized)
            owners.append(position)
    results = []
    for screened in names:
        normalized = normalize_name(screened)
        found = process.extract(
            normalized,
            choices,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=settings.SCREENING_REVIEW_SCORE,
            limit=None,
        )
        best: dict[int, tuple[float, str]] = {}
        for choice, score, index in found:
            owner = owners[index]
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, choice)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], rows[item[0]][0]))[:MATCHES_KEPT]
        matches = [_match(rows[owner], score=score, choice=choice) for owner, (score, choice) in ranked]
        outcome = screening_outcome(matches[0].score if matches else 0.0)
        results.append(ScreeningResult(screened, normalized, outcome, matches))
    return results


def _match(row: tuple, *, score: float, choice: str) -> ScreeningMatch:
    entry_id, name, source, entity_number, alt_names, _ = row
    matched = next((value for value in [name, *alt_names] if normalize_name(value) == choice), name)
    return ScreeningMatch(
        entry_id=entry_id,
        name=name,
        source=source,
        entity_number=entity_number,
        matched_name=matched,
        score=round(float(score), 1),
    )
