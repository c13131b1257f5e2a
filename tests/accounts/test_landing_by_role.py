"""Where each role lands after sign-in, and which links its navigation shows."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import override_settings
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, ProgramLeadFactory, ReviewerUserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
SUPPLIER_LINKS = ("Dashboard", "Company", "Facilities", "Proposals")
LEAD_LINKS = ("Review queue", "Unassigned lane", "Service levels", "Ranking", "Panel")


def _main_nav(response) -> str:
    page = response.content.decode()
    return page.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]


def _link_texts(nav: str) -> set[str]:
    return {text.strip() for text in re.findall(r"<a [^>]*>([^<]+)</a>", nav)}


def _sign_in_with_second_factor(client, user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    TOTP.activate(user, SECRET)
    code = format_hotp_value(hotp_value(SECRET, int(timezone.now().timestamp()) // 30))
    with override_settings(BUYER_MFA_REQUIRED=True):
        response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
        assert response["Location"] == "/accounts/2fa/authenticate/"
        return client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)


@pytest.mark.parametrize("factory", [ReviewerUserFactory, ProgramLeadFactory], ids=["reviewer", "program-lead"])
def test_buyer_staff_land_on_their_review_queue_after_password_and_code(client, factory):
    response = _sign_in_with_second_factor(client, factory())

    assert response.redirect_chain[-1][0] == "/review/"
    page = response.content.decode()
    assert "register your company" not in page
    assert "Welcome" not in page


def test_a_supplier_still_lands_on_the_dashboard_with_only_supplier_links(client, owner):
    owner.emailaddress_set.create(email=owner.email, verified=True, primary=True)

    response = client.post("/accounts/login/", {"login": owner.email, "password": DEFAULT_PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/portal/"
    links = _link_texts(_main_nav(response))
    assert set(SUPPLIER_LINKS) <= links
    assert not links & set(LEAD_LINKS)


@pytest.mark.parametrize("path", ["/", "/portal/"])
def test_a_signed_in_reviewer_opening_the_portal_start_pages_goes_to_the_queue(client, path):
    client.force_login(ReviewerUserFactory())

    response = client.get(path)

    assert (response.status_code, response["Location"]) == (302, "/review/")


def test_a_signed_out_visitor_still_sees_the_portal_home(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Requests for proposals to US manufacturers" in response.content.decode()


def test_a_reviewer_sees_only_the_review_queue_link(client):
    client.force_login(ReviewerUserFactory())

    links = _link_texts(_main_nav(client.get("/review/")))

    assert "Review queue" in links
    assert not links & set(SUPPLIER_LINKS)
    assert not links & (set(LEAD_LINKS) - {"Review queue"})


def test_a_program_lead_sees_the_queue_lane_service_levels_ranking_and_panel(client):
    client.force_login(ProgramLeadFactory())

    links = _link_texts(_main_nav(client.get("/review/")))

    assert set(LEAD_LINKS) <= links
    assert not links & set(SUPPLIER_LINKS)
