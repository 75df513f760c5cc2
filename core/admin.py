"""Background jobs in the admin (django-tasks' database queue): what ran, what waits for
another attempt and why, what gave up. Staff with the change permission run a failed
job again; nobody edits or adds one here."""

from django.contrib import admin, messages
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

from core.tasks import RETRIES


class BackgroundJobAdmin(DBTaskResultAdmin):
    list_display = [
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "next_attempt",
        "finished_at",
        "last_error",
    ]
    list_filter = ["status", "queue_name"]
    actions = ["run_again"]

    @admin.display(description="attempts")
    def attempts(self, job):
        retries = RETRIES.get(job.task_path)
        made = len(job.worker_ids)
        return f"{made} of {retries.attempts}" if retries else made

    @admin.display(description="next attempt", ordering="run_after")
    def next_attempt(self, job):
        if job.status != TaskResultStatus.READY:
            return self.get_empty_value_display()
        return "as soon as a worker is free" if job.run_after == get_date_max() else job.run_after

    @admin.display(description="last error")
    def last_error(self, job):
        # The exception's class and message: the traceback's last line.
        lines = job.traceback.strip().splitlines()
        return lines[-1] if lines else self.get_empty_value_display()

    def has_retry_permission(self, request):
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description="Run the selected failed jobs again", permissions=["retry"])
    def run_again(self, request, queryset):
        # One attempt more: a job that fails again stays failed.
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
        self.message_user(request, f"{count} failed job(s) will run again.", messages.SUCCESS)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, BackgroundJobAdmin)
