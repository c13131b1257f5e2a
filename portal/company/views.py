"""The supplier's company in the portal: registration, profile, team and invitations, US facilities, certificates.

Views stay thin: they read through suppliers.selectors, write through suppliers.services, and show each refusal
next to the field it concerns (or at the top of the page when it concerns no single field).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from operations.files import private_file_response
from portal.access import member_required, supplier_access
from rfp.formatting import sentence
from suppliers import selectors, services
from suppliers.forms import CertificationForm, FacilityForm, InvitationForm, MemberRoleForm, SupplierForm
from suppliers.naics import naics_parse, naics_preview


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal onto the form: each message next to its field, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def _save_form(request, form, save, *, success, next_url: str):
    """On a valid POST, hand the form's data to the service: success redirects, a refusal lands on the form.

    Returns None when the form page should be shown (a GET, invalid input or a refusal).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return None
    messages.success(request, success(saved))
    return redirect(next_url)


def _refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _with_naics_preview(form: SupplierForm) -> SupplierForm:
    # The titles under the field follow what is typed (htmx); without JavaScript they appear after submitting.
    form.fields["naics_codes"].widget.attrs.update(
        {
            "hx-get": reverse("portal:naics_lookup"),
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#naics-titles",
            "hx-swap": "innerHTML",
            "aria-controls": "naics-titles",
        }
    )
    return form


# Registration and profile ------------------------------------------------------------------------------------------


@login_required
def company_register(request):
    access = supplier_access(request)
    if access is not None:
        messages.info(
            request,
            f"You already belong to {access.supplier.legal_name}; a person can belong to one company only.",
        )
        return redirect("portal:company")
    form = _with_naics_preview(SupplierForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            supplier = services.supplier_register(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"{supplier.legal_name} is registered and you are its owner. Next, add your US facilities."
            )
            return redirect("portal:company")
    return render(request, "portal/company/register.html", {"form": form})


@login_required
@require_GET
def naics_lookup(request):
    """The titles of the NAICS codes typed so far: a fragment the registration and profile forms swap in."""
    text = request.GET.get("codes", request.GET.get("naics_codes", ""))
    return render(request, "portal/company/_naics_titles.html", {"naics_titles": naics_preview(naics_parse(text))})


@member_required
def company(request):
    supplier = request.access.supplier
    today = timezone.localdate()
    context = {
        "access": request.access,
        "supplier": supplier,
        "naics_titles": naics_preview(supplier.naics_codes),
        "members": selectors.member_list_for_supplier(supplier=supplier),
        "facility_totals": selectors.facility_totals(supplier=supplier),
        "certification_summary": selectors.certification_summary(supplier=supplier, today=today),
        "section": "profile",
    }
    return render(request, "portal/company/detail.html", context)


@member_required(editor=True)
def company_edit(request):
    supplier = request.access.supplier
    form = _with_naics_preview(SupplierForm(request.POST or None, supplier=supplier))
    saved = _save_form(
        request,
        form,
        lambda data: services.supplier_update(supplier=supplier, actor=request.user, data=data),
        success=lambda _: "The company profile is saved.",
        next_url="portal:company",
    )
    return saved or render(
        request,
        "portal/company/edit.html",
        {"form": form, "access": request.access, "supplier": supplier, "section": "profile"},
    )


# Team and invitations ----------------------------------------------------------------------------------------------


def _team_page(request, *, invite_form=None, status=200):
    supplier = request.access.supplier
    context = {
        "access": request.access,
        "supplier": supplier,
        "members": selectors.member_list_for_supplier(supplier=supplier),
        "invitations": selectors.invitation_list_open(supplier=supplier),
        "invite_form": invite_form or InvitationForm(),
        "role_choices": MemberRoleForm.base_fields["role"].choices,
        "now": timezone.now(),
        "section": "team",
    }
    return render(request, "portal/company/team.html", context, status=status)


@member_required
def team(request):
    return _team_page(request)


@member_required(owner=True)
@require_POST
def team_invite(request):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_send(
                supplier=request.access.supplier,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} as {invitation.get_role_display().lower()}; "
                f"the link in it works for {services.INVITATION_VALID_DAYS} days.",
            )
            return redirect("portal:team")
    return _team_page(request, invite_form=form)


@member_required(owner=True)
@require_POST
def invitation_revoke(request, pk: int):
    invitation = selectors.invitation_for_supplier(supplier=request.access.supplier, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, f"The invitation to {invitation.email} is revoked; its link no longer works.")
    return redirect("portal:team")


@member_required(owner=True)
@require_POST
def member_role(request, pk: int):
    member = selectors.member_for_supplier(supplier=request.access.supplier, pk=pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["role"][0])
        return redirect("portal:team")
    try:
        member = services.member_change_role(member=member, actor=request.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, f"{member.user.email} is now {member.get_role_display().lower()}.")
    return redirect("portal:team")


@member_required(owner=True)
@require_POST
def member_remove(request, pk: int):
    member = selectors.member_for_supplier(supplier=request.access.supplier, pk=pk)
    try:
        services.member_remove(member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, _refusal_text(error))
        return redirect("portal:team")
    if member.user_id == request.user.pk:
        messages.success(request, sentence(f"You left {member.supplier.legal_name}"))
        return redirect("portal:dashboard")
    messages.success(request, sentence(f"{member.user.email} no longer belongs to {member.supplier.legal_name}"))
    return redirect("portal:team")


@login_required
def invitation_accept(request, token: str):
    """Anyone signed in may open the link; only the invited address can accept, and only into one company."""
    invitation = selectors.invitation_for_token(token=token)
    if request.method == "POST":
        try:
            member = services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            refusal = error
        else:
            messages.success(
                request,
                f"Welcome to {member.supplier.legal_name}: you joined as {member.get_role_display().lower()}.",
            )
            return redirect("portal:company")
    else:
        refusal = services.invitation_refusal(invitation=invitation, user=request.user)
    return render(
        request,
        "portal/company/invitation_accept.html",
        {"invitation": invitation, "refusal": _refusal_text(refusal) if refusal else ""},
        status=404 if invitation is None else 200,
    )


# Facilities --------------------------------------------------------------------------------------------------------


@member_required
def facilities(request):
    supplier = request.access.supplier
    context = {
        "access": request.access,
        "supplier": supplier,
        "facilities": selectors.facility_list_for_supplier(supplier=supplier),
        "totals": selectors.facility_totals(supplier=supplier),
        "section": "facilities",
    }
    return render(request, "portal/company/facilities.html", context)


def _facility_form_page(request, form, facility=None):
    context = {"access": request.access, "form": form, "facility": facility, "section": "facilities"}
    return render(request, "portal/company/facility_form.html", context)


@member_required(editor=True)
def facility_create(request):
    form = FacilityForm(request.POST or None)
    saved = _save_form(
        request,
        form,
        lambda data: services.facility_create(supplier=request.access.supplier, actor=request.user, data=data),
        success=lambda facility: f"{facility.name} is added to your facilities.",
        next_url="portal:facilities",
    )
    return saved or _facility_form_page(request, form)


@member_required(editor=True)
def facility_edit(request, pk: int):
    facility = selectors.facility_for_supplier(supplier=request.access.supplier, pk=pk)
    form = FacilityForm(request.POST or None, instance=facility)
    saved = _save_form(
        request,
        form,
        lambda data: services.facility_update(facility=facility, actor=request.user, data=data),
        success=lambda saved_facility: f"{saved_facility.name} is saved.",
        next_url="portal:facilities",
    )
    return saved or _facility_form_page(request, form, facility)


@member_required(editor=True)
def facility_delete(request, pk: int):
    facility = selectors.facility_for_supplier(supplier=request.access.supplier, pk=pk)
    if request.method == "POST":
        try:
            services.facility_delete(facility=facility, actor=request.user)
        except ValidationError as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(request, f"{facility.name} is deleted.")
        return redirect("portal:facilities")
    return render(
        request,
        "portal/company/confirm_delete.html",
        {
            "access": request.access,
            "section": "facilities",
            "what": f"the facility {facility.name}, {facility.city} {facility.state}",
            "cancel_url": reverse("portal:facilities"),
        },
    )


# Certifications ----------------------------------------------------------------------------------------------------


@member_required
def certifications(request):
    supplier = request.access.supplier
    today = timezone.localdate()
    context = {
        "access": request.access,
        "supplier": supplier,
        "certifications": selectors.certification_list_with_expiry(supplier=supplier, today=today),
        "warning_days": selectors.EXPIRY_WARNING_DAYS,
        "section": "certifications",
    }
    return render(request, "portal/company/certifications.html", context)


def _certification_form_page(request, form, certification=None):
    context = {"access": request.access, "form": form, "certification": certification, "section": "certifications"}
    return render(request, "portal/company/certification_form.html", context)


@member_required(editor=True)
def certification_create(request):
    supplier = request.access.supplier
    form = CertificationForm(request.POST or None, request.FILES or None, supplier=supplier)
    saved = _save_form(
        request,
        form,
        lambda data: services.certification_create(
            supplier=supplier, actor=request.user, data=data, document=request.FILES.get("document")
        ),
        success=lambda certification: f"{certification} is added to your certifications.",
        next_url="portal:certifications",
    )
    return saved or _certification_form_page(request, form)


@member_required(editor=True)
def certification_edit(request, pk: int):
    supplier = request.access.supplier
    certification = selectors.certification_for_supplier(supplier=supplier, pk=pk)
    form = CertificationForm(request.POST or None, request.FILES or None, instance=certification, supplier=supplier)
    saved = _save_form(
        request,
        form,
        lambda data: services.certification_update(
            certification=certification, actor=request.user, data=data, document=request.FILES.get("document")
        ),
        success=lambda saved_certification: f"{saved_certification} is saved.",
        next_url="portal:certifications",
    )
    return saved or _certification_form_page(request, form, certification)


@member_required(editor=True)
def certification_delete(request, pk: int):
    certification = selectors.certification_for_supplier(supplier=request.access.supplier, pk=pk)
    if request.method == "POST":
        services.certification_delete(certification=certification, actor=request.user)
        messages.success(request, f"{certification} is deleted.")
        return redirect("portal:certifications")
    number = f" no. {certification.number}" if certification.number else ""
    return render(
        request,
        "portal/company/confirm_delete.html",
        {
            "access": request.access,
            "section": "certifications",
            "what": f"the {certification} certificate{number} and its document",
            "cancel_url": reverse("portal:certifications"),
        },
    )


@member_required
@require_GET
def certification_download(request, pk: int):
    """The certificate's private file, to the company's own members only; anyone else gets a 404."""
    certification = selectors.certification_for_supplier(supplier=request.access.supplier, pk=pk)
    if not certification.document:
        raise Http404("This certificate has no document.")
    try:
        document, filename, content_type = selectors.certification_document_file(certification=certification)
    except FileNotFoundError as error:
        raise Http404("The certificate's document is missing from storage.") from error
    return private_file_response(document, filename=filename, content_type=content_type)
