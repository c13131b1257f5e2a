from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.mfa import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current code of the demo authenticator that every demo reviewer and program lead shares."

    def handle(self, *args, **options):
        now = int(timezone.now().timestamp())
        period = app_settings.TOTP_PERIOD
        left = period - now % period
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid for {left} more second{'s' if left != 1 else ''})")
