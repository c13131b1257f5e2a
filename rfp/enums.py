from django.db import models


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    SHORTLISTED = "shortlisted", "Shortlisted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CoolingType(models.TextChoices):
    AIR = "air", "Air"
    REAR_DOOR = "rear_door_hx", "Rear-door heat exchanger"
    DTC_SINGLE_PHASE = "dtc_single_phase", "Direct-to-chip, single-phase"
    DTC_TWO_PHASE = "dtc_two_phase", "Direct-to-chip, two-phase"
    IMMERSION = "immersion", "Immersion"


class IpcClass(models.IntegerChoices):
    CLASS_1 = 1, "IPC-A-610 Class 1 (general)"
    CLASS_2 = 2, "IPC-A-610 Class 2 (dedicated service)"
    CLASS_3 = 3, "IPC-A-610 Class 3 (high performance)"


class RoboticsComponent(models.TextChoices):
    MOTOR = "motor", "Motor"
    GEARBOX = "gearbox", "Gearbox"
    POWER_ELECTRONICS = "power_electronics", "Power electronics"
    ACTUATOR = "actuator", "Actuator"


class PowerDeviceTechnology(models.TextChoices):
    SI_IGBT = "si_igbt", "Silicon IGBT"
    SI_MOSFET = "si_mosfet", "Silicon MOSFET"
    SIC = "sic_mosfet", "Silicon carbide MOSFET"
    GAN = "gan", "Gallium nitride"
    NOT_APPLICABLE = "n_a", "Not applicable"


class AttachmentKind(models.TextChoices):
    TECHNICAL = "technical", "Technical document"
    CERTIFICATE = "certificate", "Certificate"
    FINANCIAL = "financial", "Financial statement"
    DRAWING = "drawing", "Drawing or datasheet"
    INFORMATION_RESPONSE = "information_response", "Answer to a request for information"
    OTHER = "other", "Other"


class ConflictDeclaration(models.TextChoices):
    UNDECLARED = "", "Not yet declared"
    NO_CONFLICT = "no_conflict", "No conflict"
    CONFLICT = "conflict", "Conflict"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    COMPLETED = "completed", "Review submitted"
    RELEASED = "released", "Released"


class Recommendation(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlist"
    DECLINE = "decline", "Decline"
    REQUEST_INFO = "request_info", "Request more information"


class DecisionOutcome(models.TextChoices):
    SHORTLISTED = "shortlisted", "Shortlisted"
    DECLINED = "declined", "Declined"


class CheckOutcome(models.TextChoices):
    PASS = "pass", "Pass"
    WARNING = "warning", "Warning"
    FAIL = "fail", "Fail"
