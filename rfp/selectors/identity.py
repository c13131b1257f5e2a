"""The supplier's identity inside what the supplier wrote (title, narrative, answers): the strings that name it, and
the text with them masked for a reader from whom the supplier is hidden (`rfp.rules.supplier_hidden_from`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rfp.models import Proposal
from suppliers.models import Supplier

HIDDEN = "[hidden]"
CORPORATE_SUFFIX = re.compile(
    r"[\s,]+(inc|incorporated|llc|l\.l\.c|corp|corporation|co|company|ltd|limited|lp|llp|pllc)\.?$", re.IGNORECASE
)
SHORTEST_TERM = 4  # shorter pieces (a two-letter DBA) would cut ordinary words


def supplier_identity_terms(supplier: Supplier, *, facilities=()) -> list[str]:
    """The strings that name the supplier: names, identifiers, web domain, addresses and cities of its
    headquarters and of the facilities given."""
    terms = [supplier.legal_name, CORPORATE_SUFFIX.sub("", supplier.legal_name.strip()), supplier.dba]
    terms += [supplier.ein, supplier.ein.replace("-", ""), supplier.uei, supplier.cage]
    terms += [supplier.hq_address_line1, supplier.hq_address_line2, supplier.hq_city]
    host = (urlsplit(supplier.website).hostname or "") if supplier.website else ""
    host = host.removeprefix("www.")
    terms += [host, host.rsplit(".", 1)[0]]
    for facility in facilities:
        terms += [facility.name, facility.address_line1, facility.address_line2, facility.city]
    unique = {term.strip() for term in terms if term and len(term.strip()) >= SHORTEST_TERM}
    return sorted(unique, key=len, reverse=True)


def identity_redacted(text: str, terms: list[str]) -> str:
    """`text` with every term (any case, as a whole word) replaced by a neutral mark."""
    if not text or not terms:
        return text
    pattern = "|".join(re.escape(term) for term in terms)
    return re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", HIDDEN, text, flags=re.IGNORECASE)


def proposal_title_shown(proposal: Proposal, *, supplier_hidden: bool) -> str:
    if not supplier_hidden:
        return proposal.title
    return identity_redacted(proposal.title, supplier_identity_terms(proposal.supplier))
