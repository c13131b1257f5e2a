"""Writes of suppliers: registering a company, its team and invitations, its US facilities and certificates.

Every function checks who acts (owners manage the team, owners and editors change data, viewers only read),
validates with the shared validators before saving, runs in one transaction and records an audit event.
Refusals are ValidationErrors whose messages say what is wrong and how a right value looks; a dict of them
names the field at fault, so forms and the API can show each message next to its input.
"""

import secrets
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_enqueue
from suppliers.enums import MemberRole
from suppliers.models import WORKFORCE_TRADES, Certification, Facility, Invitation, Supplier, SupplierMember
from suppliers.naics import naics_parse
from suppliers.selectors import supplier_identifiers_taken
from suppliers.uploads import check_upload
from suppliers.validators import (
    normalize_ein,
    normalize_identifier,
    validate_certification_name,
    validate_naics_2022_codes,
    validate_zip_in_state,
)

INVITATION_VALID_DAYS = 14
# The email with the accept link, made by notifications.notices once the invitation is committed ("send_": mail queue).
INVITATION_EMAIL_TASK = "suppliers.send_invitation_email"
# The document types a certificate may come in: a scan or a PDF, never an editable office file.
CERTIFICATE_DOCUMENT_KINDS = ("pdf", "png", "jpeg")
# Proposal statuses in which a facility may still be deleted: nothing about it has been submitted for review.
# (rfp imports suppliers, never the reverse, so the values are spelled here rather than imported from rfp.enums.)
_PROPOSAL_STATUSES_RELEASING_FACILITIES = ("draft", "withdrawn")

SUPPLIER_FIELDS = (
    "legal_name",
    "dba",
    "ein",
    "uei",
    "cage",
    "naics_codes",
    "hq_address_line1",
    "hq_address_line2",
    "hq_city",
    "hq_state",
    "hq_zip",
    "website",
    "employee_count",
)
FACILITY_FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "status",
    "floor_area_sqft",
    *WORKFORCE_TRADES,
    "site_power_mw",
    "grid_operator",
)
CERTIFICATION_FIELDS = ("kind", "name", "number", "issued_by", "facility", "expires_on")
_TEXT_DEFAULTS = {"dba", "cage", "hq_address_line2", "website", "address_line2", "grid_operator", "name", "number"}

VIEWER_REFUSAL = "Your role is viewer: you can read your company's data but not change it."
OWNER_REFUSAL = "Only the company's owners can do this."


# Who acts ---------------------------------------------------------------------------------------------------------


def _role_of(*, supplier: Supplier, actor) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return SupplierMember.objects.filter(supplier=supplier, user=actor).values_list("role", flat=True).first()


def _require_editor(*, supplier: Supplier, actor) -> None:
    role = _role_of(supplier=supplier, actor=actor)
    if role is None:
        raise PermissionDenied("You are not a member of this company.")
    if role not in (MemberRole.OWNER, MemberRole.EDITOR):
        raise PermissionDenied(VIEWER_REFUSAL)


def _require_owner(*, supplier: Supplier, actor) -> None:
    role = _role_of(supplier=supplier, actor=actor)
    if role is None:
        raise PermissionDenied("You are not a member of this company.")
    if role != MemberRole.OWNER:
        raise PermissionDenied(OWNER_REFUSAL)


def _lock_user(user) -> None:
    # One company per person: registering and accepting are serialised per person, so a double click adds one.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _lock_supplier(supplier: Supplier) -> Supplier:
    # Team changes are serialised per company, so two owners demoting each other cannot leave it without one.
    return Supplier.objects.select_for_update().get(pk=supplier.pk)


def _changes(instance, before: dict[str, Any], fields) -> dict[str, list]:
    return {name: [before[name], getattr(instance, name)] for name in fields if before[name] != getattr(instance, name)}


def _error_dict(errors: dict[str, list]) -> dict[str, list]:
    return {name: messages for name, messages in errors.items() if messages}


# The company -------------------------------------------------------------------------------------------------------


def _supplier_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in SUPPLIER_FIELDS if name in data}
    for name in SUPPLIER_FIELDS:
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
        if name in _TEXT_DEFAULTS and values.get(name) is None and name in data:
            values[name] = ""
    if "ein" in values:
        values["ein"] = normalize_ein(values["ein"])
    for name in ("uei", "cage"):
        if name in values:
            values[name] = normalize_identifier(values[name])
    if isinstance(values.get("naics_codes"), str):
        values["naics_codes"] = naics_parse(values["naics_codes"])
    elif "naics_codes" in values:
        values["naics_codes"] = [str(code).strip() for code in values["naics_codes"] or []]
    return values


def _supplier_validate(supplier: Supplier) -> None:
    errors: dict[str, list] = {}
    try:
        supplier.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "naics_codes" not in errors:
        try:
            validate_naics_2022_codes(supplier.naics_codes)
        except ValidationError as error:
            errors["naics_codes"] = error.error_list
    if "hq_zip" not in errors and "hq_state" not in errors:
        try:
            validate_zip_in_state(supplier.hq_zip, supplier.hq_state)
        except ValidationError as error:
            errors["hq_zip"] = error.error_list
    if errors:
        raise ValidationError(errors)


_IDENTIFIER_LABELS = {"ein": "EIN", "uei": "UEI", "cage": "CAGE code"}


def _ensure_identifiers_free(supplier: Supplier, *, registering: bool) -> None:
    """The same company registers once: its EIN, UEI or CAGE code held by another supplier is refused.

    The refusal never names the other company or its people; it says how to join it instead.
    """
    taken = supplier_identifiers_taken(
        ein=supplier.ein, uei=supplier.uei, cage=supplier.cage, exclude=supplier if supplier.pk else None
    )
    if not taken:
        return
    if registering:
        advice = (
            "Your company may already be registered: ask its owner to invite you to its team "
            "(the invitation comes by email), or check the number."
        )
    else:
        advice = "Check the number; each company registers once."
    raise ValidationError(
        {
            name: ValidationError(
                f"A company with this {_IDENTIFIER_LABELS[name]} is already registered. {advice}",
                code=f"{name}_taken",
            )
            for name in taken
        }
    )


def _supplier_save(supplier: Supplier, *, registering: bool) -> None:
    _ensure_identifiers_free(supplier, registering=registering)
    try:
        with transaction.atomic():
            supplier.save()
    except IntegrityError:
        # Another registration with the same identifiers committed between the check and the insert.
        _ensure_identifiers_free(supplier, registering=registering)
        raise


@transaction.atomic
def supplier_register(*, actor, data: dict[str, Any]) -> Supplier:
    """A signed-in person without a company registers it and becomes its first owner."""
    _lock_user(actor)
    current = SupplierMember.objects.select_related("supplier").filter(user=actor).first()
    if current is not None:
        raise ValidationError(
            f"You already belong to {current.supplier.legal_name}; a person can belong to one company only. "
            "To register another company, sign up with another email address.",
            code="already_member",
        )
    supplier = Supplier(**_supplier_values(data))
    _supplier_validate(supplier)
    _supplier_save(supplier, registering=True)
    member = SupplierMember(supplier=supplier, user=actor, role=MemberRole.OWNER)
    member.full_clean()
    member.save()
    audit_record(
        action="supplier.registered",
        target=supplier,
        actor=actor,
        summary=f"{supplier.legal_name} registered (EIN {supplier.ein}, UEI {supplier.uei})",
        data={
            "ein": supplier.ein,
            "uei": supplier.uei,
            "cage": supplier.cage,
            "naics_codes": supplier.naics_codes,
            "owner": actor.email,
        },
    )
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, actor, data: dict[str, Any]) -> Supplier:
    """Owners and editors correct the company's profile; the same checks as at registration apply."""
    _require_editor(supplier=supplier, actor=actor)
    supplier = _lock_supplier(supplier)
    before = {name: getattr(supplier, name) for name in SUPPLIER_FIELDS}
    for name, value in _supplier_values(data).items():
        setattr(supplier, name, value)
    _supplier_validate(supplier)
    changes = _changes(supplier, before, SUPPLIER_FIELDS)
    if not changes:
        return supplier
    _supplier_save(supplier, registering=False)
    audit_record(
        action="supplier.updated",
        target=supplier,
        actor=actor,
        summary=f"{supplier.legal_name}: {', '.join(sorted(changes))} changed",
        data={"changes": changes},
    )
    return supplier


# The team ----------------------------------------------------------------------------------------------------------


def _normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": ValidationError("Enter your colleague's email address, such as name@company.com.")}
        ) from error
    return email


def _validate_role(role: str) -> None:
    if role not in MemberRole.values:
        raise ValidationError(
            {"role": ValidationError(f"{role!r} is not a role; choose owner, editor or viewer.", code="bad_role")}
        )


@transaction.atomic
def invitation_send(*, supplier: Supplier, actor, email: str, role: str) -> Invitation:
    """An owner invites a colleague by email; the mail with the accept link leaves once the invitation is saved."""
    _require_owner(supplier=supplier, actor=actor)
    email = _normalize_email(email)
    _validate_role(role)
    supplier = _lock_supplier(supplier)
    if SupplierMember.objects.filter(supplier=supplier, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    f"{email} is already a member of your team; change their role in the list of members instead.",
                    code="already_member",
                )
            }
        )
    now = timezone.now()
    pending = Invitation.objects.filter(
        supplier=supplier, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    replaced = None
    if pending is not None and pending.expires_at > now:
        raise ValidationError(
            {
                "email": ValidationError(
                    f"{email} already has an open invitation, valid until "
                    f"{timezone.localtime(pending.expires_at):%B %-d, %Y}. Revoke it in the list of open "
                    "invitations to send a new one.",
                    code="already_invited",
                )
            }
        )
    if pending is not None:
        # An expired invitation no longer counts as open; it is closed so that the new one can be the open one.
        pending.revoked_at = now
        pending.save(update_fields=["revoked_at"])
        replaced = pending.pk
    invitation = Invitation(
        supplier=supplier,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        action="invitation.sent",
        target=invitation,
        actor=actor,
        summary=f"{email} invited to {supplier.legal_name} as {invitation.get_role_display().lower()}",
        data={"email": email, "role": role, "expires_at": invitation.expires_at, "replaces": replaced},
    )
    job_enqueue(
        task_name=INVITATION_EMAIL_TASK,
        arguments={"invitation_id": invitation.pk},
        dedupe_key=f"{INVITATION_EMAIL_TASK}:{invitation.pk}",
    )
    return invitation


def invitation_refusal(*, invitation: Invitation | None, user, now=None) -> ValidationError | None:
    """Why this person cannot accept this invitation now, or None when they can.

    The accept page asks before showing its button; invitation_accept asks again under lock.
    """
    if invitation is None:
        return ValidationError(
            "This invitation link is not valid. Check that you opened the whole link from the email, "
            "or ask the company's owner to send a new invitation.",
            code="invitation_unknown",
        )
    now = now or timezone.now()
    company = invitation.supplier.legal_name
    if invitation.revoked_at is not None:
        return ValidationError(
            f"This invitation was revoked by {company}'s owner. Ask them to send you a new one.",
            code="invitation_revoked",
        )
    if invitation.accepted_at is not None:
        return ValidationError(
            f"This invitation to {company} has already been used. If you need access, ask the company's owner "
            "to send you a new one.",
            code="invitation_used",
        )
    if invitation.expires_at <= now:
        return ValidationError(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%B %-d, %Y} "
            f"(invitations are valid for {INVITATION_VALID_DAYS} days). Ask {company}'s owner to send a new one.",
            code="invitation_expired",
        )
    if invitation.email.lower() != (user.email or "").lower():
        return ValidationError(
            f"This invitation was sent to {invitation.email}, but you are signed in as {user.email}. "
            f"Sign out and sign in (or create an account) with {invitation.email}, or ask the owner to invite "
            f"{user.email}.",
            code="invitation_other_email",
        )
    current = SupplierMember.objects.select_related("supplier").filter(user=user).first()
    if current is not None and current.supplier_id == invitation.supplier_id:
        return ValidationError(f"You are already a member of {company}.", code="already_member")
    if current is not None:
        return ValidationError(
            f"You already belong to {current.supplier.legal_name}; a person can belong to one company only. "
            "Ask its owner to remove you first, or accept with another account.",
            code="already_member",
        )
    return None


@transaction.atomic
def invitation_accept(*, token: str, user) -> SupplierMember:
    """The signed-in person the invitation was sent to joins the company with the invited role."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("supplier").filter(token=token or "").first()
    )
    _lock_user(user)
    now = timezone.now()
    refusal = invitation_refusal(invitation=invitation, user=user, now=now)
    if refusal is not None:
        raise refusal
    company = invitation.supplier.legal_name
    member = SupplierMember(supplier=invitation.supplier, user=user, role=invitation.role)
    member.full_clean()
    member.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accepted",
        target=invitation,
        actor=user,
        summary=f"{user.email} joined {company} as {member.get_role_display().lower()}",
        data={"member": member.pk, "role": member.role, "email": user.email},
    )
    return member


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    _require_owner(supplier=invitation.supplier, actor=actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            f"{invitation.email} has already accepted this invitation; remove them from the team instead.",
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise ValidationError(f"The invitation to {invitation.email} was already revoked.", code="invitation_revoked")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="invitation.revoked",
        target=invitation,
        actor=actor,
        summary=f"Invitation to {invitation.email} revoked",
        data={"email": invitation.email, "role": invitation.role},
    )
    return invitation


def _other_owners(member: SupplierMember) -> int:
    return (
        SupplierMember.objects.filter(supplier_id=member.supplier_id, role=MemberRole.OWNER)
        .exclude(pk=member.pk)
        .count()
    )


def _last_owner_refusal(member: SupplierMember, doing: str) -> ValidationError:
    return ValidationError(
        f"{member.user.email} is the company's only owner and cannot be {doing}: a company always keeps at least "
        "one owner. Make another member owner first.",
        code="last_owner",
    )


@transaction.atomic
def member_change_role(*, member: SupplierMember, actor, role: str) -> SupplierMember:
    _require_owner(supplier=member.supplier, actor=actor)
    _validate_role(role)
    _lock_supplier(member.supplier)
    member = SupplierMember.objects.select_related("user", "supplier").get(pk=member.pk)
    previous = member.role
    if previous == role:
        return member
    if previous == MemberRole.OWNER and _other_owners(member) == 0:
        raise _last_owner_refusal(member, "demoted")
    member.role = role
    member.full_clean()
    member.save(update_fields=["role"])
    audit_record(
        action="supplier.member_role_changed",
        target=member,
        actor=actor,
        summary=f"{member.user.email}: {MemberRole(previous).label} → {member.get_role_display()}",
        data={"email": member.user.email, "from": previous, "to": role},
    )
    return member


@transaction.atomic
def member_remove(*, member: SupplierMember, actor) -> None:
    _require_owner(supplier=member.supplier, actor=actor)
    _lock_supplier(member.supplier)
    member = SupplierMember.objects.select_related("user", "supplier").get(pk=member.pk)
    if member.role == MemberRole.OWNER and _other_owners(member) == 0:
        raise _last_owner_refusal(member, "removed")
    audit_record(
        action="supplier.member_removed",
        target=member,
        actor=actor,
        summary=f"{member.user.email} removed from {member.supplier.legal_name}",
        data={"email": member.user.email, "role": member.role, "user": member.user_id},
    )
    member.delete()


# Facilities --------------------------------------------------------------------------------------------------------


def _facility_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in FACILITY_FIELDS if name in data}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
        elif value is None and name in _TEXT_DEFAULTS:
            values[name] = ""
        elif value is None and name in WORKFORCE_TRADES:
            values[name] = 0
    return values


def _facility_validate(facility: Facility) -> None:
    errors: dict[str, list] = {}
    try:
        facility.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "zip_code" not in errors and "state" not in errors:
        try:
            validate_zip_in_state(facility.zip_code, facility.state)
        except ValidationError as error:
            errors["zip_code"] = error.error_list
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def facility_create(*, supplier: Supplier, actor, data: dict[str, Any]) -> Facility:
    _require_editor(supplier=supplier, actor=actor)
    facility = Facility(supplier=supplier, **_facility_values(data))
    _facility_validate(facility)
    facility.save()
    audit_record(
        action="facility.created",
        target=facility,
        actor=actor,
        summary=f"Facility {facility} added",
        data={"state": facility.state, "zip_code": facility.zip_code, "status": facility.status},
    )
    return facility


@transaction.atomic
def facility_update(*, facility: Facility, actor, data: dict[str, Any]) -> Facility:
    _require_editor(supplier=facility.supplier, actor=actor)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    before = {name: getattr(facility, name) for name in FACILITY_FIELDS}
    for name, value in _facility_values(data).items():
        setattr(facility, name, value)
    _facility_validate(facility)
    changes = _changes(facility, before, FACILITY_FIELDS)
    if not changes:
        return facility
    facility.save()
    audit_record(
        action="facility.updated",
        target=facility,
        actor=actor,
        summary=f"Facility {facility}: {', '.join(sorted(changes))} changed",
        data={"changes": changes},
    )
    return facility


@transaction.atomic
def facility_delete(*, facility: Facility, actor) -> None:
    """A facility named in a proposal that has gone to review stays: reviewers and the snapshot refer to it."""
    _require_editor(supplier=facility.supplier, actor=actor)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    references = sorted(
        facility.proposals.exclude(status__in=_PROPOSAL_STATUSES_RELEASING_FACILITIES).values_list(
            "reference", flat=True
        )
    )
    if references:
        plural = "s" if len(references) > 1 else ""
        raise ValidationError(
            f"{facility.name} is part of submitted proposal{plural} {', '.join(references)} and cannot be deleted. "
            "Edit the facility instead, or withdraw the proposal first.",
            code="facility_in_submitted_proposal",
        )
    audit_record(
        action="facility.deleted",
        target=facility,
        actor=actor,
        summary=f"Facility {facility} deleted",
        data={"name": facility.name, "state": facility.state, "zip_code": facility.zip_code},
    )
    facility.delete()


# Certifications ----------------------------------------------------------------------------------------------------


def _certification_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in CERTIFICATION_FIELDS if name in data}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
        elif value is None and name in _TEXT_DEFAULTS | {"issued_by"}:
            values[name] = ""
    return values


def certificate_document_check(document):
    """check_upload, narrowed to what a certificate is: a PDF or a scanned image."""
    checked = check_upload(document)
    if checked.kind not in CERTIFICATE_DOCUMENT_KINDS:
        raise ValidationError(
            f"{checked.original_name} is a {checked.kind.upper()} file; upload the certificate as a PDF, PNG or "
            "JPEG (save or print the document as PDF).",
            code="certificate_type",
        )
    return checked


def _certification_validate(certification: Certification, *, document, document_required: bool):
    errors: dict[str, list] = {}
    try:
        certification.full_clean(exclude=["document"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "kind" not in errors:
        try:
            validate_certification_name(certification.kind, certification.name)
        except ValidationError as error:
            errors.setdefault("name", []).extend(error.error_list)
    if certification.facility is not None and certification.facility.supplier_id != certification.supplier_id:
        errors.setdefault("facility", []).append(
            ValidationError("Choose one of your company's own facilities, or none.", code="facility_not_owned")
        )
    checked = None
    if document is not None:
        try:
            checked = certificate_document_check(document)
        except ValidationError as error:
            errors.setdefault("document", []).extend(error.error_list)
    elif document_required:
        errors.setdefault("document", []).append(
            ValidationError("Upload the certificate as a PDF, PNG or JPEG file.", code="document_required")
        )
    if errors:
        raise ValidationError(_error_dict(errors))
    return checked


@contextmanager
def _document_kept_only_on_success(certification: Certification, *, previous: str = ""):
    """A new file written to storage for a change that then fails is removed again; nothing points at it.

    The file stored before the change (`previous`) is never touched here.
    """
    try:
        yield
    except Exception:
        document = certification.document
        if document and getattr(document, "_committed", False) and document.name not in ("", previous):
            document.storage.delete(document.name)
        raise


def _certificate_label(certification: Certification) -> str:
    number = f" no. {certification.number}" if certification.number else ""
    return f"{certification} certificate{number}"


def _delete_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(partial(storage.delete, name), robust=True)


def _document_data(checked) -> dict[str, Any]:
    if checked is None:
        return {}
    return {
        "document": {
            "name": checked.original_name,
            "type": checked.content_type,
            "size_bytes": checked.size_bytes,
            "sha256": checked.sha256,
        }
    }


@transaction.atomic
def certification_create(*, supplier: Supplier, actor, data: dict[str, Any], document=None) -> Certification:
    _require_editor(supplier=supplier, actor=actor)
    certification = Certification(supplier=supplier, **_certification_values(data))
    checked = _certification_validate(certification, document=document, document_required=True)
    certification.document = document
    with _document_kept_only_on_success(certification):
        certification.save()
        audit_record(
            action="certification.created",
            target=certification,
            actor=actor,
            summary=f"{_certificate_label(certification)} added",
            data={
                "kind": certification.kind,
                "number": certification.number,
                "expires_on": certification.expires_on,
                **_document_data(checked),
            },
        )
    return certification


@transaction.atomic
def certification_update(*, certification: Certification, actor, data: dict[str, Any], document=None) -> Certification:
    _require_editor(supplier=certification.supplier, actor=actor)
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    fields = ("kind", "name", "number", "issued_by", "facility_id", "expires_on")
    before = {name: getattr(certification, name) for name in fields}
    for name, value in _certification_values(data).items():
        setattr(certification, name, value)
    checked = _certification_validate(
        certification, document=document, document_required=not certification.document.name
    )
    changes = _changes(certification, before, fields)
    if not changes and document is None:
        return certification
    previous = certification.document.name
    if document is not None:
        certification.document = document
    with _document_kept_only_on_success(certification, previous=previous):
        certification.save()
        audit_record(
            action="certification.updated",
            target=certification,
            actor=actor,
            summary=f"{_certificate_label(certification)} updated"
            + (" with a new document" if document is not None else ""),
            data={"changes": changes, **_document_data(checked)},
        )
    if document is not None:
        _delete_file_on_commit(certification.document.storage, previous)
    return certification


@transaction.atomic
def certification_delete(*, certification: Certification, actor) -> None:
    _require_editor(supplier=certification.supplier, actor=actor)
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    audit_record(
        action="certification.deleted",
        target=certification,
        actor=actor,
        summary=f"{_certificate_label(certification)} deleted",
        data={"kind": certification.kind, "number": certification.number, "expires_on": certification.expires_on},
    )
    _delete_file_on_commit(certification.document.storage, certification.document.name)
    certification.delete()
