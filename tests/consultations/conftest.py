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
def _fresh_analysis_throttle():
    """The analysis throttle remembers consultations per process: forget them between tests."""
    from ruche.consultations import tasks

    tasks._scheduled_until.clear()
    yield
    tasks._scheduled_until.clear()
