import pytest

from tests.factories import ConsultationFactory, PhaseFactory, ProcessFactory, StatementFactory


@pytest.fixture
def consultation(db, organisation):
    """An open consultation of `organisation`, public, with three published statements."""
    process = ProcessFactory(organisation=organisation)
    consultation = ConsultationFactory(phase=PhaseFactory(process=process))
    for text in (
        "Le télétravail doit rester possible",
        "Les réunions sont trop longues",
        "Il faut former les managers",
    ):
        StatementFactory(consultation=consultation, text=text)
    return consultation


@pytest.fixture(autouse=True)
def _fresh_process_memory():
    """The analysis throttle and the rate limiter remember per process: reset between tests."""
    from ruche.consultations import tasks
    from ruche.core import ratelimit

    tasks._scheduled_until.clear()
    ratelimit.reset()
    yield
    tasks._scheduled_until.clear()
    ratelimit.reset()
