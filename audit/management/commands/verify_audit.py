from datetime import UTC

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_chain_first_break


class Command(BaseCommand):
    help = "Checks the audit trail's hash chain; names the first broken link and exits with status 1 if there is one."

    def handle(self, *args, **options):
        checked, first_break = audit_chain_first_break()
        if first_break is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} event(s) checked."))
            return
        event = first_break.event
        when = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        raise CommandError(
            f"Audit chain broken at event #{event.id} ({when}, {event.action} on {event.object_type}#"
            f"{event.object_id}): {first_break.reason}. {checked - 1} event(s) before it are intact."
        )
