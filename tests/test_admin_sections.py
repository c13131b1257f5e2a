"""The panel's index names each app section once: no two sections share a heading."""

import re
from collections import Counter

import pytest

from accounts.factories import ProgramLeadFactory

pytestmark = pytest.mark.django_db


def test_every_panel_section_has_its_own_heading(client):
    client.force_login(ProgramLeadFactory(is_superuser=True))

    page = client.get("/panel/").content.decode()

    headings = [h.strip() for h in re.findall(r'class="section"[^>]*>([^<]+)</a>', page)]
    assert len(headings) >= 8
    assert [h for h, n in Counter(h.casefold() for h in headings).items() if n > 1] == []
    assert "People and roles" in headings
