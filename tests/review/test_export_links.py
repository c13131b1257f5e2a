"""The lead's queue and ranking link the round's CSV and OCDS exports; reviewers see no such link."""

import re

import pytest
from django.urls import reverse

from rfp.factories import RfpFactory
from tests.review.conftest import in_review

pytestmark = pytest.mark.django_db

EXPORTS = ("exports:rfp-proposals-csv", "exports:rfp-reviews-csv", "exports:rfp-ocds")


def _export_hrefs(response) -> set[str]:
    return set(re.findall(r'href="(/exports/[^"]+)"', response.content.decode()))


def _hrefs_for(rfp) -> set[str]:
    return {reverse(name, args=[rfp.reference]) for name in EXPORTS}


def test_the_lead_queue_links_every_rounds_exports_and_those_of_the_filtered_round(client, lead):
    first, second = RfpFactory(reference="AIS-2026"), RfpFactory(reference="AIS-2027")
    in_review(rfp=first)
    client.force_login(lead)

    assert _export_hrefs(client.get("/review/")) == _hrefs_for(first) | _hrefs_for(second)
    assert _export_hrefs(client.get("/review/", {"rfp": second.pk})) == _hrefs_for(second)


def test_the_ranking_links_the_shown_rounds_exports_and_they_download(client, lead):
    rfp = RfpFactory(reference="AIS-2026")
    RfpFactory(reference="AIS-2027")
    in_review(rfp=rfp)
    client.force_login(lead)

    hrefs = _export_hrefs(client.get("/review/ranking/", {"rfp": rfp.pk}))

    assert hrefs == _hrefs_for(rfp)
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_a_reviewer_sees_no_export_link(client, reviewer):
    in_review(rfp=RfpFactory(reference="AIS-2026"))
    client.force_login(reviewer)

    response = client.get("/review/")

    assert response.status_code == 200
    assert _export_hrefs(response) == set()
    assert client.get("/review/ranking/").status_code == 404
