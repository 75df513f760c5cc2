"""Background jobs (core/tasks.py): queued with the change they are about, retried with
backoff, and a job that gave up is shown to the staff who may see it."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tasks import background_task, queue
from tests.factories import make_staff
from tests.test_make_run import run_as_one_command

pytestmark = pytest.mark.django_db

JOBS = reverse("admin:django_tasks_database_dbtaskresult_changelist")
# How many more times ``flaky`` fails before it succeeds.
failures_left = {"count": 0}


@background_task(attempts=4, backoff=60)
def flaky(label):
    if failures_left["count"]:
        failures_left["count"] -= 1
        raise ConnectionRefusedError(f"{label}: the server is down")
    return f"{label}: done"


@pytest.fixture
def failing(monkeypatch):
    def fail(times):
        monkeypatch.setitem(failures_left, "count", times)

    return fail


class TestRetries:
    def test_a_failing_job_is_tried_again_after_1_2_and_4_minutes_then_given_up(
        self, run_tasks, clock, failing
    ):
        failing(10)
        queue(flaky, "mail")
        waits = []
        for _ in range(3):
            [job] = run_tasks()
            assert job.status == "READY" and "the server is down" in job.traceback
            waits.append(round((job.run_after - timezone.now()).total_seconds() / 60))
            assert run_tasks() == []  # not before its time
            clock(minutes=waits[-1])
        assert waits == [1, 2, 4]
        [job] = run_tasks()
        assert job.status == "FAILED" and len(job.worker_ids) == 4
        assert job.exception_class_path == "builtins.ConnectionRefusedError"
        clock(days=1)
        assert run_tasks() == []  # given up: it stays failed

    def test_a_job_that_succeeds_on_a_retry_runs_no_more(self, run_tasks, clock, failing):
        failing(1)
        queue(flaky, "mail")
        run_tasks()
        clock(minutes=1)
        [job] = run_tasks()
        assert (job.status, job.return_value, len(job.worker_ids)) == (
            "SUCCESSFUL",
            "mail: done",
            2,
        )
        clock(days=1)
        assert run_tasks() == []

    def test_work_queued_in_a_transaction_that_rolls_back_is_never_run(self, run_tasks):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(flaky, "rolled back")
            raise RuntimeError("the change failed")
        assert not DBTaskResult.objects.exists()
        assert run_tasks() == []


class TestAdmin:
    @pytest.fixture
    def given_up(self, run_tasks, clock, failing):
        failing(10)
        queue(flaky, "mail")
        for _ in range(4):
            run_tasks()
            clock(minutes=10)
        return DBTaskResult.objects.get()

    def test_editors_see_a_failed_job_with_its_attempts_and_error(self, client, given_up):
        client.force_login(make_staff("Editors"))
        index = client.get(reverse("admin:index")).text
        assert "Background jobs" in index and JOBS in index
        page = client.get(JOBS, {"status__exact": "FAILED"})
        assert page.status_code == 200
        assert "flaky" in page.text and "4 of 4" in page.text
        assert "ConnectionRefusedError: mail: the server is down" in page.text
        detail = client.get(
            reverse("admin:django_tasks_database_dbtaskresult_change", args=[given_up.pk])
        )
        assert "Traceback" in detail.text

    def test_an_editor_runs_a_failed_job_again(self, client, given_up, run_tasks, failing):
        client.force_login(make_staff("Editors"))
        failing(0)
        response = client.post(JOBS, {"action": "run_again", "_selected_action": [given_up.pk]})
        assert response.status_code == 302
        [job] = run_tasks()
        assert (job.status, job.return_value) == ("SUCCESSFUL", "mail: done")

    @pytest.mark.parametrize("role", ["Writers", "Moderators"])
    def test_other_roles_do_not_see_jobs(self, client, given_up, role):
        client.force_login(make_staff(role))
        assert "Background jobs" not in client.get(reverse("admin:index")).text
        assert client.get(JOBS).status_code == 403

    def test_nobody_adds_edits_or_deletes_a_job(self, client, given_up):
        client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
        change = reverse("admin:django_tasks_database_dbtaskresult_change", args=[given_up.pk])
        assert (
            client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
        )
        client.post(change, {"status": "SUCCESSFUL"})
        assert DBTaskResult.objects.get().status == "FAILED"


REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture
def rq_queue(settings):
    """The Redis queue (RQ) as production has it with REDIS_URL, emptied before and after."""
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "QUEUE_CLASS": "core.tasks.RetryingQueue"}}
    rq_queue = django_rq.get_queue("default")
    forget_rq_jobs(rq_queue.connection)
    yield rq_queue
    forget_rq_jobs(rq_queue.connection)


def forget_rq_jobs(redis):
    """RQ's keys only: the same Redis database holds the cache of tests running beside."""
    for key in redis.scan_iter("rq:*"):
        redis.delete(key)


def run_rq_jobs(rq_queue):
    """An RQ worker in this process, until the queue is empty (the signals it takes over
    are given back)."""
    import signal

    from django_tasks_rq import Job
    from rq import SimpleWorker

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (CI runs it with Redis)")
def test_with_redis_rq_retries_a_failing_job_with_the_tasks_backoff(
    rq_queue, failing, django_capture_on_commit_callbacks
):
    from rq.registry import ScheduledJobRegistry
    from rq.scheduler import RQScheduler

    failing(1)
    with django_capture_on_commit_callbacks(execute=True) as sent, transaction.atomic():
        queue(flaky, "mail")
        assert rq_queue.count == 0  # sent to Redis only once the transaction commits
    assert len(sent) == 1 and rq_queue.count == 1
    [job_id] = rq_queue.job_ids
    run_rq_jobs(rq_queue)

    result = flaky.get_result(job_id)
    assert result.status == "READY"  # waiting for its retry
    job = rq_queue.fetch_job(job_id)
    assert (job.retries_left, job.retry_intervals) == (2, [60, 120, 240])  # 3 retries in all
    scheduled = ScheduledJobRegistry(queue=rq_queue)
    retry_at = scheduled.get_scheduled_time(job)
    assert timedelta(seconds=55) < retry_at - timezone.now() <= timedelta(seconds=60)

    scheduled.schedule(job, timezone.now() - timedelta(seconds=1))  # its time has come
    scheduler = RQScheduler([rq_queue], connection=rq_queue.connection)
    scheduler.acquire_locks()
    scheduler.enqueue_scheduled_jobs()
    scheduler.release_locks()
    run_rq_jobs(rq_queue)
    result = flaky.get_result(job_id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", "mail: done")
    assert failures_left["count"] == 0  # it did fail once before


@background_task(attempts=1)
def doomed():
    raise ConnectionRefusedError("the server is gone for good")


@pytest.mark.skipif(
    "django_rq" not in settings.INSTALLED_APPS, reason="needs REDIS_URL (CI runs it with Redis)"
)
def test_with_redis_a_job_that_gave_up_is_shown_in_the_admins_rq_dashboard(client, rq_queue):
    result = doomed.enqueue()
    run_rq_jobs(rq_queue)
    assert doomed.get_result(result.id).status == "FAILED"
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    assert "Django-RQ" in client.get(reverse("admin:index")).text
    page = client.get(reverse("admin:django_rq_failed_jobs", args=[0]))
    assert page.status_code == 200 and result.id in page.text


@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (CI has it)")
def test_with_redis_the_web_server_and_the_worker_run_as_one_command(tmp_path):
    run_as_one_command(tmp_path, "redis")
