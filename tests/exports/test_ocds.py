"""The round as an OCDS 1.1 release package: valid against the release package schema with the lots and bids
extensions, one lot per sector, bid statistics before the deadline and one bid detail per submitted proposal after."""

import json
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from exports.ocds import EXTENSION_URLS, ocds_release_package, release_package_errors, release_schema
from rfp import services
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Sector
from suppliers.factories import SupplierFactory
from tests.exports.support import checked_and_in_review, renamed_and_retitled_since, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def bids(rfp, lead):
    """A shortlisted datacenter proposal, a robotics one in review, a withdrawn one and a draft (not a bid)."""
    shortlisted = checked_and_in_review(submitted(rfp=rfp))
    services.proposal_decide(proposal=shortlisted, actor=lead, outcome="shortlisted", rationale="Strong offer.")
    in_review = checked_and_in_review(submitted(rfp=rfp, sector_code="robotics"))
    withdrawn = submitted(rfp=rfp, sector_code="consumer-electronics")
    services.proposal_withdraw(proposal=withdrawn, actor=None, reason="Capacity went elsewhere.")
    draft = draft_proposal(rfp=rfp, sector_code="datacenter")
    return {"shortlisted": shortlisted, "in_review": in_review, "withdrawn": withdrawn, "draft": draft}


def _z(moment) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"


def _statistics(release) -> dict:
    return {(item["measure"], item.get("relatedLot")): item["value"] for item in release["bids"]["statistics"]}


def test_before_the_deadline_the_package_is_valid_and_shows_only_bid_statistics(rfp, bids, settings):
    package = ocds_release_package(rfp=rfp)

    assert release_package_errors(package) == []
    assert (package["version"], package["extensions"]) == ("1.1", list(EXTENSION_URLS))
    assert package["uri"].endswith(f"/exports/rfps/{rfp.reference}/ocds.json")
    [release] = package["releases"]
    assert release["ocid"] == f"{settings.OCDS_OCID_PREFIX}-{rfp.reference}"
    assert (release["tag"], release["initiationType"]) == (["tender"], "tender")
    tender = release["tender"]
    assert (tender["id"], tender["title"], tender["status"]) == (rfp.reference, rfp.title, "active")
    assert tender["tenderPeriod"] == {"startDate": _z(rfp.opens_at), "endDate": _z(rfp.closes_at)}
    sectors = list(Sector.objects.order_by("position", "name"))
    assert [lot["id"] for lot in tender["lots"]] == [sector.code for sector in sectors]
    assert {item["relatedLot"] for item in tender["items"]} == {sector.code for sector in sectors}
    assert tender["procuringEntity"] == release["buyer"] == {"id": "buyer", "name": settings.OCDS_PUBLISHER_NAME}

    # Counts per lot, and no word of who bid: no bid details, no tenderer parties, no supplier name anywhere.
    assert "details" not in release["bids"]
    assert _statistics(release) == {
        ("bids", None): 2,
        ("bidders", None): 2,
        ("bids", "datacenter"): 1,
        ("bids", "consumer-electronics"): 0,
        ("bids", "robotics"): 1,
    }
    assert [party["roles"] for party in release["parties"]] == [["buyer", "procuringEntity"]]
    text = json.dumps(package)
    assert not any(proposal.supplier.legal_name in text for proposal in bids.values())
    assert not any(proposal.reference in text for proposal in bids.values())


def test_after_the_deadline_each_submitted_proposal_is_a_bid_detail(rfp, bids):
    package = ocds_release_package(rfp=rfp, now=rfp.closes_at + timedelta(hours=1))

    assert release_package_errors(package) == []
    [release] = package["releases"]
    details = {detail["id"]: detail for detail in release["bids"]["details"]}
    assert {reference: detail["status"] for reference, detail in details.items()} == {
        bids["shortlisted"].reference: "valid",
        bids["in_review"].reference: "pending",
        bids["withdrawn"].reference: "withdrawn",
    }
    shortlisted = details[bids["shortlisted"].reference]
    assert shortlisted["relatedLots"] == ["datacenter"]
    assert shortlisted["date"] == _z(bids["shortlisted"].submitted_at)
    tenderers = {party["id"]: party for party in release["parties"] if "tenderer" in party["roles"]}
    for proposal in (bids["shortlisted"], bids["in_review"], bids["withdrawn"]):
        [reference] = details[proposal.reference]["tenderers"]
        party = tenderers[reference["id"]]
        assert reference["name"] == party["name"] == proposal.supplier.legal_name
        assert party["identifier"] == {
            "scheme": "US-EIN",
            "id": proposal.supplier.ein,
            "legalName": proposal.supplier.legal_name,
        }
    lots = {lot["id"] for lot in release["tender"]["lots"]}
    assert all(set(detail["relatedLots"]) <= lots for detail in details.values())
    assert release["tender"]["numberOfTenderers"] == 3
    # The withdrawn bid is a detail but does not count among the bids standing.
    assert _statistics(release)[("bids", None)] == 2
    # Under evaluation until the robotics proposal is decided.
    assert release["tender"]["status"] == "active"


def test_a_round_not_yet_open_is_planned_and_a_closed_one_without_bids_unsuccessful(db):
    rfp = RfpFactory(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=30))

    planned = ocds_release_package(rfp=rfp)
    closed = ocds_release_package(rfp=rfp, now=rfp.closes_at + timedelta(days=1))

    assert release_package_errors(planned) == release_package_errors(closed) == []
    assert planned["releases"][0]["tender"]["status"] == "planned"
    assert closed["releases"][0]["tender"]["status"] == "unsuccessful"
    assert closed["releases"][0]["bids"]["details"] == []


def test_the_ocid_prefix_comes_from_the_settings(rfp, settings):
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"

    assert ocds_release_package(rfp=rfp)["releases"][0]["ocid"] == f"ocds-a1b2c3-{rfp.reference}"


def test_the_validator_applies_the_extensions_and_checks_formats_offline(rfp, bids):
    """The checks the tests rely on are really made: the extensions' fields and codes, dates and URIs."""
    schema = release_schema()
    assert {"Lot", "Bid", "Bids", "BidsStatistic"} <= set(schema["definitions"])
    assert "lots" in schema["definitions"]["Tender"]["properties"]

    package = ocds_release_package(rfp=rfp, now=rfp.closes_at + timedelta(hours=1))
    release = package["releases"][0]
    release["bids"]["details"][0]["status"] = "accepted"
    release["tender"]["lots"][0]["status"] = "open"
    release["bids"]["statistics"][0]["value"] = "two"
    package["publishedDate"] = "yesterday"
    package["extensions"] = ["not a uri"]

    errors = "\n".join(release_package_errors(package))

    assert "releases/0/bids/details/0/status: 'accepted' is not one of" in errors
    assert "releases/0/tender/lots/0/status: 'open' is not one of" in errors
    assert "releases/0/bids/statistics/0/value: 'two' is not of type 'number'" in errors
    assert "publishedDate: 'yesterday' is not a 'date-time'" in errors
    assert "extensions/0: 'not a uri' is not a 'uri'" in errors


def test_bidders_are_named_as_their_latest_submitted_bid_recorded_them(rfp):
    supplier = SupplierFactory(legal_name="Lone Star Racks Inc.")
    first = submitted(rfp=rfp, supplier=supplier, fields={"title": "Liquid-cooled racks"})
    second = submitted(rfp=rfp, supplier=supplier, sector_code="robotics")
    renamed_and_retitled_since(first, legal_name="Texas Thermal Holdings LLC", title="Air-cooled racks only")

    package = ocds_release_package(rfp=rfp, now=rfp.closes_at + timedelta(hours=1))

    assert release_package_errors(package) == []
    [release] = package["releases"]
    [party] = [party for party in release["parties"] if "tenderer" in party["roles"]]
    assert (party["name"], party["identifier"]["legalName"]) == ("Lone Star Racks Inc.", "Lone Star Racks Inc.")
    details = {detail["id"]: detail for detail in release["bids"]["details"]}
    for proposal in (first, second):
        assert details[proposal.reference]["tenderers"] == [{"id": party["id"], "name": "Lone Star Racks Inc."}]
    assert "Texas Thermal Holdings LLC" not in json.dumps(package)
