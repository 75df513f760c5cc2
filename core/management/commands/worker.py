"""``manage.py worker``: run the background jobs (core/tasks.py), whichever queue holds them."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend


class Command(BaseCommand):
    help = (
        "Run queued background jobs (e-mail, search indexing) until stopped: the database "
        "queue's db_worker, or an RQ worker when the queue is in Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs that are due now, then stop (e.g. after generate_content).",
        )

    def handle(self, *args, batch, verbosity, **options):
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "db_worker",
                queue_name="*",
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=verbosity,
            )
        else:
            call_command(
                "rqworker",
                *settings.TASKS["default"]["QUEUES"],
                job_class="django_tasks_rq.Job",
                # RQ's scheduler runs the jobs that wait: retries and run_after.
                with_scheduler=True,
                burst=batch,
                verbosity=verbosity,
            )
