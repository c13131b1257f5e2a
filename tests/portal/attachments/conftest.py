import pytest

from accounts.factories import UserFactory
from rfp import services
from rfp.enums import AttachmentKind
from rfp.factories import draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.portal.attachments.files import pdf_bytes, remove_stored_files, upload


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    remove_stored_files()


@pytest.fixture
def owner():
    return SupplierMemberFactory(role=MemberRole.OWNER, user=UserFactory(email="owner@texas-racks.example"))


@pytest.fixture
def proposal(owner):
    return draft_proposal(supplier=owner.supplier, actor=owner.user)


@pytest.fixture
def member_client(client, owner):
    client.force_login(owner.user)
    return client


@pytest.fixture
def add_file(owner):
    """Store a file on a proposal through the service, as an upload from the portal would."""

    def add(proposal, name="offer.pdf", content=None, kind=AttachmentKind.TECHNICAL):
        return services.attachment_add(
            proposal=proposal, actor=owner.user, upload=upload(name, content or pdf_bytes()), kind=kind
        )

    return add
