"""What a program lead types in the panel has a limit, shown on the form and enforced: an over-long text is refused
with the message every other face gives, and nothing is written or audited."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory
from audit.models import AuditEvent
from rfp.factories import RfpFactory
from rfp.models import Addendum, Clarification, Criterion, Rfp, Rubric

pytestmark = pytest.mark.django_db

OVER_A_NARRATIVE = "Cabling is in scope. " * 952 + "Power too."  # 20,002 characters
OVER_A_NOTE = "x" * 5_001


@pytest.fixture
def lead_client(client):
    client.force_login(ProgramLeadFactory(is_superuser=True))
    return client


@pytest.fixture
def rfp():
    return RfpFactory(reference="LIMITS-2026", title="AI infrastructure supply", description="US-made equipment.")


@pytest.fixture
def addendum(rfp):
    return Addendum.objects.create(
        rfp=rfp, number=1, title="Scope extended", body="Cabling is in scope.", published_at=timezone.now()
    )


@pytest.fixture
def clarification(rfp):
    return Clarification.objects.create(rfp=rfp, question="Are prototypes in scope?")


def _change_url(instance) -> str:
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


def _change_form_data(response) -> dict:
    """What the browser posts back from a change page: every field of the form and its inlines, a date and time
    in its two boxes."""
    page_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in page_forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.MultiWidget):
                for index, part in enumerate(bound.field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, list):
                data[bound.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound.html_name] = value
    return data


def _post_changed(client, instance, **changes):
    """The change page posted back as the browser would, with `changes` typed in."""
    data = _change_form_data(client.get(_change_url(instance)))
    data.update(changes)
    return client.post(_change_url(instance), data)


def _field_errors(response) -> dict[str, list[str]]:
    errors = {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            errors |= {f"{form.prefix}-{name}": list(messages) for name, messages in form.errors.items()}
    return errors


def _no_writes() -> bool:
    return not AuditEvent.objects.filter(action__endswith=".changed").exists()


def test_an_addendum_body_over_the_limit_is_refused_and_nothing_changes(lead_client, addendum):
    response = _post_changed(lead_client, addendum, body=OVER_A_NARRATIVE)

    assert response.status_code == 200
    assert _field_errors(response) == {
        "body": ["This field takes up to 20,000 characters; you entered 20,002 characters."]
    }
    addendum.refresh_from_db()
    assert addendum.body == "Cabling is in scope."
    assert _no_writes()


def test_an_addendum_shows_its_limits_and_refuses_a_title_over_two_hundred_or_on_two_lines(lead_client, addendum):
    html = lead_client.get(_change_url(addendum)).content.decode()
    assert 'maxlength="20000"' in html
    assert "Up to 20,000 characters." in html

    too_long = _post_changed(lead_client, addendum, title="T" * 201)
    two_lines = _post_changed(lead_client, addendum, title="Scope\r\nextended")

    assert _field_errors(too_long) == {"title": ["This field takes up to 200 characters; you entered 201 characters."]}
    assert _field_errors(two_lines) == {
        "title": ["Write this on one line: line breaks, tabs and other control characters are not accepted."]
    }
    addendum.refresh_from_db()
    assert addendum.title == "Scope extended"
    assert _no_writes()


def test_an_addendum_body_within_the_limit_is_saved(lead_client, addendum):
    body = "Cabling is in scope.\r\n" + "x" * 19_979  # 20,000 characters, the line break counted as one

    response = _post_changed(lead_client, addendum, body=body)

    assert response.status_code == 302
    addendum.refresh_from_db()
    assert addendum.body == body


def test_a_round_description_over_the_limit_is_refused_and_nothing_changes(lead_client, rfp):
    response = _post_changed(lead_client, rfp, description=OVER_A_NARRATIVE)

    assert response.status_code == 200
    assert _field_errors(response) == {
        "description": ["This field takes up to 20,000 characters; you entered 20,002 characters."]
    }
    assert Rfp.objects.get(pk=rfp.pk).description == "US-made equipment."
    assert _no_writes()


def test_the_round_page_shows_the_description_limit_and_refuses_an_addendum_body_over_it(lead_client, rfp, addendum):
    html = lead_client.get(_change_url(rfp)).content.decode()
    assert "Up to 20,000 characters." in html

    response = _post_changed(lead_client, rfp, **{"addenda-0-body": OVER_A_NARRATIVE})

    assert response.status_code == 200
    assert _field_errors(response) == {
        "addenda-0-body": ["This field takes up to 20,000 characters; you entered 20,002 characters."]
    }
    addendum.refresh_from_db()
    assert addendum.body == "Cabling is in scope."
    assert _no_writes()


def test_an_answer_to_a_question_over_the_limit_is_refused_and_nothing_changes(lead_client, clarification):
    response = _post_changed(lead_client, clarification, answer=OVER_A_NARRATIVE, is_published="on")

    assert response.status_code == 200
    assert _field_errors(response) == {
        "answer": ["This field takes up to 20,000 characters; you entered 20,002 characters."]
    }
    clarification.refresh_from_db()
    assert (clarification.answer, clarification.is_published) == ("", False)
    assert _no_writes()


def test_a_criterion_guidance_over_the_limit_is_refused_and_nothing_changes(lead_client):
    criterion = Criterion.objects.filter(rubric__rfp=None).order_by("pk").first()
    guidance = criterion.guidance
    assert "Up to 5,000 characters." in lead_client.get(_change_url(criterion)).content.decode()

    response = _post_changed(lead_client, criterion, guidance=OVER_A_NOTE)

    assert response.status_code == 200
    assert _field_errors(response) == {
        "guidance": ["This field takes up to 5,000 characters; you entered 5,001 characters."]
    }
    assert Criterion.objects.get(pk=criterion.pk).guidance == guidance
    assert _no_writes()


def test_a_rubric_page_refuses_a_criterion_guidance_over_the_limit(lead_client):
    rubric = Rubric.objects.filter(rfp=None).order_by("pk").first()

    response = _post_changed(lead_client, rubric, **{"criteria-0-guidance": OVER_A_NOTE})

    assert response.status_code == 200
    assert _field_errors(response) == {
        "criteria-0-guidance": ["This field takes up to 5,000 characters; you entered 5,001 characters."]
    }
    assert _no_writes()
