"""The second factor of buyer staff: reviewers and program leads sign in with a TOTP code (django-allauth's mfa).

This module owns the rule (who needs it, whether this session has proved it) and the demo's fixed device;
`accounts.middleware.BuyerSecondFactorMiddleware` applies the rule to requests.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from accounts.models import User

BUYER_ROLES = frozenset({User.BuyerRole.REVIEWER, User.BuyerRole.PROGRAM_LEAD})
# The kinds of second-factor proof that count: the authenticator app, or one of its single-use recovery codes.
SECOND_FACTOR_TYPES = frozenset({Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES})

# Demo only (seed_demo, `make run`): every demo buyer login shares this authenticator secret, printed in the banner.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPRFPDEMO2"  # noqa: S105 - a published demo secret, like the demo password


def second_factor_required(user) -> bool:
    return bool(settings.BUYER_MFA_REQUIRED and user.is_authenticated and user.buyer_role in BUYER_ROLES)


def totp_enrolled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request, user) -> bool:
    """True when this session's sign-in (or a later re-authentication) included a TOTP or recovery code."""
    return any(
        record.get("method") == "mfa" and record.get("type") in SECOND_FACTOR_TYPES
        for record in get_authentication_records(request, user)
    )


def record_enrolment_as_second_factor(sender, request, user, authenticator, **kwargs) -> None:
    """Activating TOTP checks a code from the new device, so the session that enrolled has proved it."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def totp_demo_device_ensure(user) -> bool:
    """Give a demo buyer login the demo authenticator, once; True when one was created."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return True


class BuyerMFAAdapter(DefaultMFAAdapter):
    """Buyer staff cannot switch their authenticator off while the second factor is required."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if second_factor_required(authenticator.user) and authenticator.type == Authenticator.Type.TOTP:
            return False
        return super().can_delete_authenticator(authenticator)
