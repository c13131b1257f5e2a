"""The README tells a demo reviewer or program lead how to pass the second factor, as the `make run` banner does."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from accounts.mfa import DEMO_TOTP_SECRET


def test_the_readme_gives_the_demo_authenticator_secret_and_the_code_command():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    demo_logins = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]

    assert DEMO_TOTP_SECRET in demo_logins
    assert "manage.py demo_totp_code" in demo_logins
    banner = StringIO()
    call_command("run_banner", stdout=banner)
    assert DEMO_TOTP_SECRET in banner.getvalue() and "demo_totp_code" in banner.getvalue()
