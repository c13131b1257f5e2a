"""Sign-up with email verification, sign-in, password reset and rate-limited login attempts (django-allauth)."""

import re

import pytest
from django.core import mail

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-factory-floor-password"


def _link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", message.body).group(1)


def test_sign_up_needs_the_email_confirmed_before_the_first_sign_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Buyer@Lonestar-Rack.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email="buyer@lonestar-rack.example")
    deliver_outbox()
    [message] = mail.outbox
    assert message.to == ["buyer@lonestar-rack.example"]
    assert "Confirm" in message.subject or "confirm" in message.body

    client.logout()
    response = client.post("/accounts/login/", {"login": user.email, "password": NEW_PASSWORD}, follow=True)
    assert "Verify Your Email Address" in response.content.decode() or "verification" in response.content.decode()
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in(message)
    response = client.post(confirm_url, follow=True)
    assert response.status_code == 200
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[-1][0] == "/portal/"


def test_a_verified_person_signs_in_and_lands_on_the_dashboard(client):
    user = UserFactory(email="owner@triangle.example")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/portal/"
    assert "To propose, register your company" in response.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="forgetful@genesee.example")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    client.post("/accounts/password/reset/", {"email": user.email})

    deliver_outbox()
    [message] = mail.outbox
    assert message.to == [user.email]
    response = client.get(_link_in(message), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else _link_in(message)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_failed_sign_ins_are_rate_limited(client):
    user = UserFactory(email="target@cascade.example")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-123"})
        assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
