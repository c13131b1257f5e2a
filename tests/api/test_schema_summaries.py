"""Every operation in the served OpenAPI document (/api/v1/schema/) has a summary, and no two share one."""

from collections import Counter

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def test_every_operation_in_the_served_schema_has_a_non_empty_summary():
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)

    operations = {
        f"{method.upper()} {path}": operation.get("summary", "")
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }

    assert len(operations) >= 60
    assert [name for name, summary in operations.items() if not summary.strip()] == []
    assert operations["GET /api/v1/proposals/"] == "The company's proposals, in every round and status"
    repeated = [summary for summary, n in Counter(operations.values()).items() if n > 1]
    assert repeated == []
