"""`python -m bench.querycount name=path ...`: the SQL queries of each GET, in-process, as the program lead.

Run by bench.run against the 100-proposal database (config.settings.bench); prints one JSON object {name: count}.
The count is X-Bench-Queries, the header bench.middleware adds, after one warm-up request per path.
"""

import json
import sys
import time


def lead_session_client(lead):
    """A test client signed in as the lead, its session holding what a password and a TOTP code leave behind
    (the HTTP run goes through the forms)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator
    from django.test import Client

    browser = Client()
    browser.force_login(lead)
    session = browser.session
    device = Authenticator.objects.get(user=lead, type=Authenticator.Type.TOTP)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": lead.email},
        {"method": "mfa", "at": time.time(), "id": device.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(lead.pk)
    session.save()
    return browser


def main(pairs: list[str]) -> None:
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from bench.checks import lead_api_token
    from bench.seeding import LEAD_EMAIL

    lead = User.objects.get(email=LEAD_EMAIL)
    browser = lead_session_client(lead)
    api = Client(headers={"Authorization": f"Bearer {lead_api_token()}"})
    counts = {}
    for pair in pairs:
        name, path = pair.split("=", 1)
        client = api if path.startswith("/api/") else browser
        client.get(path)
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        counts[name] = int(response["X-Bench-Queries"])
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
