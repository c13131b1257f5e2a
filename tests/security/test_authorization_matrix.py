"""Every URL pattern, walked as every kind of person, answers as the table below says.

The routes come from Django's resolver, recursively (portal, review workspace, panel, API, exports, documents,
sign-in); each is requested as anonymous, supplier A's viewer and editor, supplier B's editor, a reviewer of A's
sector (assigned A's proposal), a reviewer of another sector, a reviewer who declared a conflict with A, and a
program lead. The objects in the URLs are A's (tests/security/authorization_world.py). Each answer is reduced to
its class and compared with the table; a route without a row fails with a message naming it.

Answer classes:
  ok      the view answered (2xx, 3xx elsewhere than a sign-in page, or 400/409/415/422: it read the input)
  login   sent to sign in (302 to a login page) or 401
  away    sent elsewhere first: supplier pages send people without a company to register one (302)
  403     denied, with a page or problem that says why (a viewer asked to change something)
  404     the object or page is not theirs to know about
  405     the route does not take this method from anyone

The rules behind the answers are `rfp/rules.py` and `suppliers/rules.py`; where the close of the round changes an
answer (sealed commercial terms, editing and submitting), CLOSE_ROUTES gives the exact status before and after.
"""

import os
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.authorization_world import ACTORS, build_world

pytestmark = pytest.mark.django_db

OK, LOGIN, AWAY, DENIED, HIDDEN, NO_METHOD = "ok", "login", "away", "403", "404", "405"
_ACTOR_SHORT = dict(
    zip(ACTORS, ("anon", "aO", "aE", "aV", "bE", "rUnd", "rDecl", "rConf", "rRel", "rOther", "lead"), strict=True)
)


@dataclass(frozen=True)
class Route:
    pattern: str  # the full route, e.g. "portal/proposals/<str:reference>/"
    name: str  # namespaced URL name
    params: tuple[str, ...]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            params = tuple(entry.pattern.regex.groupindex)
            yield Route(prefix + str(entry.pattern), name, params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def classify(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(("/accounts/login/", "/panel/login/")):
            return LOGIN
        if location.startswith("/portal/company/register/"):
            return AWAY
        if location == "/panel/":
            return HIDDEN  # the panel's answer for an object that does not exist (or is not to be seen)
        return OK
    if status == 401:
        return LOGIN
    if status == 403:
        return DENIED
    if status == 404:
        return HIDDEN
    if status == 405:
        return NO_METHOD
    if status in (200, 201, 204, 400, 409, 415, 422):
        return OK
    return f"status-{status}"  # matches no row: the table names only the classes above


# ---------------------------------------------------------------------------------------------------------------
# URL parameters: the objects of supplier A, as each route names them
# ---------------------------------------------------------------------------------------------------------------


def _admin_object_id(route: Route, world) -> str:
    from django.apps import apps

    match = re.match(r"panel/(\w+)/(\w+)/", route.pattern)
    model = apps.get_model(match.group(1), match.group(2))
    preferred = {
        "rfp.proposal": world.objects["proposal_a"],
        "suppliers.supplier": world.objects["supplier_a"],
        "rfp.rfp": world.objects["rfp"],
    }.get(model._meta.label_lower)
    instance = preferred or model._default_manager.order_by("pk").first()
    return str(instance.pk) if instance is not None else "999999"


def url_for(route: Route, world, *, proposal: str = "proposal_a") -> str:
    if route.name == "api:not-found":
        return "/api/v1/no-such-thing/"
    objects = {**world.objects, "proposal_a": world.objects[proposal]}
    pattern = route.pattern
    values = {}
    for param in route.params:
        if param == "reference":
            values[param] = objects["rfp"].reference if "rfps/" in pattern else objects["proposal_a"].reference
        elif param == "number":
            values[param] = 1
        elif param in ("attachment_id",):
            values[param] = objects["attachment"].pk
        elif param in ("facility_id",) or (param == "pk" and "facilities/" in pattern):
            values[param] = objects["facility"].pk
        elif param in ("certification_id",) or (param == "pk" and "certifications/" in pattern):
            values[param] = objects["certification"].pk
        elif param == "invitation_id" or (param == "pk" and "invitations/" in pattern):
            values[param] = objects["invitation"].pk
        elif param == "member_id" or (param == "pk" and "members/" in pattern):
            values[param] = objects["member"].pk
        elif param == "pk" and "api-tokens/" in pattern:
            values[param] = objects["api_token"].pk
        elif param == "token":
            values[param] = objects["invitation"].token
        elif param == "step":
            values[param] = "overview"
        elif param == "proposal_id" or (param == "object_id" and pattern.startswith("panel/r/")):
            values[param] = objects["proposal_a"].pk
        elif param == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            values[param] = ContentType.objects.get_for_model(objects["proposal_a"]).pk
        elif param == "object_id":
            values[param] = _admin_object_id(route, world)
        elif param == "app_label":
            values[param] = "rfp"
        elif param == "key":
            values[param] = "not-a-real-key"
        elif param == "uidb36":
            values[param] = "1"
        elif param == "id" and pattern.startswith("panel/accounts/user/"):
            values[param] = world.users["a_viewer"].pk
        elif param == "url":  # the panel's catch-all
            values[param] = "no-such-page/"
        else:
            raise AssertionError(f"the matrix does not know how to fill <{param}> in {route.pattern}")
    if route.name:
        return reverse(route.name, kwargs=values)
    # An unnamed route (the panel's object shortcut and catch-all): fill its text in.
    filled = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)
    filled = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), filled)
    return "/" + filled.replace("^", "").replace("$", "")


# ---------------------------------------------------------------------------------------------------------------
# Observing
# ---------------------------------------------------------------------------------------------------------------


def observe(
    route: Route, method: str, world, clients: dict[str, Client], *, proposal: str = "proposal_a", statuses=False
) -> dict[str, str]:
    url = url_for(route, world, proposal=proposal)
    seen = {}
    for actor in ACTORS:
        client = clients[actor]
        # Every request's writes are rolled back, so the world is the same for the next person.
        with transaction.atomic():
            response = client.generic(method, url, "" if method == "GET" else "{}", "application/json")
            transaction.set_rollback(True)
        seen[actor] = str(response.status_code) if statuses else classify(response)
        session = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if world.users[actor] is not None and ((session is not None and not session.value) or route_signs_out(route)):
            client.force_login(world.users[actor])  # a sign-out route signed them out: back in for the next one
    return seen


def route_signs_out(route: Route) -> bool:
    return route.pattern.endswith("logout/")


@pytest.fixture
def world():
    built = build_world()
    yield built
    files = [built.objects["certification"].document, built.objects["attachment"].file]
    files += [summary.file for summary in built.objects["summaries"]]
    for stored in files:
        stored.storage.delete(stored.name)


@pytest.fixture
def clients(world) -> dict[str, Client]:
    made = {}
    for actor, user in world.users.items():
        made[actor] = Client()
        if user is not None:
            made[actor].force_login(user)
    return made


# ---------------------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------------------
#
# ROUTES: route -> method -> the eleven answers, before the round closes, in the order of ACTORS:
#   anon   anonymous
#   aO aE aV  supplier A's owner, editor, viewer (A's proposal is submitted, with a file and a PDF summary)
#   bE     supplier B's editor (another supplier)
#   rUnd   reviewer holding A's proposal who has not declared conflicts: the declaration only (409 in the API)
#   rDecl  reviewer holding A's proposal who declared no conflict: reads and scores it
#   rConf  reviewer who declared a conflict (released)       rRel  reviewer released after declaring no conflict
#   rOther reviewer of another sector                        lead  program lead
# A method left out must answer 405 to everyone.

#
# PANEL_MODELS: each model of the panel (Django admin) -> the program lead's six answers for
#   list  add  history  delete  change page (GET)  change (POST)
# as o(k) d(enied) h(idden: the world has no such row). The panel is the program leads' alone: everyone else,
# reviewers included, is sent to /panel/login/ (which sends a signed-in reviewer to the review queue); the object
# shortcut (<object_id>/) redirects a program lead to the change page. What the supplier owns is read-only there.
# Policy notes for the lead: buyer staff may register a company (portal/company/register/) and make API tokens.

PANEL_MODELS: dict[str, str] = {
    "auth.group": "dddddd",
    "account.emailaddress": "dddddd",
    "mfa.authenticator": "dddddd",
    "accounts.user": "dddddd",
    "audit.auditevent": "ododod",
    "jobs.job": "ododod",
    "suppliers.supplier": "ododod",
    "suppliers.suppliermember": "ododod",
    "suppliers.facility": "ododod",
    "suppliers.certification": "ododod",
    "suppliers.invitation": "ododod",
    "suppliers.screeninglist": "odhdhd",
    "suppliers.screeningentry": "odhdhd",
    "documents.summarypdf": "dddddd",
    "rfp.sector": "oooooo",
    "rfp.category": "oooooo",
    "rfp.rfp": "oooooo",
    "rfp.addendum": "oooooo",
    "rfp.addendumacknowledgement": "ododod",
    "rfp.clarification": "ododoo",
    "rfp.proposal": "ododod",
    "rfp.commercialterms": "ododod",
    "rfp.datacenterdetails": "ododod",
    "rfp.electronicsdetails": "odhdhd",
    "rfp.roboticsdetails": "ododod",
    "rfp.attachment": "ododod",
    "rfp.proposalversion": "ododod",
    "rfp.proposalcheck": "odhdhd",
    "rfp.informationrequest": "odhdhd",
    "rfp.reviewerprofile": "oooooo",
    "rfp.reviewerconflict": "oooooo",
    "rfp.rubric": "oooooo",
    "rfp.criterion": "oooooo",
    "rfp.reviewassignment": "ododoo",
    "rfp.review": "odhdhd",
    "rfp.score": "odhdhd",
    "rfp.decision": "odhdhd",
    "tokens.apitoken": "dddddd",
    "notifications.outboundemail": "ddhddd",
    "notifications.reportsettings": "dddddd",
    "notifications.reviewerdigest": "ddhddd",
}

ROUTES: dict[str, dict[str, str]] = {
    "panel/login/": {
        "GET": "login ok ok ok ok ok ok ok ok ok login",
        "POST": "login ok ok ok ok ok ok ok ok ok login",
    },
    "panel/": {
        "GET": "login login login login login login login login login login ok",
        "POST": "login login login login login login login login login login ok",
    },
    "panel/logout/": {
        "GET": "404 404 404 404 404 404 404 404 404 404 405",
        "POST": "404 404 404 404 404 404 404 404 404 404 ok",
    },
    "panel/password_change/": {
        "GET": "login login login login login login login login login login ok",
        "POST": "login login login login login login login login login login ok",
    },
    "panel/password_change/done/": {
        "GET": "login login login login login login login login login login ok",
        "POST": "login login login login login login login login login login 405",
    },
    "panel/autocomplete/": {
        "GET": "login login login login login login login login login login 403",
        "POST": "login login login login login login login login login login 405",
    },
    "panel/jsi18n/": {
        "GET": "login login login login login login login login login login ok",
        "POST": "login login login login login login login login login login 405",
    },
    "panel/r/<path:content_type_id>/<path:object_id>/": {
        "GET": "login login login login login login login login login login 404",
        "POST": "login login login login login login login login login login 404",
    },
    "panel/accounts/user/<id>/password/": {
        "GET": "login login login login login login login login login login 403",
        "POST": "login login login login login login login login login login 403",
    },
    "panel/^(?P<app_label>audit|accounts|auth|account|mfa|jobs|suppliers|documents|rfp|tokens|notifications)/$": {
        "GET": "login login login login login login login login login login ok",
        "POST": "login login login login login login login login login login ok",
    },
    "panel/(?P<url>.*)$": {
        "GET": "login login login login login login login login login login 404",
        "POST": "login login login login login login login login login login 404",
    },
    "healthz": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "readyz": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "metrics": {"GET": "404 404 404 404 404 404 404 404 404 404 404"},
    "review/": {"GET": "login 404 404 404 404 ok ok ok ok ok ok"},
    "review/decide/": {"POST": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/unassigned/": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/sla/": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/ranking/": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/proposals/<str:reference>/": {"GET": "login 404 404 404 404 ok ok 404 404 404 ok"},
    "review/proposals/<str:reference>/conflict/": {"POST": "login 404 404 404 404 ok ok 404 404 404 404"},
    "review/proposals/<str:reference>/review/": {"POST": "login 404 404 404 404 ok ok 404 404 404 404"},
    "review/proposals/<str:reference>/commercial-terms/": {"POST": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/proposals/<str:reference>/decide/": {"POST": "login 404 404 404 404 404 404 404 404 404 ok"},
    "review/proposals/<str:reference>/assign/": {"POST": "login 404 404 404 404 404 404 404 404 404 ok"},
    "api/v1/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "api/v1/schema/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "api/v1/docs/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "api/v1/docs/redoc/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "api/v1/company/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "api/v1/company/members/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/company/members/<int:member_id>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/company/invitations/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok 403 403 403 404 404 404 404 404 404",
    },
    "api/v1/company/invitations/<int:invitation_id>/revoke/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok 403 403 403 404 404 404 404 404 404",
    },
    "api/v1/invitations/accept/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "api/v1/company/facilities/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok ok 403 ok 404 404 404 404 404 404",
    },
    "api/v1/company/facilities/<int:facility_id>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/company/certifications/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok ok 403 ok 404 404 404 404 404 404",
    },
    "api/v1/company/certifications/<int:certification_id>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/company/certifications/<int:certification_id>/document/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/rfps/open/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "api/v1/rfps/<str:reference>/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/rfps/<str:reference>/addenda/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/rfps/<str:reference>/addenda/<int:number>/acknowledge/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok ok 403 ok 404 404 404 404 404 404",
    },
    "api/v1/rfps/<str:reference>/clarifications/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok ok 403 ok 404 404 404 404 404 404",
    },
    "api/v1/proposals/": {
        "GET": "login ok ok ok ok 404 404 404 404 404 404",
        "POST": "login ok ok 403 ok 404 404 404 404 404 404",
    },
    "api/v1/proposals/<str:reference>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/sector-details/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/commercial-terms/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/status/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/submit/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok ok 403 404 404 404 404 404 404 404",
    },
    "api/v1/proposals/<str:reference>/withdraw/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok ok 403 404 404 404 404 404 404 404",
    },
    "api/v1/proposals/<str:reference>/resubmit/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login ok ok 403 404 404 404 404 404 404 404",
    },
    "api/v1/proposals/<str:reference>/information-requests/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/versions/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/versions/<int:number>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/attachments/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login ok ok 403 404 404 404 404 404 404 404",
    },
    "api/v1/proposals/<str:reference>/attachments/<int:attachment_id>/": {
        "GET": "login ok ok ok 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/proposals/<str:reference>/attachments/<int:attachment_id>/download/": {
        "GET": "login ok ok ok 404 404 ok 404 404 404 ok",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "api/v1/review/assignments/": {
        "GET": "login 404 404 404 404 ok ok ok ok ok 404",
        "POST": "login 404 404 404 404 405 405 405 405 405 404",
    },
    "api/v1/review/proposals/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/review/decisions/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 405",
        "POST": "login 404 404 404 404 404 404 404 404 404 ok",
    },
    "api/v1/review/unassigned/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/review/sla/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/review/rfps/<str:reference>/ranking/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/review/proposals/<str:reference>/": {
        "GET": "login 404 404 404 404 ok ok 404 404 404 ok",
        "POST": "login 404 404 404 404 405 405 405 405 405 405",
    },
    "api/v1/review/proposals/<str:reference>/conflict/": {
        "GET": "login 404 404 404 404 405 405 405 405 405 404",
        "POST": "login 404 404 404 404 ok ok 404 404 404 404",
    },
    "api/v1/review/proposals/<str:reference>/review/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 404",
        "POST": "login 404 404 404 404 405 405 405 405 405 404",
    },
    "api/v1/review/proposals/<str:reference>/review/submit/": {
        "GET": "login 404 404 404 404 405 405 405 405 405 404",
        "POST": "login 404 404 404 404 ok ok 404 404 404 404",
    },
    "api/v1/review/proposals/<str:reference>/commercial-terms/": {
        "GET": "login 404 404 404 404 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 404 404 404 ok",
    },
    "api/v1/review/proposals/<str:reference>/decision/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 405",
        "POST": "login 404 404 404 404 404 404 404 404 404 ok",
    },
    "api/v1/review/proposals/<str:reference>/history/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/review/proposals/<str:reference>/assign/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 405",
        "POST": "login 404 404 404 404 404 404 404 404 404 ok",
    },
    "api/v1/exports/rfps/<str:reference>/proposals/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/exports/rfps/<str:reference>/reviews/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/exports/rfps/<str:reference>/ocds/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 405",
    },
    "api/v1/^.*$": {
        "GET": "404 404 404 404 404 404 404 404 404 404 404",
        "POST": "404 404 404 404 404 404 404 404 404 404 404",
    },
    "exports/rfps/<str:reference>/proposals.csv": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "exports/rfps/<str:reference>/reviews.csv": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "exports/rfps/<str:reference>/ocds.json": {"GET": "login 404 404 404 404 404 404 404 404 404 ok"},
    "documents/proposals/<int:proposal_id>/summary.pdf": {"GET": "login ok ok ok 404 404 ok 404 404 404 ok"},
    "accounts/login/": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/logout/": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/inactive/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "accounts/signup/": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/reauthenticate/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/reauthenticate/code/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/reauthenticate/code/confirm/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/email/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/confirm-email/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "accounts/password/change/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/password/set/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/password/reset/": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/login/code/confirm/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "404 404 404 404 404 404 404 404 404 404 404",
    },
    "accounts/password/reset/key/done/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/password/reset/done/": {"GET": "ok ok ok ok ok ok ok ok ok ok ok"},
    "accounts/2fa/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "accounts/2fa/authenticate/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/2fa/reauthenticate/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/2fa/totp/activate/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/2fa/totp/deactivate/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 ok",
        "POST": "login 404 404 404 404 404 404 404 404 404 ok",
    },
    "accounts/2fa/recovery-codes/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 404",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "accounts/2fa/recovery-codes/generate/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "accounts/2fa/recovery-codes/download/": {
        "GET": "login 404 404 404 404 404 404 404 404 404 404",
        "POST": "login 404 404 404 404 404 404 404 404 404 404",
    },
    "": {
        "GET": "ok ok ok ok ok ok ok ok ok ok ok",
        "POST": "ok ok ok ok ok ok ok ok ok ok ok",
    },
    "portal/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "portal/company/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/company/register/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "portal/company/edit/": {
        "GET": "login ok ok 403 ok away away away away away away",
        "POST": "login ok ok 403 ok away away away away away away",
    },
    "portal/company/naics/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "portal/company/team/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/company/team/invite/": {
        "GET": "login 405 403 403 403 away away away away away away",
        "POST": "login ok 403 403 403 away away away away away away",
    },
    "portal/company/team/invitations/<int:pk>/revoke/": {
        "GET": "login 405 403 403 403 away away away away away away",
        "POST": "login ok 403 403 403 away away away away away away",
    },
    "portal/company/team/members/<int:pk>/role/": {
        "GET": "login 405 403 403 403 away away away away away away",
        "POST": "login ok 403 403 403 away away away away away away",
    },
    "portal/company/team/members/<int:pk>/remove/": {
        "GET": "login 405 403 403 403 away away away away away away",
        "POST": "login ok 403 403 403 away away away away away away",
    },
    "portal/invitations/<str:token>/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "portal/company/facilities/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/company/facilities/new/": {
        "GET": "login ok ok 403 ok away away away away away away",
        "POST": "login ok ok 403 ok away away away away away away",
    },
    "portal/company/facilities/<int:pk>/edit/": {
        "GET": "login ok ok 403 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/company/facilities/<int:pk>/delete/": {
        "GET": "login ok ok 403 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/company/certifications/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/company/certifications/new/": {
        "GET": "login ok ok 403 ok away away away away away away",
        "POST": "login ok ok 403 ok away away away away away away",
    },
    "portal/company/certifications/<int:pk>/edit/": {
        "GET": "login ok ok 403 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/company/certifications/<int:pk>/delete/": {
        "GET": "login ok ok 403 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/company/certifications/<int:pk>/document/": {
        "GET": "login ok ok ok 404 away away away away away away",
        "POST": "login 405 405 405 405 away away away away away away",
    },
    "portal/rfps/<str:reference>/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/rfps/<str:reference>/addenda/<int:number>/acknowledge/": {
        "POST": "login ok ok 403 ok away away away away away away"
    },
    "portal/rfps/<str:reference>/questions/": {"POST": "login ok ok 403 ok away away away away away away"},
    "portal/proposals/": {
        "GET": "login ok ok ok ok away away away away away away",
        "POST": "login ok ok ok ok away away away away away away",
    },
    "portal/proposals/new/": {
        "GET": "login ok ok 403 ok away away away away away away",
        "POST": "login ok ok 403 ok away away away away away away",
    },
    "portal/proposals/<str:reference>/": {
        "GET": "login ok ok ok 404 away away away away away away",
        "POST": "login ok ok ok 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/steps/<slug:step>/": {
        "GET": "login ok ok ok 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/submit/": {"POST": "login ok ok 403 404 away away away away away away"},
    "portal/proposals/<str:reference>/versions/<int:number>/receipt/": {
        "GET": "login ok ok ok 404 away away away away away away",
        "POST": "login ok ok ok 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/answer/": {"POST": "login ok ok 403 404 away away away away away away"},
    "portal/proposals/<str:reference>/withdraw/": {
        "GET": "login ok ok 403 404 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/attachments/": {
        "GET": "login ok ok ok 404 away away away away away away",
        "POST": "login 405 405 405 405 away away away away away away",
    },
    "portal/proposals/<str:reference>/attachments/upload/": {
        "GET": "login 405 405 403 405 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/attachments/<int:attachment_id>/delete/": {
        "GET": "login 405 405 403 405 away away away away away away",
        "POST": "login ok ok 403 404 away away away away away away",
    },
    "portal/proposals/<str:reference>/attachments/<int:attachment_id>/download/": {
        "GET": "login ok ok ok 404 404 ok 404 404 404 ok",
        "POST": "login 405 405 405 405 405 405 405 405 405 405",
    },
    "portal/account/api-tokens/": {
        "GET": "login ok ok ok ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok ok ok ok",
    },
    "portal/account/api-tokens/<int:pk>/revoke/": {
        "GET": "login 405 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 ok 404 404 404 404 404 404 404 404",
    },
}

_PANEL_SUFFIXES = ("", "add/", "<path:object_id>/history/", "<path:object_id>/delete/", "<path:object_id>/change/")
_PANEL_CODES = {"o": OK, "d": DENIED, "h": HIDDEN}


def expected(route: Route, method: str) -> dict[str, str] | None:
    """The table's answers for this route and method; None when the table has no row for the route."""
    if route.pattern in ROUTES:
        row = ROUTES[route.pattern].get(method)
        answers = row.split() if row else [NO_METHOD] * len(ACTORS)
        return dict(zip(ACTORS, answers, strict=True))
    match = re.fullmatch(r"panel/(\w+)/(\w+)/(.*)", route.pattern)
    if match is None or f"{match.group(1)}.{match.group(2)}" not in PANEL_MODELS:
        return None
    lead = PANEL_MODELS[f"{match.group(1)}.{match.group(2)}"]
    suffix = match.group(3)
    if suffix == "<path:object_id>/":
        lead_answer = OK
    elif suffix in _PANEL_SUFFIXES:
        position = 5 if suffix == "<path:object_id>/change/" and method == "POST" else _PANEL_SUFFIXES.index(suffix)
        lead_answer = _PANEL_CODES[lead[position]]
    else:
        return None
    return {actor: (lead_answer if actor == "program_lead" else LOGIN) for actor in ACTORS}


def test_every_route_has_a_row_and_every_row_a_route():
    routes = all_routes()
    without_row = sorted({route.pattern for route in routes if expected(route, "GET") is None})
    assert not without_row, (
        "routes without a row in the authorization table (tests/security/test_authorization_matrix.py): "
        + ", ".join(without_row)
    )
    patterns = {route.pattern for route in routes}
    models = {m.group(1) + "." + m.group(2) for p in patterns if (m := re.fullmatch(r"panel/(\w+)/(\w+)/", p))}
    stale = sorted(set(ROUTES) - patterns) + sorted(set(PANEL_MODELS) - models)
    assert not stale, "rows for routes that no longer exist: " + ", ".join(stale)


@pytest.mark.timeout(600)
def test_every_route_answers_each_person_as_the_table_says(world, clients):
    dump = os.environ.get("AUTHZ_MATRIX_DUMP")  # a path: also write every answer seen, to review the table
    lines, wrong = [], []
    routes = [route for route in all_routes() if expected(route, "GET") is not None]
    for route in routes:
        for method in ("GET", "POST"):
            seen = observe(route, method, world, clients)
            want = expected(route, method)
            lines.append(
                f"{method:5} {route.pattern}  [{route.name}]  "
                + " ".join(f"{_ACTOR_SHORT[a]}={seen[a]}" for a in ACTORS)
            )
            wrong += [
                f"{method} /{route.pattern} as {actor}: the table says {want[actor]}, the answer was {seen[actor]}"
                for actor in ACTORS
                if seen[actor] != want[actor]
            ]
    if dump:
        with open(dump, "w") as out:
            out.write("\n".join(lines) + "\n")
    assert len(routes) > 300
    assert not wrong, f"{len(wrong)} answers differ from the table:\n" + "\n".join(wrong)


# ---------------------------------------------------------------------------------------------------------------
# Before and after the close: the routes whose answer the close changes, as exact status codes
# ---------------------------------------------------------------------------------------------------------------
#
# (route, method, whose proposal is in the URL: A's submitted one or B's draft) -> (before the close, after it),
# each the eleven statuses in the order of ACTORS (anon aO aE aV bE rUnd rDecl rConf rRel rOther lead).
# Sealed commercial terms: before the close only the lead's audited opening; after it the lead and rDecl.
# Editing and submitting B's draft: B's editor before the close (400: answers missing), 409 after it; a viewer is
# told their role reads only (403) before any proposal is looked up; everyone else gets a 404.

CLOSE_ROUTES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("review/proposals/<str:reference>/commercial-terms/", "POST", "proposal_a"): (
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 200 404 404 404 200",
    ),
    ("api/v1/review/proposals/<str:reference>/commercial-terms/", "POST", "proposal_a"): (
        "401 404 404 404 404 404 404 404 404 404 200",
        "401 404 404 404 404 404 200 404 404 404 200",
    ),
    ("api/v1/proposals/<str:reference>/", "PATCH", "proposal_b"): (
        "401 404 404 403 200 404 404 404 404 404 404",
        "401 404 404 403 409 404 404 404 404 404 404",
    ),
    ("api/v1/proposals/<str:reference>/commercial-terms/", "PATCH", "proposal_b"): (
        "401 404 404 403 200 404 404 404 404 404 404",
        "401 404 404 403 409 404 404 404 404 404 404",
    ),
    ("api/v1/proposals/<str:reference>/submit/", "POST", "proposal_b"): (
        "401 404 404 403 400 404 404 404 404 404 404",
        "401 404 404 403 409 404 404 404 404 404 404",
    ),
}


def test_the_close_changes_the_answers_as_the_close_table_says(world, clients):
    from django.utils import timezone

    from rfp.models import Rfp

    routes = {route.pattern: route for route in all_routes()}
    assert set(pattern for pattern, _, _ in CLOSE_ROUTES) <= set(routes), "a close row names a route that is gone"
    wrong = []
    for moment in ("before", "after"):
        if moment == "after":
            Rfp.objects.filter(pk=world.objects["rfp"].pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        for (pattern, method, proposal), rows in CLOSE_ROUTES.items():
            want = dict(zip(ACTORS, rows[0 if moment == "before" else 1].split(), strict=True))
            seen = observe(routes[pattern], method, world, clients, proposal=proposal, statuses=True)
            wrong += [
                f"{moment} the close, {method} /{pattern} ({proposal}) as {actor}: the table says {want[actor]}, "
                f"the answer was {seen[actor]}"
                for actor in ACTORS
                if seen[actor] != want[actor]
            ]
    assert not wrong, f"{len(wrong)} answers differ from the close table:\n" + "\n".join(wrong)


def test_reviewers_are_sent_from_the_panel_to_their_review_queue_without_seeing_a_proposal(world, clients):
    from rfp.models import CommercialTerms

    proposal = world.objects["proposal_a"]
    terms = CommercialTerms.objects.get(proposal=proposal)
    pages = [f"/panel/rfp/proposal/{proposal.pk}/change/", f"/panel/rfp/commercialterms/{terms.pk}/change/"]
    for actor in ("reviewer_undeclared", "reviewer_declared", "reviewer_other_sector", "reviewer_conflicted"):
        for page in pages:
            response = clients[actor].get(page, follow=True)
            assert response.redirect_chain[-1][0] == "/review/", f"{actor} at {page} ends at {response.redirect_chain}"
            page_text = response.content.decode()
            assert "The review panel is for program leads" in page_text
            if actor not in ("reviewer_undeclared", "reviewer_declared"):  # who hold it find it in their queue
                assert proposal.supplier.legal_name not in page_text, f"{actor} reads {page}"
