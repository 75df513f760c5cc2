from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    """The infrastructure, installed for its commands (``worker``, ``backup``), its system
    checks and the retries of background jobs."""

    name = "core"
    verbose_name = "Infrastructure"
    default = True  # INSTALLED_APPS' "core" (this module has other configs)

    def ready(self):
        # Imported here so that a worker retries failed jobs before it has imported
        # any task of ours, and so that the checks run with `manage.py check`.
        from core import checks, tasks  # noqa: F401


class BackgroundJobsConfig(TasksAppConfig):
    """django-tasks' database queue (``django_tasks_db``), named for the staff who read
    its failed jobs in the admin; its label, tables and migrations are unchanged."""

    verbose_name = "Background jobs"
    default = False
