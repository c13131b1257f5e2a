"""The RFP as an OCDS 1.1 release package, with the lots and bids extensions, and its offline validation.

One release per package, tagged "tender": the package is built on demand and no earlier release is kept, and a
shortlist is not a contract award, so there is no award section. Each sector of the round is a lot and each of
its categories an item of that lot. `bids.statistics` counts the bids per lot at any time; who bid (the tenderer
parties and `bids.details`) appears only once the round has closed, named as each bidder's latest submitted bid
recorded it, not as the live company row says today.

The schemas under exports/schema are OCDS 1.1.5 and the two extensions' patches; `release_package_errors` applies
the patches (RFC 7386 merge patch) and resolves every $ref from those files, never over the network.
"""

import functools
import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

from exports.selectors import bid_list_for_ocds, sector_list_for_rfp
from rfp.enums import ProposalStatus
from rfp.models import Rfp

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
OCDS_VERSION = "1.1"
# The extensions' own extension.json files, as the package names them; nothing is fetched from these.
EXTENSION_URLS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
)
BUYER_PARTY_ID = "buyer"
SUPPLIER_ID_SCHEME = "US-EIN"  # org-id.guide: United States Employer Identification Number

# Proposal status -> bid status (bids extension's closed bidStatus codelist). A decided proposal was evaluated, so
# its bid was valid, whether shortlisted or declined.
BID_STATUS = {
    ProposalStatus.SUBMITTED: "pending",
    ProposalStatus.IN_REVIEW: "pending",
    ProposalStatus.INFO_REQUESTED: "pending",
    ProposalStatus.SHORTLISTED: "valid",
    ProposalStatus.DECLINED: "valid",
    ProposalStatus.WITHDRAWN: "withdrawn",
}
DECIDED = (ProposalStatus.SHORTLISTED, ProposalStatus.DECLINED)


def ocds_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _tender_status(*, rfp: Rfp, bids: list, now) -> str:
    """planned before it opens, active while open and under evaluation, then complete once every standing bid is
    decided, or unsuccessful when none stands."""
    if now < rfp.opens_at:
        return "planned"
    if now < rfp.closes_at:
        return "active"
    standing = [proposal for proposal in bids if proposal.status != ProposalStatus.WITHDRAWN]
    if not standing:
        return "unsuccessful"
    return "complete" if all(proposal.status in DECIDED for proposal in standing) else "active"


def _supplier_party_id(supplier) -> str:
    return f"{SUPPLIER_ID_SCHEME}-{supplier.ein}"


def _submitted_names(bids: list) -> dict[int, str]:
    """Each bidder's legal name as its latest submitted bid recorded it: one party, one name, in every reference."""
    names = {}
    for proposal in sorted(bids, key=lambda bid: (bid.submitted_at, bid.pk)):
        names[proposal.supplier_id] = proposal.submitted_legal_name
    return names


def _supplier_party(supplier, *, legal_name: str) -> dict:
    street = ", ".join(line for line in (supplier.hq_address_line1, supplier.hq_address_line2) if line)
    return {
        "id": _supplier_party_id(supplier),
        "name": legal_name,
        "identifier": {"scheme": SUPPLIER_ID_SCHEME, "id": supplier.ein, "legalName": legal_name},
        "address": {
            "streetAddress": street,
            "locality": supplier.hq_city,
            "region": supplier.hq_state,
            "postalCode": supplier.hq_zip,
            "countryName": "United States",
        },
        "roles": ["tenderer"],
    }


def _statistics(*, lots: list[dict], bids: list, now) -> list[dict]:
    """Bids standing (submitted, not withdrawn) per lot and in all, and how many suppliers placed them."""
    standing = [proposal for proposal in bids if proposal.status != ProposalStatus.WITHDRAWN]
    note = "Proposals submitted and not withdrawn."
    statistics = [
        {"id": "bids", "measure": "bids", "value": len(standing), "date": ocds_datetime(now), "notes": note},
        {
            "id": "bidders",
            "measure": "bidders",
            "value": len({proposal.supplier_id for proposal in standing}),
            "date": ocds_datetime(now),
        },
    ]
    for lot in lots:
        count = sum(1 for proposal in standing if proposal.sector.code == lot["id"])
        statistics.append(
            {
                "id": f"bids-{lot['id']}",
                "measure": "bids",
                "value": count,
                "date": ocds_datetime(now),
                "notes": note,
                "relatedLot": lot["id"],
            }
        )
    return statistics


def ocds_release_package(*, rfp: Rfp, now=None) -> dict:
    """The round as an OCDS 1.1 release package (a JSON-ready dict); only `bids.statistics` before `closes_at`."""
    now = now or timezone.now()
    closed = now >= rfp.closes_at
    bids = bid_list_for_ocds(rfp=rfp, now=now)
    sectors = sector_list_for_rfp(rfp=rfp)
    buyer = {"id": BUYER_PARTY_ID, "name": settings.OCDS_PUBLISHER_NAME}
    lots, items = [], []
    for sector in sectors:
        lot_bids = [proposal for proposal in bids if proposal.sector_id == sector.pk]
        lots.append(
            {"id": sector.code, "title": sector.name, "status": _tender_status(rfp=rfp, bids=lot_bids, now=now)}
        )
        items += [
            {
                "id": f"{sector.code}-{category.code}",
                "description": category.name,
                "classification": {"scheme": "x_sector_category", "id": category.code, "description": category.name},
                "relatedLot": sector.code,
            }
            for category in sector.categories.all()
        ]
    tender = {
        "id": rfp.reference,
        "title": rfp.title,
        "description": rfp.description,
        "status": _tender_status(rfp=rfp, bids=bids, now=now),
        "procuringEntity": buyer,
        "items": items,
        "procurementMethod": "open",
        "mainProcurementCategory": "goods",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": ocds_datetime(rfp.opens_at), "endDate": ocds_datetime(rfp.closes_at)},
        "lots": lots,
    }
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    release_bids: dict = {"statistics": _statistics(lots=lots, bids=bids, now=now)}
    if closed:
        suppliers = {proposal.supplier_id: proposal.supplier for proposal in bids}
        names = _submitted_names(bids)
        parties += [_supplier_party(supplier, legal_name=names[pk]) for pk, supplier in suppliers.items()]
        tender["numberOfTenderers"] = len(suppliers)
        release_bids["details"] = [
            {
                "id": proposal.reference,
                "date": ocds_datetime(proposal.submitted_at),
                "status": BID_STATUS[proposal.status],
                "tenderers": [{"id": _supplier_party_id(proposal.supplier), "name": names[proposal.supplier_id]}],
                "relatedLots": [proposal.sector.code],
            }
            for proposal in bids
        ]
    ocid = f"{settings.OCDS_OCID_PREFIX}-{rfp.reference}"
    site = settings.SITE_URL.rstrip("/")
    return {
        "uri": f"{site}{reverse('exports:rfp-ocds', args=[rfp.reference])}",
        "version": OCDS_VERSION,
        "publishedDate": ocds_datetime(now),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME},
        "extensions": list(EXTENSION_URLS),
        "releases": [
            {
                "ocid": ocid,
                "id": f"{ocid}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
                "date": ocds_datetime(now),
                "tag": ["tender"],
                "initiationType": "tender",
                "language": "en",
                "parties": parties,
                "buyer": buyer,
                "tender": tender,
                "bids": release_bids,
            }
        ],
    }


# --- Validation against the OCDS schema, offline ----------------------------------------------------------------


def json_merge_patch(target, patch):
    """RFC 7386: how an OCDS extension's release-schema.json patches the release schema."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = json_merge_patch(merged.get(key), value)
    return merged


def _load(relative: str) -> dict:
    return json.loads((SCHEMA_DIR / relative).read_text(encoding="utf-8"))


def release_schema() -> dict:
    """The OCDS 1.1.5 release schema with the lots and bids extensions applied."""
    schema = _load("release-schema.json")
    for extension in ("lots", "bids"):
        schema = json_merge_patch(schema, _load(f"extensions/{extension}/release-schema.json"))
    return schema


def _refuse_retrieval(uri: str):
    raise NoSuchResource(ref=uri)  # every schema is in exports/schema; nothing is fetched


@functools.cache
def _package_validator() -> Draft4Validator:
    package_schema = _load("release-package-schema.json")
    release = release_schema()
    registry = Registry(retrieve=_refuse_retrieval).with_resources(
        [
            (release["id"], Resource.from_contents(release, default_specification=DRAFT4)),
            (package_schema["id"], Resource.from_contents(package_schema, default_specification=DRAFT4)),
        ]
    )
    return Draft4Validator(package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def release_package_errors(package: dict) -> list[str]:
    """What makes the package invalid against the OCDS release package and release schemas; empty when valid."""
    errors = sorted(_package_validator().iter_errors(package), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(package)'}: {error.message}" for error in errors]
