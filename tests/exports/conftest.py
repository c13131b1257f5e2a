"""Fixtures of the export tests: a program lead signed in, a round, sealed commercial terms."""

from decimal import Decimal

import pytest

from accounts.factories import ProgramLeadFactory
from rfp.factories import RfpFactory


@pytest.fixture
def lead(db):
    return ProgramLeadFactory()


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def rfp(db):
    return RfpFactory(reference="EXP-2025", title="AI infrastructure supply", description="US-made equipment.")


@pytest.fixture
def money():
    return {"unit_price_usd": Decimal("1250.00"), "total_price_usd": Decimal("5000000.00"), "incoterms": "FCA"}
