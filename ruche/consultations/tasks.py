"""Background analysis: recomputed after new votes or answers, at most every few seconds.

`request_analysis` is called on every vote; it enqueues one deferred run per consultation
and throttle window (the first vote of a window schedules a run at its end, which sees
every vote of the window). A run whose inputs have not changed since the last stored
result does nothing, so extra runs (several server processes, a retried task) are cheap.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from ruche.consultations import analysis
from ruche.consultations.models import AnalysisResult, Consultation

logger = logging.getLogger(__name__)

# Per process: when this process last scheduled a run, per consultation (saves a cache
# round trip on most votes).
_scheduled_until: dict[str, float] = {}


def request_analysis(consultation_id) -> None:
    """Schedule an analysis of the consultation unless one is already due in this window."""
    key = str(consultation_id)
    window = settings.RUCHE_ANALYSIS_THROTTLE_SECONDS
    now = time.monotonic()
    if _scheduled_until.get(key, 0) > now:
        return
    _scheduled_until[key] = now + window
    if not cache.add(f"consultations:analysis-due:{key}", 1, timeout=window):
        return  # another process scheduled it
    transaction.on_commit(lambda: _enqueue(key, window))


def _enqueue(consultation_id: str, window: float) -> None:
    run = analyze_consultation
    if run.get_backend().supports_defer and window > 0:
        run = run.using(run_after=timezone.now() + datetime.timedelta(seconds=window))
    try:
        run.enqueue(consultation_id)
    except Exception:  # the vote is saved; the next one will schedule again
        logger.exception("could not schedule the analysis of consultation %s", consultation_id)
        cache.delete(f"consultations:analysis-due:{consultation_id}")
        _scheduled_until.pop(consultation_id, None)


@task()
def analyze_consultation(consultation_id: str, force: bool = False) -> str:
    """Recompute opinion groups and themes when their inputs changed since the last run."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return "gone"
    done = []
    latest = {
        kind: AnalysisResult.objects.filter(consultation=consultation, kind=kind)
        .order_by("-computed_at")
        .values_list("input_marker", flat=True)
        .first()
        for kind in AnalysisResult.Kind.values
    }
    if force or latest[AnalysisResult.Kind.OPINIONS] != analysis.vote_marker(consultation):
        _run(analysis.compute_opinions, consultation, AnalysisResult.Kind.OPINIONS)
        done.append("opinions")
    if force or latest[AnalysisResult.Kind.THEMES] != analysis.answer_marker(consultation):
        _run(analysis.compute_themes, consultation, AnalysisResult.Kind.THEMES)
        done.append("themes")
    return ",".join(done) or "unchanged"


def _run(compute, consultation, kind) -> None:
    try:
        compute(consultation)
    except Exception as error:
        logger.exception("analysis %s failed for consultation %s", kind, consultation.pk)
        analysis.store_failure(consultation, kind, f"{type(error).__name__}: {error}")


@task()
def send_access_link(consultation_id: str, email: str, link: str) -> str:
    """Email the link that lets an address of an allowed domain take part."""
    consultation = Consultation.objects.select_related("phase__process__organisation").get(
        pk=consultation_id
    )
    context = {
        "consultation": consultation,
        "link": link,
        "max_age_hours": settings.RUCHE_ACCESS_LINK_MAX_AGE_HOURS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("consultations/email/access_subject.txt", context).strip()
        body = render_to_string("consultations/email/access_body.txt", context)
    send_mail(subject, body, None, [email])
    return "sent"
