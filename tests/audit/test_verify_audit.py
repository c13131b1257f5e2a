"""`manage.py verify_audit` names the first broken link of the audit chain and exits non-zero."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.factories import UserFactory
from audit.services import _event_hash, _hashed_fields, audit_record
from tests.support import processes

pytestmark = pytest.mark.django_db


def _events(count: int) -> list:
    user = UserFactory()
    return [audit_record(action=f"test.step{n}", target=user, summary=f"step {n}") for n in range(count)]


def _behind_the_triggers_back(statement: str, params: list) -> None:
    """What someone with the database owner's rights could do: switch the append-only trigger off for a moment."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred foreign-key check
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(statement, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def test_an_intact_chain_passes(capsys):
    _events(3)

    call_command("verify_audit")

    assert "Audit chain intact: 3 event(s) checked." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_exits_non_zero_and_names_the_edited_row():
    events = _events(5)
    edited = events[2]
    _behind_the_triggers_back("UPDATE audit_auditevent SET summary = 'nothing happened' WHERE id = %s", [edited.id])

    result = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=processes.PROJECT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": processes.test_database_url(),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"Audit chain broken at event #{edited.id} (" in result.stderr
    assert "the row was edited" in result.stderr


def test_the_message_names_the_edited_row(capsys):
    events = _events(5)
    edited = events[2]
    _behind_the_triggers_back("UPDATE audit_auditevent SET data = '{\"x\": 1}' WHERE id = %s", [edited.id])

    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert str(error.value).startswith(f"Audit chain broken at event #{edited.id} (")
    assert "test.step2 on accounts.user#" in str(error.value)
    assert "its content no longer matches its hash: the row was edited" in str(error.value)
    assert "2 event(s) before it are intact" in str(error.value)


def test_a_removed_row_is_found_at_the_next_one():
    events = _events(4)
    _behind_the_triggers_back("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])

    with pytest.raises(CommandError, match=rf"broken at event #{events[2].id} .*does not follow event #{events[0].id}"):
        call_command("verify_audit")


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link():
    events = _events(3)
    forged = events[0]
    forged.summary = "forged"
    forged_hash = _event_hash(previous_hash=forged.previous_hash, fields=_hashed_fields(forged))
    _behind_the_triggers_back(
        "UPDATE audit_auditevent SET summary = 'forged', hash = %s WHERE id = %s", [forged_hash, forged.id]
    )

    with pytest.raises(CommandError, match=rf"broken at event #{events[1].id} .*does not follow event #{forged.id}"):
        call_command("verify_audit")
