"""The search index's background jobs (core/tasks.py)."""

from core.tasks import background_task
from search.models import SearchDocument


@background_task(attempts=5, backoff=60)
def index_missing_stories():
    """Index the stories a bulk writer stored without signals (the WordPress import,
    ``generate_content``): queued with the write, run by the worker once it is committed."""
    SearchDocument.objects.index_missing()
