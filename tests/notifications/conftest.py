import pytest
from django.core.files.storage import FileSystemStorage


@pytest.fixture(autouse=True)
def _no_broker(request, monkeypatch):
    """Jobs stay in the database and the tests run them as a worker would (tests.support.outbox); a test with a
    real worker (marked "worker") publishes for real."""
    if request.node.get_closest_marker("worker"):
        return
    import jobs.services

    monkeypatch.setattr(jobs.services, "job_publish", lambda **kwargs: False)


@pytest.fixture(autouse=True)
def email_storage(request, tmp_path, monkeypatch):
    """Email attachments go to a temporary private folder, removed after the test (not with a real worker, which
    uses the test settings' private folder)."""
    if request.node.get_closest_marker("worker"):
        return None
    from notifications.models import EmailAttachment

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(EmailAttachment._meta.get_field("file"), "storage", storage)
    return storage
