"""``manage.py backup DIR``: see core/backup.py, and README's "Backups" for the restore."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Copy the database (SQLite's online backup, or pg_dump) and the uploaded media into "
        "a new folder under DIR, while the site keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="where to put the backup folder")

    def handle(self, *args, directory, **options):
        try:
            folder = make_backup(directory)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
