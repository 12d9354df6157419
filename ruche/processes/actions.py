"""Every write on processes and their phases. Each `do_*` runs in a transaction."""

from django.db import transaction
from django.db.models import F, Max

from ruche.core.actions import save_fields
from ruche.processes.models import Phase, Process

PROCESS_FIELDS = {"title", "question", "context", "visibility"}
PHASE_FIELDS = {"title", "description", "starts_on", "ends_on"}


@transaction.atomic
def do_create_process(
    organisation, *, title: str, question: str, context: str, visibility: str, created_by
) -> Process:
    """Create a process as a draft: only facilitators see it until it is opened."""
    return Process.objects.create(
        organisation=organisation,
        title=title,
        question=question,
        context=context,
        visibility=visibility,
        created_by=created_by,
    )


@transaction.atomic
def do_update_process(process: Process, **fields) -> Process:
    """Change the process's texts or visibility (safe to retry)."""
    return save_fields(process, PROCESS_FIELDS, fields)


@transaction.atomic
def do_set_status(process: Process, status: str) -> Process:
    """Move the process to `status` (idempotent); any status may follow any other."""
    if status not in Process.Status.values:
        raise ValueError(f"Unknown process status {status!r}")
    if process.status != status:
        process.status = status
        process.save(update_fields=["status", "updated_at"])
    return process


@transaction.atomic
def do_add_phase(process: Process, *, title: str, description: str = "", starts_on, ends_on):
    """Add a phase after the last one."""
    # Lock the process row so two concurrent additions do not take the same position.
    Process.objects.select_for_update().filter(pk=process.pk).first()
    last = Phase.objects.filter(process=process).aggregate(last=Max("position"))["last"]
    return Phase.objects.create(
        process=process,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        position=(last or 0) + 1,
    )


@transaction.atomic
def do_update_phase(phase: Phase, **fields) -> Phase:
    """Change a phase's title, description or dates (safe to retry)."""
    return save_fields(phase, PHASE_FIELDS, fields)


def _park(phases):
    """Move phases out of the way of the unique (process, position) constraint."""
    offset = 1_000_000
    Phase.objects.filter(pk__in=[p.pk for p in phases]).update(position=F("position") + offset)


@transaction.atomic
def do_move_phase(phase: Phase, delta: int) -> Phase:
    """Swap the phase with its neighbour `delta` places away (-1 up, +1 down).

    Moving the first phase up or the last one down changes nothing.
    """
    Process.objects.select_for_update().filter(pk=phase.process_id).first()
    phase = Phase.objects.get(pk=phase.pk)
    siblings = list(Phase.objects.filter(process_id=phase.process_id).order_by("position"))
    index = next(i for i, p in enumerate(siblings) if p.pk == phase.pk)
    target = index + delta
    if delta == 0 or not 0 <= target < len(siblings):
        return phase
    other = siblings[target]
    _park([phase, other])
    Phase.objects.filter(pk=phase.pk).update(position=other.position)
    Phase.objects.filter(pk=other.pk).update(position=phase.position)
    phase.refresh_from_db()
    return phase


@transaction.atomic
def do_delete_phase(phase: Phase) -> None:
    """Delete the phase and renumber the others 1, 2, 3… (deleting twice is harmless)."""
    Process.objects.select_for_update().filter(pk=phase.process_id).first()
    Phase.objects.filter(pk=phase.pk).delete()
    remaining = list(Phase.objects.filter(process_id=phase.process_id).order_by("position"))
    _park(remaining)
    for number, other in enumerate(remaining, start=1):
        Phase.objects.filter(pk=other.pk).update(position=number)
