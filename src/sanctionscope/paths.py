"""Where the embedded data lives (a module of its own so commands can find the data
without importing the YAML loader)."""

from __future__ import annotations

import os
from pathlib import Path

#: The data embedded with the project (repository checkout or installed tree).
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data"


def default_data_dir() -> Path:
    """The data directory: ``SANCTIONSCOPE_DATA`` when set, else the embedded data."""
    return Path(os.environ.get("SANCTIONSCOPE_DATA", DEFAULT_DATA))
