"""The autouse log guard (conftest.log_guard) run on tests of its own, in a pytest of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

INNER = """
import pytest
from loguru import logger

from bot.i18n import Translator
from tests.conftest import log_guard


def test_quiet() -> None:
    logger.warning("only a warning")


def test_unexpected() -> None:
    logger.error("Send of prompt failed")


@pytest.mark.expect_errors("Send of .* failed")
def test_declared() -> None:
    logger.error("Send of prompt failed")


@pytest.mark.expect_errors("Send of .* failed")
def test_declared_but_absent() -> None:
    pass


@pytest.mark.expect_errors(".*")
def test_missing_text() -> None:
    assert Translator("ru")("ru", "no-such-key") == "no-such-key"
    logger.error("anything")


def test_exception() -> None:
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("Handler failed")


def test_sinks_removed() -> None:
    logger.remove()
"""


def test_the_guard_fails_what_it_should(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_inner=INNER)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    outcomes = result.parseoutcomes()
    # A test the guard fails has passed its body and errs at teardown.
    assert (outcomes["passed"], outcomes["errors"]) == (7, 5), result.stdout.str()
    result.stdout.fnmatch_lines_random(
        [
            "*ERROR at teardown of test_unexpected*",
            "*unexpected ERROR: Send of prompt failed",
            "*expected ERROR never logged: Send of .* failed",
            "*text not made: Missing locale key no-such-key",
            "*unexpected ERROR: Handler failed (ZeroDivisionError: division by zero)",
            "*loguru's sinks were removed during the test*",
        ]
    )
    assert "test_quiet" not in result.stdout.str()
    assert "test_declared -" not in result.stdout.str()
