"""Fixtures.

Two data sets are used: the embedded one (``data/``, the real acts, for the legal cases)
and ``fixtures/mini`` (three synthetic acts that exercise every engine rule in
miniature, so engine semantics are tested independently of the research data).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine.answer import Answer
from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import DEFAULT_DATA, load_dataset

MINI = Path(__file__).parent / "fixtures" / "mini"

# Compiled snapshots written by the commands under test go to a folder of the test run,
# never to the user's cache (subprocesses inherit it).
os.environ.setdefault("SANCTIONSCOPE_CACHE", tempfile.mkdtemp(prefix="sanctionscope-cache-"))

Ask = Callable[..., Answer]


@pytest.fixture(scope="session")
def real() -> Catalog:
    return Catalog(load_dataset(DEFAULT_DATA))


@pytest.fixture(scope="session")
def mini() -> Catalog:
    return Catalog(load_dataset(MINI))


def _asker(catalog: Catalog) -> Ask:
    def ask(
        origin: str,
        hs: str,
        day: str,
        destination: str = "RU",
        known: str | None = None,
        attest: tuple[str, ...] = (),
    ) -> Answer:
        q = catalog.question(
            origin,
            destination,
            hs,
            date.fromisoformat(day),
            date.fromisoformat(known) if known else None,
            attest,
        )
        return catalog.check(q)

    return ask


@pytest.fixture(scope="session")
def ask(real: Catalog) -> Ask:
    return _asker(real)


@pytest.fixture(scope="session")
def ask_mini(mini: Catalog) -> Ask:
    return _asker(mini)
