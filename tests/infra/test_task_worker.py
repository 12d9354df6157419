"""The real task queue (TASKS["queue"]): a task waits until a worker runs it.

The "queue" backend is the database queue without REDIS_URL and RQ with it; the worker is the
one `ruche worker` starts (db_worker, or rqworker with django_tasks_rq.Job), run once in this
process (RQ's SimpleWorker does not fork) so the locmem outbox sees the email.
"""

import signal

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus, task_backends
from django_tasks_rq import RQBackend

from ruche.accounts.tasks import send_invitation_email
from tests.factories import InvitationFactory

SITE_ROOT = "https://ruche.example.gouv.fr/"
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def queued_task():
    """send_invitation_email bound to the real queue backend, on an empty queue."""
    if isinstance(task_backends["queue"], RQBackend):
        import django_rq

        django_rq.get_queue("default").empty()
    return send_invitation_email.using(backend="queue")


@pytest.fixture
def restore_signal_handlers():
    """Workers install their own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {signum: signal.getsignal(signum) for signum in WORKER_SIGNALS}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def run_worker_once() -> None:
    """Run the configured worker until the queue is empty, then return."""
    if isinstance(task_backends["queue"], RQBackend):
        call_command(
            "rqworker",
            "--burst",
            "--worker-class",
            "rq.worker.SimpleWorker",
            "--job-class",
            "django_tasks_rq.Job",
            "--with-scheduler",
            "default",
            verbosity=0,
        )
    else:
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "queue",
            "--queue-name",
            "default",
            "--no-startup-delay",
            verbosity=0,
        )


@pytest.mark.django_db(transaction=True)
def test_invitation_email_waits_for_the_worker_then_is_sent(
    queued_task, restore_signal_handlers, mailoutbox
):
    """Enqueued on the real queue backend, send_invitation_email stays pending and sends no
    email until a worker runs; one worker run sends the invitation and marks the task done."""
    invitation = InvitationFactory()

    result = queued_task.enqueue(str(invitation.pk), SITE_ROOT)

    assert result.backend == "queue"
    result.refresh()
    assert result.status == TaskResultStatus.READY
    assert mailoutbox == []

    run_worker_once()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == "sent"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [invitation.email]
    assert SITE_ROOT in email.body
    assert invitation.organisation.name in email.body


@pytest.mark.django_db(transaction=True)
def test_deferred_analysis_runs_once_due(restore_signal_handlers):
    """A consultation's throttled analysis is enqueued for later (run_after): a worker run
    before it is due leaves it waiting; once due, the worker computes and stores it."""
    import datetime
    import time

    from django.utils import timezone

    from ruche.consultations.models import AnalysisResult
    from ruche.consultations.tasks import analyze_consultation
    from tests.factories import StatementFactory, VoteFactory

    if isinstance(task_backends["queue"], RQBackend):
        import django_rq

        django_rq.get_queue("default").empty()
    statement = StatementFactory()
    VoteFactory(statement=statement)
    due = timezone.now() + datetime.timedelta(seconds=2)
    result = analyze_consultation.using(backend="queue", run_after=due).enqueue(
        str(statement.consultation_id)
    )
    run_worker_once()
    assert not AnalysisResult.objects.exists()
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.5)
    run_worker_once()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert AnalysisResult.objects.get(kind="opinions").n_votes == 1
