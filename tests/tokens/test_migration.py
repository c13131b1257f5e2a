"""ApiToken moved from the api app to the tokens app without touching its table: tokens made before still work."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.factories import UserFactory
from tokens import selectors, services
from tokens.models import ApiToken

BEFORE = [("api", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_made_before_the_move_still_authenticates_after_it():
    user = UserFactory()
    issued = services.api_token_create(user=user, name="ERP export", scope="read", lifetime_days=30)
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        assert old_apps.get_model("api", "ApiToken").objects.get().name == "ERP export"
        with pytest.raises(LookupError):
            old_apps.get_model("tokens", "ApiToken")
    finally:
        _migrate(leaf)

    assert ApiToken._meta.db_table == "api_apitoken"
    token = selectors.api_token_for_plaintext(plaintext=issued.plaintext)
    assert token is not None and token.pk == issued.token.pk
    assert token.is_active_at(timezone.now())
