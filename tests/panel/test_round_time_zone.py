"""The round's deadlines in the panel are typed and shown in the round's own time zone, labelled with it."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.factories import ProgramLeadFactory
from audit.models import AuditEvent
from rfp.factories import RfpFactory
from rfp.models import Rfp, Sector

PACIFIC_CLOSE_2026_UTC = datetime(2026, 7, 1, 6, 59, 59, tzinfo=UTC)  # 30 June 2026 23:59:59 PDT


@pytest.fixture
def lead_client(client, db):
    client.force_login(ProgramLeadFactory(is_superuser=True))
    return client


@pytest.fixture
def round_2026(db):
    return RfpFactory(
        reference="AI-INFRA-2026",
        opens_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),  # 2 March 2026 08:00 PST
        closes_at=PACIFIC_CLOSE_2026_UTC,
        display_time_zone="America/Los_Angeles",
    )


def _change_url(rfp: Rfp) -> str:
    return reverse("admin:rfp_rfp_change", args=[rfp.pk])


def _form_data(rfp: Rfp, **changes) -> dict:
    data = {
        "reference": rfp.reference,
        "title": rfp.title,
        "description": rfp.description,
        "sectors": [str(pk) for pk in rfp.sectors.values_list("pk", flat=True)] if rfp.pk else [],
        "opens_at": "2026-03-02 08:00:00",
        "closes_at": "2026-06-30 23:59:59",
        "opens_at_occurrence": "",
        "closes_at_occurrence": "",
        "display_time_zone": rfp.display_time_zone,
        "rolling_review": "on",
        "reviewers_per_proposal": "2",
        "review_due_days": "10",
    }
    for prefix in ("addenda", "clarifications"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def _errors(response) -> str:
    return " ".join(str(error) for errors in response.context["adminform"].form.errors.values() for error in errors)


def test_the_2026_round_shows_its_close_in_pacific_time_labelled_with_the_zone(lead_client, round_2026):
    html = lead_client.get(_change_url(round_2026)).content.decode()

    assert 'value="2026-06-30 23:59:59"' in html
    assert "2026-07-01 06:59:59" not in html
    assert "Closes at (America/Los_Angeles, PDT/PST)" in html
    assert "Opens at (America/Los_Angeles, PDT/PST)" in html


def test_the_round_list_shows_the_close_in_the_rounds_zone(lead_client, round_2026):
    html = lead_client.get(reverse("admin:rfp_rfp_changelist")).content.decode()

    assert "2026-06-30 23:59:59 PDT" in html


def test_typing_2359_local_in_summer_stores_0659_utc_the_next_day(lead_client, round_2026):
    response = lead_client.post(_change_url(round_2026), _form_data(round_2026, closes_at="2026-06-30 23:59"))

    assert response.status_code == 302, _errors(response)
    round_2026.refresh_from_db()
    assert round_2026.closes_at == datetime(2026, 7, 1, 6, 59, tzinfo=UTC)
    assert round_2026.opens_at == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    event = AuditEvent.objects.get(action="rfp.rfp.changed", object_id=str(round_2026.pk))
    assert event.data["changed"] == ["closes_at"]


def test_a_new_round_takes_its_times_in_the_zone_chosen_in_the_same_form(lead_client, db):
    data = _form_data(
        Rfp(reference="AI-INFRA-2027-NY", title="East coast round", display_time_zone="America/New_York"),
        opens_at="2027-01-04 09:00",
        closes_at="2027-06-30 17:00",
        sectors=[str(pk) for pk in Sector.objects.values_list("pk", flat=True)],
    )

    response = lead_client.post(reverse("admin:rfp_rfp_add"), data)

    assert response.status_code == 302, _errors(response)
    created = Rfp.objects.get(reference="AI-INFRA-2027-NY")
    assert created.opens_at == datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert created.closes_at == datetime(2027, 6, 30, 21, 0, tzinfo=UTC)  # EDT, UTC-4
    assert AuditEvent.objects.filter(action="rfp.rfp.created", object_id=str(created.pk)).exists()


def test_a_time_the_clocks_skip_is_refused_and_nothing_changes(lead_client, round_2026):
    response = lead_client.post(_change_url(round_2026), _form_data(round_2026, closes_at="2027-03-14 02:30"))

    assert response.status_code == 200
    assert "2027-03-14 02:30 does not exist in America/Los_Angeles" in _errors(response)
    round_2026.refresh_from_db()
    assert round_2026.closes_at == PACIFIC_CLOSE_2026_UTC
    assert not AuditEvent.objects.filter(action="rfp.rfp.changed").exists()


def test_a_repeated_time_asks_which_and_takes_the_answer(lead_client, round_2026):
    url = _change_url(round_2026)

    asked = lead_client.post(url, _form_data(round_2026, closes_at="2026-11-01 01:30"))

    assert asked.status_code == 200
    message = _errors(asked)
    assert "2026-11-01 01:30 happens twice in America/Los_Angeles" in message
    assert "the first (PDT) is 2026-11-01 08:30 UTC, the second (PST) is 2026-11-01 09:30 UTC" in message
    html = asked.content.decode()
    assert "the first (PDT, 2026-11-01 08:30 UTC)" in html
    assert "the second (PST, 2026-11-01 09:30 UTC)" in html
    round_2026.refresh_from_db()
    assert round_2026.closes_at == PACIFIC_CLOSE_2026_UTC

    answered = lead_client.post(
        url, _form_data(round_2026, closes_at="2026-11-01 01:30", closes_at_occurrence="second")
    )

    assert answered.status_code == 302, _errors(answered)
    round_2026.refresh_from_db()
    assert round_2026.closes_at == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_the_choice_between_two_times_is_not_shown_when_there_is_none(lead_client, round_2026):
    html = lead_client.get(_change_url(round_2026)).content.decode()

    assert 'type="hidden" name="closes_at_occurrence"' in html
    assert "the first (" not in html


def test_an_unreadable_time_is_refused_with_the_expected_format(lead_client, round_2026):
    response = lead_client.post(_change_url(round_2026), _form_data(round_2026, closes_at="30/06/2026 11:59pm"))

    assert response.status_code == 200
    assert "Enter the date and time as YYYY-MM-DD HH:MM" in _errors(response)
    round_2026.refresh_from_db()
    assert round_2026.closes_at == PACIFIC_CLOSE_2026_UTC


def test_changing_only_the_zone_keeps_the_deadlines_where_they_were(lead_client, round_2026):
    data = _form_data(round_2026, display_time_zone="America/New_York")

    response = lead_client.post(_change_url(round_2026), data)

    assert response.status_code == 302, _errors(response)
    round_2026.refresh_from_db()
    assert round_2026.display_time_zone == "America/New_York"
    assert round_2026.closes_at == PACIFIC_CLOSE_2026_UTC
    html = lead_client.get(_change_url(round_2026)).content.decode()
    assert 'value="2026-07-01 02:59:59"' in html
    assert "Closes at (America/New_York, EDT/EST)" in html


def test_the_new_round_form_says_the_times_are_in_the_zone_chosen_below(lead_client):
    html = lead_client.get(reverse("admin:rfp_rfp_add")).content.decode()

    assert "Closes at (the round&#x27;s time zone, chosen below)" in html
