"""Every page of the panel, walked as a program lead: each write it offers (add, change, delete, every action) is
either refused, changing nothing, or leaves an audit event naming the model it wrote."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from documents.models import SummaryPdf
from notifications.models import EmailAttachment, OutboundEmail, ReportSettings, ReviewerDigest
from rfp.models import ReviewAssignment
from tests.test_admin import _make_everything
from tokens.services import api_token_create

SITE = admin.site
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REGISTERED = sorted(SITE._registry, key=lambda model: model._meta.label)
# What a supplier owns, or what is evidence: never written from the panel, whatever is posted.
READ_ONLY = {
    "rfp.Proposal",
    "rfp.CommercialTerms",
    "rfp.DatacenterDetails",
    "rfp.ElectronicsDetails",
    "rfp.RoboticsDetails",
    "rfp.Attachment",
    "rfp.ProposalVersion",
    "rfp.ProposalCheck",
    "rfp.InformationRequest",
    "rfp.AddendumAcknowledgement",
    "rfp.Review",
    "rfp.Score",
    "rfp.Decision",
    "suppliers.Supplier",
    "suppliers.SupplierMember",
    "suppliers.Facility",
    "suppliers.Certification",
    "suppliers.Invitation",
    "suppliers.ScreeningList",
    "suppliers.ScreeningEntry",
    "documents.SummaryPdf",
    "audit.AuditEvent",
    "notifications.OutboundEmail",
    "notifications.EmailAttachment",
    "notifications.ReviewerDigest",
    "jobs.Job",
    "api.ApiToken",
}


class _FormFields(HTMLParser):
    """What a browser posts back from the page's main form: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "file", "image"):
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n") if not self.data[self._textarea][-1] else data


def _posted_back(html: str, model) -> dict:
    parser = _FormFields(f"{model._meta.model_name}_form")
    parser.feed(html)
    return {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _row(model, pk):
    obj = model.objects.filter(pk=pk).first()
    return None if obj is None else model_to_dict(obj)


def _events_naming(model, since: int):
    return AuditEvent.objects.filter(pk__gt=since, object_type=model._meta.label_lower)


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _with_one_text_edited(data: dict, html_form) -> tuple[dict, str | None]:
    """The same data with one plain text field changed, so a save really writes something."""
    from django import forms

    for name, field in html_form.fields.items():
        if type(field) is forms.CharField and isinstance(data.get(name), str) and not field.disabled:
            if name in ("reference", "code", "token", "prefix"):
                continue
            limit = field.max_length or 10_000
            data = {**data, name: (data[name] + " (edited)")[:limit]}
            return data, name
    return data, None


@pytest.fixture
def lead(db):
    from accounts.factories import ProgramLeadFactory

    return ProgramLeadFactory(is_superuser=True)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def everything(lead, monkeypatch, tmp_path, settings):
    from jobs import services as job_services

    monkeypatch.setattr(job_services, "job_publish", lambda *, job_id: True)  # the shared broker is not ours
    proposal = _make_everything(lead)
    now = timezone.now()
    ReportSettings.objects.get_or_create(rfp=proposal.rfp, defaults={"program_report_recipients": "lead@buyer.example"})
    email = OutboundEmail.objects.create(
        from_email="rfp@buyer.example",
        to=["owner@example-manufacturer.com"],
        subject="Receipt",
        body_text="Thank you.",
        status="failed",
        proposal=proposal,
        rfp=proposal.rfp,
    )
    EmailAttachment.objects.create(
        email=email, file="emails/1/receipt.pdf", name="receipt.pdf", content_type="application/pdf", size_bytes=10
    )
    reviewer = ReviewAssignment.objects.filter(proposal=proposal).first().reviewer
    ReviewerDigest.objects.create(
        rfp=proposal.rfp,
        reviewer=reviewer,
        digest_date=now.date(),
        window_start=now - timedelta(days=1),
        window_end=now,
        email=email,
    )
    SummaryPdf.objects.create(
        proposal=proposal,
        proposal_version=1,
        audience="program_lead",
        file="summaries/1/summary.pdf",
        page_count=4,
        size_bytes=1000,
        reason="submitted",
        rendered_at=now,
    )
    api_token_create(user=reviewer, name="ERP export", scope="read", lifetime_days=30)
    EmailAddress.objects.create(user=reviewer, email=reviewer.email, primary=True, verified=False)
    Group.objects.create(name="Auditors")
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    return proposal


def test_second_factor_secrets_are_not_shown(lead_client, everything):
    authenticator = Authenticator.objects.get(data__secret=TOTP_SECRET)

    html = lead_client.get(_url(Authenticator, "change", authenticator.pk)).content.decode()

    assert TOTP_SECRET not in html


def test_the_walk_covers_every_registered_model():
    assert len(REGISTERED) >= 40
    unknown = {model._meta.label for model in REGISTERED} - READ_ONLY
    # The rest are the buyer's records, written with an audit event.
    assert unknown >= {"rfp.Rfp", "rfp.Rubric", "rfp.Addendum", "rfp.Clarification", "accounts.User"}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_write_of_the_panel_is_refused_or_audited(model, lead, lead_client, everything):
    model_admin = SITE._registry[model]
    request = RequestFactory().get("/panel/")
    request.user = lead
    label = model._meta.label
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the fixture should make a {label}"

    assert lead_client.get(_url(model, "changelist")).status_code == 200

    # Add.
    add_page = lead_client.get(_url(model, "add"))
    if label in READ_ONLY:
        assert add_page.status_code == 403, label
    if add_page.status_code == 200:
        count, since = model.objects.count(), _last_event_id()
        response = lead_client.post(_url(model, "add"), _posted_back(add_page.content.decode(), model))
        if model.objects.count() > count:
            assert _events_naming(model, since).filter(action__endswith=".created").exists(), label
    else:
        assert add_page.status_code == 403, label

    # Change: post back what the page shows, one text edited.
    change_page = lead_client.get(_url(model, "change", obj.pk))
    assert change_page.status_code == 200, label
    before, since = _row(model, obj.pk), _last_event_id()
    data = _posted_back(change_page.content.decode(), model)
    form = change_page.context["adminform"].form
    edited_data, edited = _with_one_text_edited(data, form)
    response = lead_client.post(_url(model, "change", obj.pk), edited_data)
    if response.status_code == 200 and response.context["adminform"].form.errors:
        edited = None  # the edit made the field invalid (an address list, say): save the page as shown instead
        response = lead_client.post(_url(model, "change", obj.pk), data)
    if label in READ_ONLY or not model_admin.has_change_permission(request, obj):
        assert response.status_code == 403, label
        assert _row(model, obj.pk) == before, label
        assert not AuditEvent.objects.filter(pk__gt=since).exists(), label
    else:
        errors = response.context and response.context["adminform"].form.errors
        assert response.status_code == 302, (label, errors)
        event = _events_naming(model, since).get(object_id=str(obj.pk))
        if edited:
            assert _row(model, obj.pk)[edited].endswith("(edited)"), label
            assert edited in event.data["changed"], label

    # Every action, on the first row.
    for name in model_admin.get_actions(request):
        before, since = _row(model, obj.pk), _last_event_id()
        response = lead_client.post(
            _url(model, "changelist"), {"action": name, "_selected_action": [obj.pk], "post": "yes"}
        )
        assert response.status_code in (200, 302, 403), (label, name)
        warned = any(m.level >= messages.WARNING for m in get_messages(response.wsgi_request))
        refused = response.status_code == 403 or warned
        if AuditEvent.objects.filter(pk__gt=since).exists():
            continue
        assert refused or _row(model, obj.pk) == before, (label, name)

    # Delete.
    obj = model.objects.order_by("pk").first()
    if obj is None:
        return
    since = _last_event_id()
    delete_page = lead_client.get(_url(model, "delete", obj.pk))
    if label in READ_ONLY:
        assert delete_page.status_code == 403, label
    if delete_page.status_code == 200:
        lead_client.post(_url(model, "delete", obj.pk), {"post": "yes"})
        if not model.objects.filter(pk=obj.pk).exists():
            assert _events_naming(model, since).filter(action__endswith=".deleted", object_id=str(obj.pk)).exists()
    else:
        assert delete_page.status_code == 403, label
        assert model.objects.filter(pk=obj.pk).exists()


def test_invitation_links_are_not_shown(lead_client, everything):
    from notifications.enums import EmailKind
    from suppliers.models import Invitation

    invitation = Invitation.objects.get()
    email = OutboundEmail.objects.create(
        from_email="rfp@buyer.example",
        to=[invitation.email],
        subject="Join the team",
        body_text=f"Join: https://rfp.example/invitations/{invitation.token}/",
        body_html=f'<a href="https://rfp.example/invitations/{invitation.token}/">Join</a>',
        kind=EmailKind.INVITATION,
    )

    for url in (_url(Invitation, "change", invitation.pk), _url(OutboundEmail, "change", email.pk)):
        html = lead_client.get(url).content.decode()
        assert invitation.token not in html, url
