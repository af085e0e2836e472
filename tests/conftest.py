"""Shared test setup."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point HOME and MPLCONFIGDIR at temp dirs so no test touches the user's files."""
    home = tmp_path / "home"
    mpl = tmp_path / "mplconfig"
    home.mkdir()
    mpl.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MPLCONFIGDIR", str(mpl))
