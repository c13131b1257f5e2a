"""People and companies for the company-area tests: an owner, an editor, a viewer, and another company."""

import html
import re

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.factories import UserFactory
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, white space collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def supplier(db):
    return SupplierFactory(legal_name="Lone Star Racks Inc.")


@pytest.fixture
def owner(supplier):
    return SupplierMemberFactory(supplier=supplier, user=UserFactory(email="owner@lonestar.example"), role="owner").user


@pytest.fixture
def editor(supplier):
    return SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email="editor@lonestar.example"), role="editor"
    ).user


@pytest.fixture
def viewer(supplier):
    return SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email="viewer@lonestar.example"), role=MemberRole.VIEWER
    ).user


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
