from django.db import models


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailKind(models.TextChoices):
    RECEIPT = "receipt", "Submission receipt"
    INFORMATION_REQUEST = "information_request", "Request for information"
    DECISION = "decision", "Decision notice"
    REVIEW_ASSIGNMENT = "review_assignment", "Review assignment"
    UNASSIGNED_NOTICE = "unassigned_notice", "Unassigned proposal notice"
    INVITATION = "invitation", "Team invitation"
    REVIEWER_DIGEST = "reviewer_digest", "Reviewer digest"
    PROGRAM_REPORT = "program_report", "Program report"
    ACCOUNT = "account", "Account (sign-up, password reset)"
    OTHER = "other", "Other"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"
