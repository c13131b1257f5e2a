"""The panel's list of automated checks filters by what was checked, in words, not by the checks' internal codes."""

import pytest
from django.urls import reverse

from accounts.factories import ProgramLeadFactory
from rfp.enums import CheckOutcome
from rfp.factories import draft_proposal
from rfp.models import ProposalCheck

pytestmark = pytest.mark.django_db


def test_the_check_filter_names_each_check_in_words(client):
    proposal = draft_proposal()
    for code, label in [
        ("screening_legal_name", "Restricted-party screening of the legal name"),
        ("screening_sub_supplier_2", "Restricted-party screening of the sub-supplier"),
        ("naics", "NAICS 2022 codes"),
    ]:
        ProposalCheck.objects.create(
            proposal=proposal, version=1, code=code, label=label, outcome=CheckOutcome.PASS, detail="Clear."
        )
    client.force_login(ProgramLeadFactory(is_superuser=True))
    url = reverse("admin:rfp_proposalcheck_changelist")

    html = client.get(url).content.decode()
    filtered = client.get(url, {"code": "screening_sub_supplier_2"}).content.decode()

    assert "Screening: legal name" in html
    assert "Screening: sub-supplier 2" in html
    assert "NAICS codes" in html
    assert ">screening_legal_name<" not in html and ">screening_sub_supplier_2<" not in html
    assert "Restricted-party screening of the sub-supplier" in filtered
    assert "NAICS 2022 codes" not in filtered
