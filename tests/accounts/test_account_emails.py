"""django-allauth's emails go through the outbox: stored with their plain-text part, sent by the worker, re-sendable."""

import re

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD, ProgramLeadFactory, UserFactory
from jobs.models import Job
from notifications.enums import EmailKind, EmailStatus
from notifications.models import OutboundEmail
from notifications.services import SEND_TASK
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-factory-floor-password"
RESET_LINK = re.compile(r"http://testserver/accounts/password/reset/key/\S+/")


def _person(email: str):
    user = UserFactory(email=email)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def test_a_password_reset_email_is_queued_with_its_link_and_leaves_with_the_send_job(client):
    user = _person("forgetful@genesee.example")

    client.post("/accounts/password/reset/", {"email": user.email})

    assert mail.outbox == [], "nothing is sent in the request"
    email = OutboundEmail.objects.get()
    assert (email.kind, email.status, email.to) == (EmailKind.ACCOUNT, EmailStatus.QUEUED, [user.email])
    assert email.subject == "[RFP Intake] Password Reset Email"
    link = RESET_LINK.search(email.body_text).group(0)
    assert Job.objects.filter(task_name=SEND_TASK, arguments={"email_id": email.pk}).exists()

    assert deliver_outbox() == 1

    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == email.subject
    assert link in message.body
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    response = client.get(link.removeprefix("http://testserver"), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password is now changed." in response.content.decode()


def test_sign_up_queues_the_confirmation_email(client):
    client.post(
        "/accounts/signup/", {"email": "maria@lonestar.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    email = OutboundEmail.objects.get()
    assert (email.kind, email.to) == (EmailKind.ACCOUNT, ["maria@lonestar.example"])
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", email.body_text)
    assert deliver_outbox() == 1
    assert [message.subject for message in mail.outbox] == [email.subject]


def test_signing_up_with_a_known_address_queues_the_account_exists_notice_to_it(client):
    user = _person("owner@triangle.example")

    client.post("/accounts/signup/", {"email": user.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    email = OutboundEmail.objects.get()
    assert (email.kind, email.to) == (EmailKind.ACCOUNT, [user.email])
    assert email.subject == "[RFP Intake] Account Already Exists"
    assert "an account using that email address already exists" in email.body_text
    assert deliver_outbox() == 1
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_an_html_version_when_the_project_has_one_is_kept_beside_the_plain_text(client, settings, tmp_path):
    html = tmp_path / "account" / "email" / "password_reset_key_message.html"
    html.parent.mkdir(parents=True)
    html.write_text('<p>Reset: <a href="{{ password_reset_url }}">choose a new password</a></p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    user = _person("forgetful@genesee.example")

    client.post("/accounts/password/reset/", {"email": user.email})

    email = OutboundEmail.objects.get()
    assert RESET_LINK.search(email.body_text)
    assert re.search(r'<a href="http://testserver/accounts/password/reset/key/\S+/">', email.body_html)
    deliver_outbox()
    [message] = mail.outbox
    assert RESET_LINK.search(message.body)
    assert message.alternatives[0].mimetype == "text/html"


def test_a_failed_account_email_is_re_sent_from_the_panel_which_does_not_show_its_link(client, monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    user = _person("forgetful@genesee.example")
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: 1 / 0)
    client.post("/accounts/password/reset/", {"email": user.email})
    deliver_outbox()
    email = OutboundEmail.objects.get()
    assert (email.status, email.last_error) == (EmailStatus.FAILED, "ZeroDivisionError: division by zero")
    monkeypatch.undo()

    client.force_login(ProgramLeadFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk])).content.decode()
    assert user.email in page and "Password Reset Email" in page
    assert "/accounts/password/reset/key/" not in page
    assert "Not shown: it holds a personal sign-in link" in page

    client.post(
        reverse("admin:notifications_outboundemail_changelist"), {"action": "resend", "_selected_action": [email.pk]}
    )
    email.refresh_from_db()
    assert (email.status, email.resend_count) == (EmailStatus.QUEUED, 1)
    deliver_outbox()
    [message] = mail.outbox
    assert message.to == [user.email]
    assert RESET_LINK.search(message.body)


def test_security_notices_when_turned_on_go_through_the_outbox_too(client, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    user = _person("owner@triangle.example")
    client.force_login(user)

    client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    email = OutboundEmail.objects.get()
    assert (email.kind, email.to, email.subject) == (EmailKind.ACCOUNT, [user.email], "[RFP Intake] Password Changed")
    assert deliver_outbox() == 1
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_the_confirmation_email_greets_from_the_service_not_from_a_host_and_port(client, settings):
    client.post(
        "/accounts/signup/", {"email": "maria@lonestar.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    email = OutboundEmail.objects.get()
    assert f"Hello from {settings.SITE_NAME}!" in email.body_text
    assert "Hello from RFP Intake!" in email.body_text
    assert "Hello from testserver" not in email.body_text
    assert "Hello from 127.0.0.1" not in email.body_text
