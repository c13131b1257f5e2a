import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from rfp.enums import (
    AssignmentStatus,
    AttachmentKind,
    CheckOutcome,
    ConflictDeclaration,
    CoolingType,
    DecisionOutcome,
    IpcClass,
    PowerDeviceTechnology,
    ProposalStatus,
    Recommendation,
    RoboticsComponent,
)
from suppliers.models import Facility, Supplier, WorkforceByTrade, private_storage
from suppliers.validators import validate_country_code, validate_country_codes


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone, such as America/Los_Angeles.")


class Sector(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    abbreviation = models.CharField(max_length=4, unique=True, help_text="Used in proposal references, e.g. DC.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="categories")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sector__position", "position", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["sector", "code"], name="category_code_unique_in_sector")]

    def __str__(self) -> str:
        return f"{self.sector.name}: {self.name}"


class Rfp(models.Model):
    """A solicitation round; its deadline is data, compared with the server clock in UTC."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    display_time_zone = models.CharField(max_length=64, default="America/Los_Angeles", validators=[validate_time_zone])
    sectors = models.ManyToManyField(Sector, related_name="rfps")
    rolling_review = models.BooleanField(default=True)
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    review_due_days = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    blind_review = models.BooleanField(
        default=False, help_text="Reviewers do not see who the supplier is; program leads still do."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = "RFP"
        verbose_name_plural = "RFPs"
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="rfp_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The RFP must close after it opens."})

    def accepts_submissions_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.display_time_zone)


class Addendum(models.Model):
    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["rfp", "number"]
        verbose_name_plural = "addenda"
        constraints = [models.UniqueConstraint(fields=["rfp", "number"], name="addendum_number_unique")]

    def __str__(self) -> str:
        return f"Addendum {self.number}: {self.title}"


class AddendumAcknowledgement(models.Model):
    addendum = models.ForeignKey(Addendum, on_delete=models.CASCADE, related_name="acknowledgements")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="addendum_acknowledgements")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["addendum", "supplier"], name="addendum_acknowledged_once")]

    def __str__(self) -> str:
        return f"{self.supplier} acknowledged {self.addendum}"


class Clarification(models.Model):
    """A supplier's question; once answered and published, every supplier sees it without the asker's name."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="clarifications")
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="clarifications"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField()
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(default=False)

    class Meta:
        ordering = ["rfp", "asked_at"]

    def __str__(self) -> str:
        return self.question[:80]


class Proposal(WorkforceByTrade):
    """A supplier's offer for one sector of one RFP round. Only rfp.services changes `status`."""

    rfp = models.ForeignKey(Rfp, on_delete=models.PROTECT, related_name="proposals")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="proposals")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="proposals")
    reference = models.CharField(max_length=60, unique=True)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    title = models.CharField(max_length=200)
    categories = models.ManyToManyField(Category, related_name="proposals", blank=True)
    facilities = models.ManyToManyField(Facility, related_name="proposals", blank=True)
    technical_narrative = models.TextField(blank=True)
    current_annual_capacity_units = models.PositiveBigIntegerField(
        "current US capacity (units per year)", null=True, blank=True
    )
    annual_capacity_units = models.PositiveBigIntegerField(
        "proposed US capacity (units per year)", null=True, blank=True
    )
    capacity_ramp = models.TextField("capacity ramp", blank=True, help_text="Units per quarter as capacity grows.")
    lead_time_weeks = models.PositiveSmallIntegerField(
        "lead time (weeks)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    domestic_content_pct = models.DecimalField(
        "domestic content (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    countries_of_origin = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_country_codes],
        help_text="ISO 3166 alpha-2 codes of imported content.",
    )
    site_power_mw = models.DecimalField(
        "site power needed (MW)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    sub_suppliers = models.JSONField(
        "sub-suppliers", default=list, blank=True, help_text="Names of declared sub-suppliers."
    )
    # What the supplier asks of the buyer in return.
    asks_offtake_units = models.PositiveBigIntegerField("offtake commitment asked (units)", null=True, blank=True)
    asks_co_investment_usd = models.DecimalField(
        "co-investment asked (USD)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    asks_prepayment_pct = models.DecimalField(
        "prepayment asked (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    asks_notes = models.TextField("other asks of the buyer", blank=True)
    version = models.PositiveIntegerField(default=0, help_text="Number of the latest submitted version.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest submitted version entered the review queue."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True, help_text="When the status last changed.")

    class Meta:
        ordering = [models.F("submitted_at").desc(nulls_last=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rfp", "supplier", "sector"], name="one_proposal_per_supplier_sector_round")
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The program lead's queue: ORDER BY submitted_at, id and its keyset cursor, read from the index in order.
            models.Index(fields=["submitted_at", "id"], name="proposal_queue_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CommercialTerms(models.Model):
    """Kept apart from the proposal: reviewers do not see prices; program leads see them."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="commercial_terms")
    unit_price_usd = models.DecimalField(
        "unit price (USD)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    total_price_usd = models.DecimalField(
        "total price (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_validity_days = models.PositiveSmallIntegerField(null=True, blank=True)
    payment_terms = models.CharField(max_length=200, blank=True)
    incoterms = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "commercial terms"

    def __str__(self) -> str:
        return f"Commercial terms of {self.proposal.reference}"


class DatacenterDetails(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="datacenter_details")
    rack_power_density_kw = models.DecimalField(
        "rack power density (kW/rack)",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(1000))],
    )
    cooling_type = models.CharField(max_length=20, choices=CoolingType.choices, blank=True)
    cooling_capacity_kw = models.DecimalField(
        "heat rejection per rack (kW)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(Decimal(2000))],
    )
    power_per_unit_kw = models.DecimalField(
        "power per unit (kW)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_units = models.PositiveIntegerField("annual units", null=True, blank=True)

    class Meta:
        verbose_name = "datacenter details"
        verbose_name_plural = "datacenter details"

    def __str__(self) -> str:
        return f"Datacenter details of {self.proposal.reference}"


class ElectronicsDetails(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="electronics_details")
    smt_lines = models.PositiveSmallIntegerField(
        "SMT lines", null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    placements_per_hour = models.PositiveIntegerField(
        "placements per hour (CPH)", null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    final_assembly_units_per_month = models.PositiveIntegerField(null=True, blank=True)
    ipc_class = models.PositiveSmallIntegerField("IPC-A-610 class", choices=IpcClass.choices, null=True, blank=True)

    class Meta:
        verbose_name = "consumer electronics details"
        verbose_name_plural = "consumer electronics details"

    def __str__(self) -> str:
        return f"Electronics details of {self.proposal.reference}"


class RoboticsDetails(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="robotics_details")
    component_type = models.CharField(max_length=20, choices=RoboticsComponent.choices, blank=True)
    rated_torque_nm = models.DecimalField(
        "rated torque (N·m)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    peak_torque_nm = models.DecimalField(
        "peak torque (N·m)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    gear_ratio = models.DecimalField(
        "gear ratio (n:1)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1))],
    )
    power_device_technology = models.CharField(max_length=12, choices=PowerDeviceTechnology.choices, blank=True)
    magnet_country_of_origin = models.CharField(
        max_length=2, blank=True, validators=[validate_country_code], help_text="ISO 3166 alpha-2 code, e.g. US."
    )

    class Meta:
        verbose_name = "robotics details"
        verbose_name_plural = "robotics details"

    def __str__(self) -> str:
        return f"Robotics details of {self.proposal.reference}"

    def clean(self) -> None:
        if self.rated_torque_nm and self.peak_torque_nm and self.peak_torque_nm < self.rated_torque_nm:
            raise ValidationError({"peak_torque_nm": "Peak torque cannot be below rated torque."})


# Which typed detail model holds each sector's own answers.
SECTOR_DETAIL_MODELS: dict[str, type[models.Model]] = {
    "datacenter": DatacenterDetails,
    "consumer-electronics": ElectronicsDetails,
    "robotics": RoboticsDetails,
}


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    from suppliers.uploads import random_storage_name

    return random_storage_name(f"attachments/{instance.proposal_id}")


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    information_request = models.ForeignKey(
        "InformationRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        help_text="Set when the file answers a reviewers' request for information.",
    )
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.TECHNICAL)
    file = models.FileField(upload_to=attachment_upload_to, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Type found from the file's content, not its name.")
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ProposalVersion(models.Model):
    """An immutable snapshot of what the supplier submitted, one per submit."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField("SHA-256", max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")]

    def __str__(self) -> str:
        return f"{self.proposal.reference} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A submitted version cannot be changed.")
        super().save(*args, **kwargs)


class ProposalCheck(models.Model):
    """One automated check of one submitted version, run by the worker after each submit and resubmit."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="checks")
    version = models.PositiveIntegerField(help_text="The submitted version that was checked.")
    code = models.CharField(max_length=60, help_text="What was checked, e.g. completeness or screening_legal_name.")
    label = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "version", "code"], name="proposal_check_once_per_version")
        ]
        indexes = [
            models.Index(fields=["outcome", "code"]),
            # A version's checks by outcome: the queue's check counts and its "failed / warnings / passed" filters.
            models.Index(fields=["proposal", "version", "outcome"], name="proposal_check_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} v{self.version} {self.label}: {self.get_outcome_display()}"


class InformationRequest(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="information_requests")
    question = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "requested_at"]

    def __str__(self) -> str:
        return f"Request for information on {self.proposal.reference}"


class ReviewerProfile(models.Model):
    """A buyer's reviewer: the sectors they know and how many open assignments they can hold."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    sectors = models.ManyToManyField(Sector, related_name="reviewers")
    max_open_assignments = models.PositiveSmallIntegerField(default=20)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return str(self.user)


class ReviewerConflict(models.Model):
    """A conflict of interest a reviewer declared for a supplier, before or during review."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="reviewer_conflicts")
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reviewer", "supplier"], name="reviewer_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.reviewer} conflicted with {self.supplier}"


class Rubric(models.Model):
    """The weighted criteria a sector's proposals are scored on; `rfp` empty means the sector's default."""

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="rubrics")
    rfp = models.ForeignKey(Rfp, null=True, blank=True, on_delete=models.CASCADE, related_name="rubrics")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["sector", "rfp"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "rfp"], name="rubric_per_sector_and_rfp"),
            models.UniqueConstraint(fields=["sector"], condition=Q(rfp=None), name="one_default_rubric_per_sector"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    max_score = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position"]
        verbose_name_plural = "criteria"
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique_in_rubric")]

    def __str__(self) -> str:
        return f"{self.name} (weight {self.weight})"


class ReviewAssignment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    assigned_at = models.DateTimeField()
    due_at = models.DateTimeField()
    conflict_declaration = models.CharField(
        max_length=12, choices=ConflictDeclaration.choices, blank=True, default=ConflictDeclaration.UNDECLARED
    )
    conflict_declared_at = models.DateTimeField(null=True, blank=True)
    conflict_note = models.TextField(blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"],
                condition=~Q(status="released"),
                name="one_open_assignment_per_reviewer",
            )
        ]
        indexes = [models.Index(fields=["reviewer", "status", "assigned_at"])]

    def __str__(self) -> str:
        return f"{self.proposal.reference} → {self.reviewer}"


class Review(models.Model):
    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="reviews")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    comments = models.TextField(blank=True)
    weighted_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="0 to 100, weighted by the rubric."
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"Review of {self.assignment.proposal.reference} by {self.assignment.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"

    def clean(self) -> None:
        if self.criterion_id and self.value > self.criterion.max_score:
            raise ValidationError({"value": f"Scores for this criterion go from 0 to {self.criterion.max_score}."})


class Decision(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices)
    rationale = models.TextField(
        "message to the supplier", help_text="Emailed to the supplier word for word and shown in the portal."
    )
    internal_note = models.TextField(
        blank=True, help_text="The buyer's own note on the decision: never emailed, never shown to the supplier."
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.proposal.reference}: {self.get_outcome_display()}"
