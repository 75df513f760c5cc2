from django.core.management.base import BaseCommand
from django.db import transaction

from search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from every story. Needed after bulk imports "
        "that skip model signals (bulk_create, update, raw SQL)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            SearchDocument.objects.rebuild()
        count = SearchDocument.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} stories for search."))
