from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, buyer_role=User.BuyerRole.PROGRAM_LEAD)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person who signs in: a supplier's staff member, a reviewer or a program lead, known by email."""

    class BuyerRole(models.TextChoices):
        NONE = "", "Supplier staff"
        REVIEWER = "reviewer", "Reviewer"
        PROGRAM_LEAD = "program_lead", "Program lead"

    username = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    buyer_role = models.CharField(max_length=20, choices=BuyerRole.choices, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    @property
    def is_reviewer(self) -> bool:
        return self.buyer_role == self.BuyerRole.REVIEWER

    @property
    def is_program_lead(self) -> bool:
        return self.buyer_role == self.BuyerRole.PROGRAM_LEAD

    @property
    def is_buyer_staff(self) -> bool:
        """Reviewers and program leads: they work in the review workspace, not the supplier portal."""
        return self.is_reviewer or self.is_program_lead
