from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from suppliers.enums import CertificationKind, FacilityStatus, MemberRole, UsState
from suppliers.validators import (
    validate_cage_us,
    validate_ein,
    validate_naics_codes,
    validate_uei,
    validate_zip,
)

WORKFORCE_TRADES = ("electricians", "machinists", "technicians", "assemblers", "engineers")


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class WorkforceByTrade(models.Model):
    """Head count by skilled trade: the figures the reports add up by sector and state."""

    electricians = models.PositiveIntegerField(default=0)
    machinists = models.PositiveIntegerField(default=0)
    technicians = models.PositiveIntegerField(default=0)
    assemblers = models.PositiveIntegerField(default=0)
    engineers = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def workforce_total(self) -> int:
        return sum(getattr(self, trade) for trade in WORKFORCE_TRADES)


class Supplier(models.Model):
    """A US manufacturer, known by its federal identifiers."""

    legal_name = models.CharField(max_length=200)
    dba = models.CharField("doing business as", max_length=200, blank=True)
    ein = models.CharField("EIN", max_length=10, unique=True, validators=[validate_ein])
    uei = models.CharField("SAM.gov UEI", max_length=12, unique=True, validators=[validate_uei])
    cage = models.CharField("CAGE code", max_length=5, blank=True, validators=[validate_cage_us])
    naics_codes = models.JSONField("NAICS 2022 codes", default=list, validators=[validate_naics_codes])
    hq_address_line1 = models.CharField("headquarters address", max_length=200)
    hq_address_line2 = models.CharField(max_length=200, blank=True)
    hq_city = models.CharField(max_length=100)
    hq_state = models.CharField(max_length=2, choices=UsState.choices)
    hq_zip = models.CharField(max_length=10, validators=[validate_zip])
    website = models.URLField(blank=True)
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["cage"], condition=~Q(cage=""), name="supplier_cage_unique"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class SupplierMember(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["supplier_id", "id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "user"], name="supplier_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.supplier}"

    @property
    def can_edit(self) -> bool:
        return self.role in (MemberRole.OWNER, MemberRole.EDITOR)


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the company's team with a role."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "email"],
                condition=Q(accepted_at=None, revoked_at=None),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.supplier} as {self.get_role_display()}"

    def is_open_at(self, moment) -> bool:
        return self.accepted_at is None and self.revoked_at is None and moment < self.expires_at


class Facility(WorkforceByTrade):
    """A US site where the supplier makes or will make what it proposes."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(max_length=200)
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=UsState.choices, db_index=True)
    zip_code = models.CharField("ZIP code", max_length=10, validators=[validate_zip])
    status = models.CharField(max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.OPERATING)
    floor_area_sqft = models.PositiveIntegerField("floor area (sq ft)", null=True, blank=True)
    site_power_mw = models.DecimalField(
        "site power (MW)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5000)],
    )
    grid_operator = models.CharField(max_length=100, blank=True, help_text="Utility or ISO/RTO, e.g. ERCOT, PJM.")

    class Meta:
        ordering = ["supplier", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return f"{self.name}, {self.city} {self.state}"


def certificate_upload_to(instance: "Certification", filename: str) -> str:
    from suppliers.uploads import random_storage_name

    return random_storage_name(f"certificates/{instance.supplier_id}")


class Certification(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="certifications")
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="certifications"
    )
    kind = models.CharField(max_length=20, choices=CertificationKind.choices)
    name = models.CharField(max_length=200, blank=True, help_text="For UL listings and others: what it certifies.")
    number = models.CharField("certificate number", max_length=100, blank=True)
    issued_by = models.CharField(max_length=200, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to=certificate_upload_to, storage=private_storage, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["supplier", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class ScreeningList(models.Model):
    """One load of a restricted-party list file (the US Consolidated Screening List layout); one list is active."""

    name = models.CharField(max_length=200)
    source_file_name = models.CharField(max_length=255)
    loaded_at = models.DateTimeField()
    row_count = models.PositiveIntegerField(help_text="Entries loaded from the file.")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="Of the file as loaded.")
    is_active = models.BooleanField(default=True, help_text="The list new screenings compare names against.")

    class Meta:
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_screening_list")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.source_file_name}, {self.row_count} entries)"


class ScreeningEntry(models.Model):
    """A restricted party as the list names it; `normalized_names` (name and aliases) are what names match against."""

    screening_list = models.ForeignKey(ScreeningList, on_delete=models.CASCADE, related_name="entries")
    source = models.CharField(max_length=200, help_text="The list it comes from, e.g. Entity List (EL).")
    name = models.CharField(max_length=500)
    alt_names = models.JSONField("alternative names", default=list, blank=True)
    addresses = models.TextField(blank=True)
    entity_number = models.CharField(max_length=100, blank=True)
    normalized_names = models.JSONField(default=list, help_text="The name and aliases as matching compares them.")

    class Meta:
        ordering = ["screening_list", "name"]
        verbose_name_plural = "screening entries"

    def __str__(self) -> str:
        return self.name
