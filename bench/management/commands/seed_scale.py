"""`manage.py seed_scale --proposals N --suppliers M`: an RFP programme at scale for `make bench` (PostgreSQL only).

It runs once per database and refuses a second run with a message; `bench.seeding` says what it writes and which
invariants of the services the rows keep.
"""

from django.core.management.base import BaseCommand, CommandError

from bench.seeding import SeedRefused, seed_scale


class Command(BaseCommand):
    help = "Fill this PostgreSQL database with suppliers, proposals in every status, reviews and audit events."

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=100_000, help="Proposals across the scale rounds.")
        parser.add_argument("--suppliers", type=int, default=10_000, help="Supplier companies (each with an owner).")
        parser.add_argument(
            "--rush", type=int, default=0, help="Complete drafts in an open round, for the deadline-rush benchmark."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed, the same data.")

    def handle(self, *args, proposals: int, suppliers: int, rush: int, seed: int, **options):
        if proposals < 0 or suppliers < 1:
            raise CommandError("--proposals must be 0 or more and --suppliers at least 1.")
        try:
            report = seed_scale(proposals=proposals, suppliers=suppliers, rush=rush, seed=seed, out=self.stdout.write)
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for label, count in sorted(report.counts.items()):
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded {', '.join(report.rounds)} in {report.seconds:.1f}s."))
