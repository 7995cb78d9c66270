"""Capturing the application's log in tests."""
import logging

import pytest


@pytest.fixture
def captured_log(caplog, monkeypatch):
    """caplog at INFO for every logger, the engine's statement log included (as with echo on).

    The migrations' fileConfig, run at the start of the suite, disables the loggers that existed then (every
    module's `log`); they are enabled again for the test.
    """
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and logger.disabled:
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog
