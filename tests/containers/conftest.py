"""Fixtures of the container tests: the engine (podman's Docker API, started here and stopped by
pid), one Scope of names per test (its containers, networks and volumes are removed afterwards), and
a LOUD skip of every engine test when the engine is not usable on this machine.
"""
import sys
import tempfile

import pytest

import engine as eng

UNUSABLE = eng.unusable_reason()
BANNER = "\n".join([
    "",
    "!" * 78,
    "!!! CONTAINER TESTS SKIPPED: %s" % UNUSABLE,
    "!!! Nothing under tests/containers ran against a container engine.",
    "!" * 78,
    "",
])


def pytest_collection_modifyitems(config, items):
    if UNUSABLE is None:
        return
    mark = pytest.mark.skip(reason="CONTAINER ENGINE NOT USABLE: %s" % UNUSABLE)
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(mark)
    sys.stderr.write(BANNER)


def pytest_terminal_summary(terminalreporter):
    if UNUSABLE is not None:
        terminalreporter.write_line(BANNER, red=True, bold=True)


@pytest.fixture(scope="session")
def engine():
    with tempfile.TemporaryDirectory(prefix="zkinit-engine-") as rundir:
        e = eng.Engine(rundir)
        try:
            yield e
        finally:
            e.stop()


@pytest.fixture
def scope(engine):
    s = eng.Scope(engine)
    try:
        yield s
    finally:
        s.cleanup()
