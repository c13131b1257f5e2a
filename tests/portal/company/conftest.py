"""People and companies for the company-area tests: an owner, an editor, a viewer, and another company."""

import html
import re

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.factories import UserFactory
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, white space collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def other_supplier(db):
    other = SupplierFactory(legal_name="Rival Robotics LLC")
    SupplierMemberFactory(supplier=other, user=UserFactory(email="owner@rival.example"), role="owner")
    return other


@pytest.fixture
def certificate_storage(tmp_path, monkeypatch):
    """Certificates go to a temporary private folder, removed after the test."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Certification._meta.get_field("document"), "storage", storage)
    return storage
