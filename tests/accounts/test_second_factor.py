"""Reviewers and program leads sign in with a TOTP code; without one they reach neither the panel nor the API."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import override_settings
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, ProgramLeadFactory, ReviewerUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_on")]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.fixture
def second_factor_on():
    with override_settings(BUYER_MFA_REQUIRED=True):
        yield


def _code(secret: str = SECRET, *, offset_steps: int = 0) -> str:
    """What an authenticator app shows now, computed with allauth's own HOTP code."""
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30 + offset_steps))


def _verified(user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def _enrolled(user, secret: str = SECRET):
    TOTP.activate(_verified(user), secret)
    return user


def _password_step(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})


def test_a_reviewer_signs_in_with_password_and_totp_code_and_then_opens_the_review_queue(client):
    reviewer = _enrolled(ReviewerUserFactory(email="priya@buyer.example"))

    response = _password_step(client, reviewer)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session, "the password alone does not sign a reviewer in"
    assert client.get("/review/", follow=True).redirect_chain[-1][0] == "/accounts/2fa/authenticate/"

    response = client.post("/accounts/2fa/authenticate/", {"code": _code()}, follow=True)

    assert client.session["_auth_user_id"] == str(reviewer.pk)
    response = client.get("/review/")
    assert response.status_code == 200
    assert "Your review queue" in response.content.decode()


def test_a_wrong_totp_code_leaves_the_reviewer_signed_out(client):
    reviewer = _enrolled(ReviewerUserFactory(email="marcus@buyer.example"))
    _password_step(client, reviewer)
    wrong = f"{(int(_code()) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_totp_code_works_once(client):
    reviewer = _enrolled(ReviewerUserFactory(email="grace@buyer.example"))
    code = _code()
    _password_step(client, reviewer)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(reviewer.pk)
    client.post("/accounts/logout/")

    _password_step(client, reviewer)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert "Incorrect code" in response.content.decode(), "a replayed code is refused"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth announces a new device on commit
def test_a_program_lead_without_an_authenticator_is_sent_to_enrol_one_and_then_gets_in(client):
    lead = _verified(ProgramLeadFactory(email="jordan@buyer.example"))
    _password_step(client, lead)
    assert client.session["_auth_user_id"] == str(lead.pk)

    for path in ("/panel/", "/portal/", "/review/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/totp/activate/"), path
    response = client.get("/api/v1/rfps/open/")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_enrol"

    # allauth asks for the password again before a security change (a session left open must not add a device)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Authenticator secret" in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()
    assert client.get("/panel/").status_code == 200, "checking the new device's code counts as the second factor"


def test_a_session_that_never_showed_a_code_is_refused_the_panel_and_the_api(client):
    lead = _enrolled(ProgramLeadFactory(email="hannah@buyer.example"))
    client.force_login(lead)  # a session made without allauth's login stages, as the old panel login did

    response = client.get("/panel/?o=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fpanel%2F%3Fo%3D1"
    response = client.get("/api/v1/rfps/open/")
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]

    response = client.post("/accounts/2fa/reauthenticate/?next=%2Fpanel%2F%3Fo%3D1", {"code": _code()}, follow=True)
    assert response.redirect_chain[-1][0] == "/panel/?o=1"
    assert client.get("/panel/").status_code == 200


def test_the_panel_login_form_is_not_a_side_door(client):
    response = client.get("/panel/login/?next=/panel/jobs/job/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fpanel%2Fjobs%2Fjob%2F"
    reviewer = _enrolled(ReviewerUserFactory(email="samuel@buyer.example"))
    response = client.post("/panel/login/", {"username": reviewer.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_reviewer_cannot_switch_the_authenticator_off(client):
    reviewer = _enrolled(ReviewerUserFactory(email="tomas@buyer.example"))
    _password_step(client, reviewer)
    client.post("/accounts/2fa/authenticate/", {"code": _code()})

    client.post("/accounts/2fa/totp/deactivate/", {})

    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()


def test_supplier_staff_sign_in_with_a_password_alone(client):
    supplier_user = _verified(UserFactory(email="owner@lonestarrack.example"))

    response = _password_step(client, supplier_user)

    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_a_demo_reviewer_signs_in_with_the_demo_password_and_the_printed_authenticator_secret(client):
    from io import StringIO

    from django.core.management import call_command

    from rfp.management.commands.seed_demo import DEMO_PASSWORD, demo_logins_table

    call_command("seed_demo", stdout=StringIO())
    banner = demo_logins_table()
    secret = re.search(r"add the demo secret ([A-Z2-7]+) ", banner).group(1)

    client.post("/accounts/login/", {"login": "priya.natarajan@buyer.example", "password": DEMO_PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})

    assert client.get("/review/").status_code == 200
    out = StringIO()
    call_command("demo_totp_code", stdout=out)
    assert re.fullmatch(r"\d{6}  \(valid for \d+ more seconds?\)\n", out.getvalue())
