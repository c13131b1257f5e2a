import pytest
from django.db import DatabaseError, connection, transaction

from accounts.factories import UserFactory
from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_chain_deferred, audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


def test_events_are_hash_chained_and_the_chain_verifies():
    user = UserFactory()
    first = audit_record(action="supplier.created", target=user, actor=user, summary="one")
    second = audit_record(action="supplier.updated", target=user, actor=user, summary="two")

    assert second.previous_hash == first.hash
    assert audit_chain_verify() == []


def test_events_recorded_in_a_deferred_block_join_the_chain_together_at_its_end():
    user = UserFactory()
    before = audit_record(action="a", target=user)
    with transaction.atomic(), audit_chain_deferred():
        submitted = audit_record(action="proposal.submitted", target=user)
        receipt = audit_record(action="proposal.receipt_issued", target=user)
        assert not AuditEvent.objects.filter(action__startswith="proposal.").exists()

    chain = list(AuditEvent.objects.filter(pk__gte=before.pk).order_by("id").values_list("action", "previous_hash"))
    assert chain == [
        ("a", before.previous_hash),
        ("proposal.submitted", before.hash),
        ("proposal.receipt_issued", submitted.hash),
    ]
    assert receipt.pk is not None
    assert audit_chain_verify() == []


def test_a_deferred_block_that_fails_records_nothing():
    user = UserFactory()
    with pytest.raises(ValueError), transaction.atomic(), audit_chain_deferred():
        audit_record(action="proposal.submitted", target=user)
        raise ValueError("the submit failed")

    assert not AuditEvent.objects.filter(action="proposal.submitted").exists()


def test_a_tampered_event_breaks_the_chain():
    user = UserFactory()
    audit_record(action="a", target=user)
    tampered = audit_record(action="b", target=user, summary="original")
    with connection.cursor() as cursor:
        # What someone with database superuser rights could do behind the application's back.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET summary = 'forged' WHERE id = %s", [tampered.id])
        cursor.execute("SET LOCAL session_replication_role = origin")

    assert audit_chain_verify() == [tampered.id]


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_record(action="a", target=UserFactory())

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_postgresql_itself_refuses_updates_and_deletes():
    event = audit_record(action="a", target=UserFactory())

    for statement in (
        "UPDATE audit_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.id])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""
