"""The team: owners invite by email, the invitee accepts with the link, roles change, the last owner stays."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from audit.models import AuditEvent
from suppliers import services
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.models import Invitation, SupplierMember
from tests.portal.company.conftest import page_text
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def invite(client, django_capture_on_commit_callbacks, email="new.hire@lonestar.example", role="editor"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("portal:team_invite"), {"email": email, "role": role})


def test_owner_invites_and_the_invitee_accepts_with_the_emailed_link(
    client, supplier, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    response = invite(client, django_capture_on_commit_callbacks, email="New.Hire@LoneStar.example", role="viewer")
    assert response.status_code == 302
    invitation = Invitation.objects.get(supplier=supplier)
    assert invitation.email == "new.hire@lonestar.example"
    assert invitation.role == MemberRole.VIEWER
    assert invitation.expires_at - timezone.now() > timedelta(days=13, hours=23)
    assert len(invitation.token) >= 40

    deliver_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.hire@lonestar.example"]
    link = settings.SITE_URL.rstrip("/") + reverse("portal:invitation_accept", kwargs={"token": invitation.token})
    assert link in message.body
    assert "Lone Star Racks Inc." in message.subject
    assert AuditEvent.objects.filter(action="invitation.sent", object_id=str(invitation.pk), actor=owner).exists()

    team_page = page_text(client.get(reverse("portal:team")))
    assert "new.hire@lonestar.example" in team_page

    invitee = UserFactory(email="new.hire@lonestar.example")
    client.force_login(invitee)
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))
    page = page_text(client.get(path))
    assert "Join Lone Star Racks Inc." in page
    assert "as viewer" in page
    response = client.post(path)
    assert response.status_code == 302
    member = SupplierMember.objects.get(user=invitee)
    assert (member.supplier, member.role) == (supplier, MemberRole.VIEWER)
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert AuditEvent.objects.filter(action="invitation.accepted", object_id=str(invitation.pk)).exists()
    assert "Welcome to Lone Star Racks Inc.: you joined as viewer." in page_text(client.get(response["Location"]))


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, supplier, owner):
    invitation = services.invitation_send(supplier=supplier, actor=owner, email="later@lonestar.example", role="editor")
    path = reverse("portal:invitation_accept", kwargs={"token": invitation.token})
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={path}"


def _invitation(supplier, owner, email="colleague@lonestar.example"):
    return services.invitation_send(supplier=supplier, actor=owner, email=email, role="editor")


def _accept_page(client, invitation):
    return client.post(reverse("portal:invitation_accept", kwargs={"token": invitation.token}))


def test_an_invitation_for_another_email_is_refused(client, supplier, owner):
    invitation = _invitation(supplier, owner)
    stranger = UserFactory(email="stranger@elsewhere.example")
    client.force_login(stranger)
    response = client.get(reverse("portal:invitation_accept", kwargs={"token": invitation.token}))
    assert "This invitation was sent to colleague@lonestar.example, but you are signed in as" in page_text(response)
    assert 'type="submit" class="primary"' not in response.content.decode()
    page = page_text(_accept_page(client, invitation))
    assert "Sign out and sign in (or create an account) with colleague@lonestar.example" in page
    assert not SupplierMember.objects.filter(user=stranger).exists()


def test_an_expired_invitation_is_refused(client, supplier, owner):
    invitation = _invitation(supplier, owner)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    invitee = UserFactory(email="colleague@lonestar.example")
    client.force_login(invitee)
    page = page_text(_accept_page(client, invitation))
    assert "This invitation expired on" in page
    assert "Ask Lone Star Racks Inc.'s owner to send a new one." in page
    assert not SupplierMember.objects.filter(user=invitee).exists()


def test_a_revoked_invitation_is_refused(client, supplier, owner):
    invitation = _invitation(supplier, owner)
    client.force_login(owner)
    response = client.post(reverse("portal:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "The invitation to colleague@lonestar.example is revoked" in page_text(response)
    assert AuditEvent.objects.filter(action="invitation.revoked", object_id=str(invitation.pk)).exists()
    invitee = UserFactory(email="colleague@lonestar.example")
    client.force_login(invitee)
    assert "This invitation was revoked by Lone Star Racks Inc.'s owner." in page_text(_accept_page(client, invitation))
    assert not SupplierMember.objects.filter(user=invitee).exists()


def test_a_used_invitation_and_an_unknown_link_are_refused(client, supplier, owner):
    invitation = _invitation(supplier, owner)
    services.invitation_accept(token=invitation.token, user=UserFactory(email="colleague@lonestar.example"))
    client.force_login(UserFactory(email="late@lonestar.example"))
    assert "has already been used" in page_text(_accept_page(client, invitation))
    response = client.get(reverse("portal:invitation_accept", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "This invitation link is not valid." in page_text(response)


def test_a_person_in_another_company_cannot_accept(client, supplier, owner, other_supplier):
    invitation = _invitation(supplier, owner, email="owner@rival.example")
    client.force_login(SupplierMember.objects.get(supplier=other_supplier).user)
    page = page_text(_accept_page(client, invitation))
    assert "You already belong to Rival Robotics LLC; a person can belong to one company only." in page
    assert SupplierMember.objects.filter(supplier=supplier).count() == 1


def test_inviting_a_member_or_someone_already_invited_is_refused(
    client, supplier, owner, editor, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    page = page_text(invite(client, django_capture_on_commit_callbacks, email="EDITOR@lonestar.example"))
    assert "editor@lonestar.example is already a member of your team" in page
    invite(client, django_capture_on_commit_callbacks, email="twice@lonestar.example")
    page = page_text(invite(client, django_capture_on_commit_callbacks, email="twice@lonestar.example"))
    assert "twice@lonestar.example already has an open invitation" in page
    assert "Revoke it in the list of open invitations to send a new one." in page
    assert Invitation.objects.filter(email="twice@lonestar.example").count() == 1
    deliver_outbox()
    assert len(mail.outbox) == 1


def test_an_expired_invitation_can_be_replaced(supplier, owner):
    first = _invitation(supplier, owner)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))
    second = _invitation(supplier, owner)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_open_at(timezone.now())


def test_only_owners_invite(client, supplier, editor, viewer):
    for person in (editor, viewer):
        client.force_login(person)
        response = client.post(reverse("portal:team_invite"), {"email": "x@lonestar.example", "role": "editor"})
        assert response.status_code == 403
        assert "Only the company's owners can do this." in page_text(response)
        team_page = client.get(reverse("portal:team"))
        assert "Invite a colleague" not in page_text(team_page)
        assert "Change role" not in page_text(team_page)
    assert not Invitation.objects.exists()


def test_the_owner_changes_a_role_and_removes_a_member(client, supplier, owner, editor):
    client.force_login(owner)
    member = SupplierMember.objects.get(user=editor)
    client.post(reverse("portal:member_role", args=[member.pk]), {"role": "viewer"})
    member.refresh_from_db()
    assert member.role == MemberRole.VIEWER
    assert AuditEvent.objects.filter(action="supplier.member_role_changed", object_id=str(member.pk)).exists()
    response = client.post(reverse("portal:member_remove", args=[member.pk]), follow=True)
    assert "editor@lonestar.example no longer belongs to Lone Star Racks Inc." in page_text(response)
    assert not SupplierMember.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action="supplier.member_removed", object_id=str(member.pk)).exists()


def test_the_last_owner_can_be_neither_demoted_nor_removed(client, supplier, owner, editor):
    client.force_login(owner)
    membership = SupplierMember.objects.get(user=owner)
    response = client.post(reverse("portal:member_role", args=[membership.pk]), {"role": "editor"}, follow=True)
    assert "owner@lonestar.example is the company's only owner and cannot be demoted" in page_text(response)
    response = client.post(reverse("portal:member_remove", args=[membership.pk]), follow=True)
    assert "is the company's only owner and cannot be removed: a company always keeps at least one owner" in (
        page_text(response)
    )
    membership.refresh_from_db()
    assert membership.role == MemberRole.OWNER

    # With a second owner, the first may step down.
    second = SupplierMember.objects.get(user=editor)
    client.post(reverse("portal:member_role", args=[second.pk]), {"role": "owner"})
    client.post(reverse("portal:member_role", args=[membership.pk]), {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == MemberRole.EDITOR


def test_another_companys_member_or_invitation_is_not_found(client, supplier, owner, other_supplier):
    other_member = SupplierMember.objects.get(supplier=other_supplier)
    other_invitation = services.invitation_send(
        supplier=other_supplier, actor=other_member.user, email="x@rival.example", role="editor"
    )
    client.force_login(owner)
    assert client.post(reverse("portal:member_remove", args=[other_member.pk])).status_code == 404
    assert client.post(reverse("portal:member_role", args=[other_member.pk]), {"role": "viewer"}).status_code == 404
    assert client.post(reverse("portal:invitation_revoke", args=[other_invitation.pk])).status_code == 404
    assert SupplierMember.objects.filter(pk=other_member.pk).exists()


def _team_queries(client, supplier, owner, rows):
    for n in range(rows):
        SupplierMemberFactory(supplier=supplier, role=MemberRole.EDITOR)
        services.invitation_send(supplier=supplier, actor=owner, email=f"invitee{n}@lonestar.example", role="viewer")
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:team"))
    assert response.status_code == 200
    return len(queries)


def test_the_team_page_runs_the_same_queries_for_one_or_three_rows(client, owner, django_assert_max_num_queries):
    one = _team_queries(client, SupplierMember.objects.get(user=owner).supplier, owner, 1)
    other = SupplierFactory()
    other_owner = SupplierMemberFactory(supplier=other).user
    three = _team_queries(client, other, other_owner, 3)
    assert one == three
    with django_assert_max_num_queries(one):
        client.get(reverse("portal:team"))
