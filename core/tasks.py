"""Background work that is never lost: django-tasks, with retries and backoff.

Work that may wait, or may fail for reasons outside the request (a mail server
that is down, indexing after a bulk import), is a task:

    @background_task(attempts=8, backoff=60)
    def tell_moderators(comment_id): ...

    queue(tell_moderators, comment.pk)   # inside the transaction that made the comment

``queue()`` ties the job to the current transaction: with the database queue (the
default) the job's row is written in that transaction, so it is committed with the
change it is about or not at all, and a process that dies right after the commit
loses nothing. With Redis (RQ) the job is sent once the transaction commits.

A task that raises is run again later: ``backoff`` seconds after the first
failure, twice as long after each one after that, ``attempts`` times in all. Then
it stays failed, with its traceback, under "Background jobs" in the admin (the
database queue) or in the RQ dashboard there (Redis). ``manage.py worker`` runs
the jobs; tests run them with the ``run_tasks`` fixture.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_rq.queues import DjangoRQ
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend
from rq import Retry as RQRetry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retries:
    attempts: int  # in all, the first one included
    backoff: int  # seconds before the second attempt; doubled before each later one

    def delay(self, attempts_made):
        return self.backoff * 2 ** (attempts_made - 1)

    def intervals(self):
        return [self.delay(made) for made in range(1, self.attempts)]


# How each task is retried, by the task's module path (what a queued job records).
RETRIES = {}


def background_task(*, attempts=8, backoff=60):
    """A django-tasks ``Task`` retried when it raises: with the defaults, 8 attempts
    over about two hours (1, 2, 4 … 64 minutes apart)."""

    def decorate(function):
        queued = task()(function)
        RETRIES[queued.module_path] = Retries(attempts, backoff)
        return queued

    return decorate


def uses_database_queue(task_):
    return isinstance(task_.get_backend(), DatabaseBackend)


def queue(task_, *args, **kwargs):
    """Run ``task_(*args, **kwargs)`` in the background if, and once, the current
    transaction commits (at once outside one)."""
    if uses_database_queue(task_):
        task_.enqueue(*args, **kwargs)
    else:
        # Redis is not in the transaction: a job sent now could run before the commit
        # and not find what it is about. Robust: the change is committed already, so a
        # Redis outage is logged rather than turned into an error page.
        transaction.on_commit(lambda: task_.enqueue(*args, **kwargs), robust=True)


@receiver(task_finished, dispatch_uid="core.tasks.retry_later")
def retry_later(sender, task_result, **kwargs):
    """The database queue: a failed job with attempts left is made ready again, for
    later (the same row, so the admin shows one job, its attempts and its last error)."""
    retries = RETRIES.get(task_result.task.module_path)
    if task_result.status != TaskResultStatus.FAILED or retries is None:
        return
    if not uses_database_queue(task_result.task):
        return  # RQ retries by itself (RetryingQueue)
    made = task_result.attempts
    if made >= retries.attempts:
        logger.error(
            "Job %s (%s) failed %d times; it is kept, failed, under Background jobs.",
            task_result.id,
            task_result.task.name,
            made,
        )
        return
    from django_tasks_db.models import DBTaskResult  # a model: not before apps are ready

    retry_at = timezone.now() + timedelta(seconds=retries.delay(made))
    try:
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=retry_at, finished_at=None
        )
    except DatabaseError:  # the worker goes on; the job stays failed, in the admin
        logger.exception("Could not schedule job %s again", task_result.id)
        return
    logger.warning(
        "Job %s (%s) failed (attempt %d of %d); trying again at %s.",
        task_result.id,
        task_result.task.name,
        made,
        retries.attempts,
        retry_at.isoformat(),
    )


class RetryingQueue(DjangoRQ):
    """RQ_QUEUES' queue class with Redis: each job gets its task's retries (RQ's own)."""

    def create_job(self, func, *args, retry=None, **kwargs):
        retries = RETRIES.get(func) if isinstance(func, str) else None
        if retry is None and retries is not None and retries.attempts > 1:
            retry = RQRetry(max=retries.attempts - 1, interval=retries.intervals())
        return super().create_job(func, *args, retry=retry, **kwargs)
