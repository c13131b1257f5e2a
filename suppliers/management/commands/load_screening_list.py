"""`manage.py load_screening_list FILE`: make a Consolidated Screening List CSV the list names are screened against."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from suppliers.screening import DEFAULT_LIST_NAME, screening_list_load


class Command(BaseCommand):
    help = (
        "Load a restricted-party list in the US Consolidated Screening List CSV layout (columns read by header "
        "name) and make it the active list, replacing the previous one; a file that cannot be loaded changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, e.g. consolidated.csv from trade.gov.")
        parser.add_argument("--name", default=DEFAULT_LIST_NAME, help=f"What to call the list [{DEFAULT_LIST_NAME}].")

    def handle(self, *args, file: Path, name: str, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}; give the path of the CSV file.") from error
        try:
            load = screening_list_load(content=content, file_name=file.name, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        screening_list = load.screening_list
        skipped = f" ({load.skipped_rows} row(s) without a name skipped)" if load.skipped_rows else ""
        if load.created:
            self.stdout.write(
                f"Loaded {screening_list.row_count} entries from {file.name}{skipped}; "
                f"“{screening_list.name}” is now the active screening list."
            )
        else:
            self.stdout.write(
                f"{file.name} is already the active screening list ({screening_list.row_count} entries); "
                "nothing changed."
            )
