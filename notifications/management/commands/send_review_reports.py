"""Send the program report now: for one round (--rfp) or every round still under way, to its recipients or --to."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from notifications.reports import program_report_queue
from notifications.selectors import rfp_list_reporting
from rfp.exceptions import DomainError
from rfp.models import Rfp


class Command(BaseCommand):
    help = (
        "Render the program report of a round (or of every round still under way) and queue it in the outbox; "
        "a worker on the mail queue sends it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rfp", metavar="REF", help="the round's reference, e.g. AI-INFRA-2026")
        parser.add_argument(
            "--to",
            metavar="EMAIL",
            action="append",
            default=[],
            help="send to this address instead of the round's recipients (repeat for several)",
        )

    def handle(self, *args, rfp=None, to=(), **options):
        for address in to:
            try:
                validate_email(address)
            except ValidationError as error:
                raise CommandError(f"--to {address!r} is not an email address.") from error
        if rfp:
            rfps = list(Rfp.objects.filter(reference=rfp))
            if not rfps:
                known = ", ".join(Rfp.objects.order_by("reference").values_list("reference", flat=True)) or "none"
                raise CommandError(f"There is no RFP {rfp!r}; the RFPs are: {known}.")
        else:
            rfps = list(rfp_list_reporting(now=timezone.now()))
            if not rfps:
                self.stdout.write("No round is under way; name one with --rfp.")
                return
        failed = False
        for round_ in rfps:
            try:
                email = program_report_queue(rfp=round_, to=list(to) or None)
            except DomainError as error:
                self.stderr.write(error.message)
                failed = True
                continue
            attachment = email.attachments.get()
            self.stdout.write(
                f"Program report of {round_.reference} queued as email #{email.pk} for "
                f"{', '.join(email.to + email.cc)} ({attachment.name}, {attachment.size_bytes:,} bytes)."
            )
        if failed:
            raise CommandError("Some reports were not sent; see above.")
