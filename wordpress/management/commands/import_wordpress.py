from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import Importer
from wordpress.wxr import ExportError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export › All content, WXR 1.1 or 1.2): posts, "
        "pages, authors, categories, tags, media (as links, or into the photo library with "
        "--media-from or --download-media) and comments, with redirects "
        "from every old address. Safe to run again: it updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, print what would happen, and save nothing.",
        )
        media = parser.add_mutually_exclusive_group()
        media.add_argument(
            "--media-from",
            type=Path,
            metavar="DIR",
            help="A copy of the site's wp-content/uploads: its images join the photo "
            "library and the stories show them from there.",
        )
        media.add_argument(
            "--download-media",
            action="store_true",
            help="Fetch the images from the old site, in the background (manage.py worker), "
            "into the photo library.",
        )

    def handle(self, export, dry_run, media_from, download_media, verbosity, **options):
        if not export.is_file():
            raise CommandError(f"{export} is not a file: give the path of the exported .xml file.")
        if media_from is not None and not media_from.is_dir():
            raise CommandError(
                f"{media_from} is not a folder: give a copy of the site's wp-content/uploads."
            )
        importer = Importer(
            export,
            progress=self.stdout.write if verbosity else None,
            media_from=media_from,
            download_media=download_media,
            # Next to the export: the posts an editor should look at after the import.
            losses_csv=export.with_name(f"{export.stem}-cleaning.csv"),
        )
        try:
            report = importer.run(dry_run=dry_run)
        except ExportError as error:
            raise CommandError(
                f"{export} is not a complete WordPress export: {error}. Nothing was imported; "
                "export the site again (Tools › Export › All content) and retry."
            ) from error
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
            for line in importer.media.lines():
                self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
