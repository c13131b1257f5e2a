"""`python -m bench.profile WHAT --database URL`: where the time of one benchmarked request goes (pyinstrument).

WHAT is `submit` (a deadline-rush draft submitted through the portal view), `queue` (the program lead's /review/)
or `api-queue` (/api/v1/review/proposals/), each with `--filtered` for the bench's filters. URL is a database
seeded by `seed_scale` with `--rush` (e.g. one left by `make bench BENCH_ARGS=--keep`). Requests run in-process
through django.test.Client on config.settings.bench; jobs are published to an in-memory broker and go nowhere.
A submit changes the database: each run submits the next draft.
"""

import argparse
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["submit", "queue", "api-queue"])
    parser.add_argument("--database", required=True, help="postgres://... of a seeded database")
    parser.add_argument("--filtered", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="requests profiled (submits: drafts submitted)")
    args = parser.parse_args(argv)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": args.database,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-profile-only"),
            "ALLOWED_HOSTS": "testserver",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "CELERY_BROKER_URL": "memory://",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from accounts.models import User
    from bench.checks import QUEUE_FILTERS, api_queue_path, lead_api_token
    from bench.seeding import LEAD_EMAIL, rush_drafts

    profiler = Profiler(interval=0.0005)
    timings = []
    if args.what == "submit":
        drafts = rush_drafts()[: args.repeat]
        if not drafts:
            print("no rush drafts left in this database (seed_scale --rush N makes them)", file=sys.stderr)
            return 2
        for draft in drafts:
            client = Client()
            client.force_login(User.objects.get(email=draft["email"]))
            path = f"/portal/proposals/{draft['reference']}/submit/"
            started = time.perf_counter()
            with profiler:
                response = client.post(path)
            timings.append(time.perf_counter() - started)
            print(f"POST {path}: {response.status_code} {response.get('location', '')} "
                  f"{response.get('X-Bench-Queries')} queries")  # fmt: skip
    else:
        from bench.querycount import lead_session_client

        lead = User.objects.get(email=LEAD_EMAIL)
        if args.what == "queue":
            client, path = lead_session_client(lead), "/review/"
        else:
            client = Client(headers={"Authorization": f"Bearer {lead_api_token()}"})
            path = api_queue_path()
        path = f"{path}?{QUEUE_FILTERS}" if args.filtered else path
        client.get(path)  # warm-up
        for _ in range(args.repeat):
            started = time.perf_counter()
            with profiler:
                response = client.get(path)
            timings.append(time.perf_counter() - started)
            print(f"GET {path}: {response.status_code}, {response.get('X-Bench-Queries')} queries")
    print(f"{len(timings)} requests, {1000 * sum(timings) / len(timings):.0f} ms each on average")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
