"""A bounded memo for answers keyed by day (a long-running server is asked about ever more days)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded memo that keeps what is in use.

    Entries go to a young generation; when it holds ``size`` entries it becomes the old
    one (the previous old one is dropped), and an entry read from the old generation
    moves back to the young one. So at most ``2 * size`` entries are kept, a recent entry
    costs one dict lookup, and threads may share it (each step is one dict operation;
    at worst an answer is computed twice). Plain data: it pickles with its owner.
    """

    __slots__ = ("_old", "_young", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def get(self, key: K) -> V | None:
        found = self._young.get(key)
        if found is None:
            found = self._old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key``; returns ``value``."""
        if len(self._young) >= self.size:
            self._old, self._young = self._young, {}
        self._young[key] = value
        return value

    def get_or_make(self, key: K, make: Callable[..., V], *args: Any) -> V:
        """The value for ``key``, made by ``make(*args)`` and remembered when missing
        (arguments rather than a closure: a hot lookup need not build one per call)."""
        found = self.get(key)
        return self.put(key, make(*args)) if found is None else found
