"""Every text a supplier or buyer types has a limit a person finds generous, said by the form, refused by both faces
with the limit and the count, and one-line fields (titles, names) refuse line breaks and control characters."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from rfp.models import Proposal
from rfp.review_forms import DecisionForm, ReviewForm
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

NARRATIVE_LIMIT = 20_000
TOO_LONG_NARRATIVE = ("Welding, powder coat, leak test. " * 700).strip()  # 23,099 characters


def _overview(client, draft, **posted):
    url = reverse("portal:proposal_step", args=[draft.reference, "overview"])
    return client.post(url, {"title": draft.title, "technical_narrative": "", "go": "stay", **posted})


def test_the_overview_step_says_the_narrative_limit_and_the_browser_enforces_it(client, draft, editor):
    client.force_login(editor)
    page = client.get(reverse("portal:proposal_step", args=[draft.reference, "overview"]))

    html = page.content.decode()
    assert 'maxlength="20000"' in html
    assert "Up to 20,000 characters." in html


def test_the_portal_refuses_an_over_long_narrative_and_keeps_the_stored_one(client, draft, editor):
    before = draft.technical_narrative
    client.force_login(editor)

    response = _overview(client, draft, technical_narrative=TOO_LONG_NARRATIVE)

    assert response.status_code == 200
    assert (
        f"This field takes up to 20,000 characters; you entered {len(TOO_LONG_NARRATIVE):,} characters."
        in response.content.decode()
    )
    assert Proposal.objects.get(pk=draft.pk).technical_narrative == before


def test_a_narrative_of_exactly_the_limit_with_line_breaks_as_a_browser_posts_them_is_saved(client, draft, editor):
    line = "x" * 99
    text = "\r\n".join([line] * 200)  # 200 lines of 99 characters and 199 line breaks: 19,999 as the browser counts
    client.force_login(editor)

    response = _overview(client, draft, technical_narrative=text)

    assert response.status_code == 302
    assert len(Proposal.objects.get(pk=draft.pk).technical_narrative.replace("\r\n", "\n")) == 19_999


def test_the_api_refuses_an_over_long_narrative_by_field_and_changes_nothing(draft, editor):
    before = draft.technical_narrative
    response = client_for(editor).patch(
        f"/api/v1/proposals/{draft.reference}/", {"technical_narrative": TOO_LONG_NARRATIVE}, format="json"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"]["technical_narrative"] == ["This field takes up to 20,000 characters."]
    assert Proposal.objects.get(pk=draft.pk).technical_narrative == before


@pytest.mark.parametrize(
    ("field", "limit"),
    [("capacity_ramp", 5_000), ("asks_notes", 5_000)],
)
def test_the_api_refuses_other_over_long_proposal_texts(draft, editor, field, limit):
    response = client_for(editor).patch(
        f"/api/v1/proposals/{draft.reference}/", {field: "x" * (limit + 1)}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][field] == [f"This field takes up to {limit:,} characters."]
    assert getattr(Proposal.objects.get(pk=draft.pk), field) == getattr(draft, field)


def test_the_api_refuses_over_long_commercial_notes_and_sub_suppliers(draft, editor):
    api = client_for(editor)
    notes = api.patch(f"/api/v1/proposals/{draft.reference}/commercial-terms/", {"notes": "n" * 5_001}, format="json")
    sub_suppliers = api.patch(
        f"/api/v1/proposals/{draft.reference}/",
        {"sub_suppliers": [f"Castings {n:04d}" for n in range(500)]},
        format="json",
    )

    assert notes.status_code == 400
    assert notes.json()["errors"]["notes"] == ["This field takes up to 5,000 characters."]
    assert sub_suppliers.status_code == 400
    assert sub_suppliers.json()["errors"]["sub_suppliers"] == [
        "This field takes up to 5,000 characters; you entered 6,999 characters."
    ]
    assert Proposal.objects.get(pk=draft.pk).sub_suppliers == draft.sub_suppliers


def test_the_schema_gives_every_free_text_input_its_max_length():
    out = io.StringIO()
    call_command("spectacular", stdout=out)
    schemas = yaml.safe_load(out.getvalue())["components"]["schemas"]

    update = schemas["PatchedProposalUpdateInputRequest"]["properties"]
    assert update["technical_narrative"]["maxLength"] == NARRATIVE_LIMIT
    assert update["capacity_ramp"]["maxLength"] == 5_000
    assert update["asks_notes"]["maxLength"] == 5_000
    assert update["title"]["maxLength"] == 200
    lengths = {
        (name, field): props.get("maxLength")
        for name, schema in schemas.items()
        for field, props in schema.get("properties", {}).items()
        if name.endswith("Request")
        and field in {"response", "reason", "comments", "rationale", "note", "question", "notes", "payment_terms"}
    }
    assert lengths and all(lengths.values()), lengths


# --- One-line fields ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["Racks\r\nInjected: line", "Racks\nfrom Austin", "Racks\tfrom Austin", "Racks\x1b[31m"]
)
def test_a_title_with_a_line_break_or_control_character_is_refused_in_the_portal(client, draft, editor, title):
    client.force_login(editor)

    response = _overview(client, draft, title=title)

    assert response.status_code == 200
    assert "Write this on one line: line breaks, tabs and other control characters are not accepted." in (
        response.content.decode()
    )
    assert Proposal.objects.get(pk=draft.pk).title == draft.title


def test_a_title_with_a_line_break_is_refused_by_the_api_on_start_and_on_edit(rfp, draft, editor, owner):
    api = client_for(editor)
    edited = api.patch(f"/api/v1/proposals/{draft.reference}/", {"title": "Racks\r\nfrom Austin"}, format="json")
    started = client_for(owner).post(
        "/api/v1/proposals/",
        {"rfp": rfp.reference, "sector": "robotics", "title": "Gearboxes\nfrom Detroit"},
        format="json",
    )

    message = ["Write this on one line: line breaks, tabs and other control characters are not accepted."]
    assert (edited.status_code, edited.json()["errors"]["title"]) == (400, message)
    assert (started.status_code, started.json()["errors"]["title"]) == (400, message)
    assert Proposal.objects.get(pk=draft.pk).title == draft.title
    assert Proposal.objects.count() == 1


def test_a_company_name_with_a_line_break_is_refused(owner):
    response = client_for(owner).patch("/api/v1/company/", {"legal_name": "Lone Star\r\nRacks"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["legal_name"] == [
        "Write this on one line: line breaks, tabs and other control characters are not accepted."
    ]


def test_review_comments_and_decision_rationale_have_limits():
    review = ReviewForm(criteria=[], data={"comments": "c" * 20_001})
    decision = DecisionForm(data={"outcome": "declined", "rationale": "r" * 5_001})

    assert review.errors["comments"] == ["This field takes up to 20,000 characters; you entered 20,001 characters."]
    assert decision.errors["rationale"] == ["This field takes up to 5,000 characters; you entered 5,001 characters."]
    assert 'maxlength="20000"' in str(review["comments"])
