from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints where the running service answers and the demo logins (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        from rfp.management.commands.seed_demo import demo_logins_table

        base = f"http://127.0.0.1:{port}"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "",
            "RFP intake is starting (Ctrl-C stops the web server, the worker and the scheduler).",
            f"  Supplier portal   {base}/",
            f"  Review workspace  {base}/review/  (reviewers and program leads)",
            f"  Review panel      {base}/panel/  (program leads)",
            f"  API               {base}/api/v1/",
            f"  Readiness         {base}/readyz",
            f"  Database: {database}; broker: {broker}; mail is written to {settings.EMAIL_FILE_PATH}",
            "",
            demo_logins_table(),
            "",
        ]
        self.stdout.write("\n".join(lines))
