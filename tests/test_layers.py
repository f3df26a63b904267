"""The layers of bot/ and no import cycles, as pyproject.toml's import-linter contracts say."""

from __future__ import annotations

import logging
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    # lint_imports configures logging (dictConfig), which disables every logger that exists
    # already (PTB's, httpx's, ours): give them back, or a later test sees no log records
    loggers = [
        x for x in logging.Logger.manager.loggerDict.values() if isinstance(x, logging.Logger)
    ]
    disabled = {logger: logger.disabled for logger in loggers}
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        for logger, was in disabled.items():
            logger.disabled = was
