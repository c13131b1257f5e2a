"""Company A of the supplier-side tests, "Lone Star Racks Inc.", with an owner, an editor and a viewer.

Every test can ask for them (`pytest_plugins` in tests/conftest.py); a closer conftest may define its own.
"""

import pytest

from accounts.factories import UserFactory
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory


def member(supplier, *, email: str, role: str):
    """A user of `supplier` with `role`."""
    return SupplierMemberFactory(supplier=supplier, user=UserFactory(email=email), role=role).user


@pytest.fixture
def supplier(db):
    return SupplierFactory(legal_name="Lone Star Racks Inc.")


@pytest.fixture
def owner(supplier):
    return member(supplier, email="owner@lonestar.example", role=MemberRole.OWNER)


@pytest.fixture
def editor(supplier):
    return member(supplier, email="editor@lonestar.example", role=MemberRole.EDITOR)


@pytest.fixture
def viewer(supplier):
    return member(supplier, email="viewer@lonestar.example", role=MemberRole.VIEWER)
