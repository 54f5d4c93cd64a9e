"""Code prefixes asked about from both sides, and values derived once per spec."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sanctionscope.codes import has_under, significant

T = TypeVar("T")


class Prefixes:
    """Code prefixes (significant digits), asked whether a code lies under one of them or
    one of them lies under the code."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.prefixes = frozenset(map(significant, codes))
        self._ordered = sorted(self.prefixes)

    def above(self, key: str) -> bool:
        """Is some prefix a head of ``key`` (the code lies under it)?"""
        return any(key[:n] in self.prefixes for n in range(len(key) + 1))

    def under(self, key: str) -> bool:
        """Does some prefix lie strictly or exactly under ``key`` (sorted: one bisect)?"""
        return has_under(self._ordered, key)


#: Values derived from specs, by spec and name (specs are immutable; the spec is kept
#: with its values so that an id reused after it is gone is not mistaken for it).
_DERIVED: dict[tuple[int, str], tuple[object, Any]] = {}


def per_spec(spec: object, name: str, build: Callable[[], T]) -> T:
    found = _DERIVED.get((id(spec), name))
    if found is None or found[0] is not spec:
        found = _DERIVED[(id(spec), name)] = (spec, build())
    return found[1]
