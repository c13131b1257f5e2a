"""Guessing passwords is locked out, sessions end, and a password-reset link works once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-factory-floor-password"


def _person(email: str):
    user = UserFactory(email=email)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def _sign_in(client, user, *, password: str = DEFAULT_PASSWORD, ip: str = "127.0.0.1", **extra):
    return client.post(
        "/accounts/login/", {"login": user.email, "password": password, **extra}, REMOTE_ADDR=ip, follow=True
    )


def test_the_sixth_attempt_is_refused_even_with_the_right_password_from_another_address(client):
    user = _person("target@cascade.example")
    for attempt in range(5):
        _sign_in(client, user, password=f"guess-number-{attempt}", ip=f"203.0.113.{attempt + 1}")
        assert "_auth_user_id" not in client.session

    response = _sign_in(client, user, ip="198.51.100.77")

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_out_ends_after_its_window(client):
    user = _person("patient@cascade.example")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(5):
            _sign_in(client, user, password=f"guess-number-{attempt}")
        assert "Too many failed login attempts" in _sign_in(client, user).content.decode()

        clock.shift(timedelta(minutes=5, seconds=1))
        response = _sign_in(client, user)

    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[-1][0] == "/portal/"


def test_a_remembered_session_ends_after_session_cookie_age(client):
    user = _person("owner@triangle.example")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = _sign_in(client, user, remember="on")
        cookie = response.client.cookies[settings.SESSION_COOKIE_NAME]
        assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 8 * 3600

        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert client.get("/portal/").status_code == 200

        clock.shift(timedelta(seconds=61))
        response = client.get("/portal/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/portal/"


def test_a_session_not_remembered_ends_with_the_browser(client):
    user = _person("owner@genesee.example")

    _sign_in(client, user)

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == "", "a browser-session cookie"
    assert cookie["httponly"] is True
    assert client.session.get_expire_at_browser_close()


def _reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)


def test_a_password_reset_link_works_once(client):
    user = _person("forgetful@genesee.example")
    client.post("/accounts/password/reset/", {"email": user.email})
    deliver_outbox()
    [message] = mail.outbox
    link = _reset_link(message)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Your password is now changed." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    client.logout()
    response = client.get(link, follow=True)
    page = response.content.decode()
    assert "Bad Token" in page
    assert "The password reset link was invalid, possibly because it has already been used." in page
    response = client.post(form_url, {"password1": "someone-elses-password", "password2": "someone-elses-password"})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD), "the used link cannot set the password again"
