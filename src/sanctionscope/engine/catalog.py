"""The engine's entry point: a data set plus compiled indexes, one per set of known acts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sanctionscope.codes import user_code
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.check import check
from sanctionscope.engine.compile import Index, compile_index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, Side, staleness_key
from sanctionscope.errors import InputError
from sanctionscope.model.dataset import Dataset

if TYPE_CHECKING:
    from sanctionscope.engine.kernel import Kernel

#: as-known-on days whose index is kept at hand
_VIEWS = 1024
#: batch kernels kept (each holds tables of megabytes; the oldest built goes first)
_KERNELS = 4


class Catalog:
    """Answers questions over one data set; compiles lazily and caches by known acts."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._indexes: dict[frozenset[str], Index] = {}
        self._kernels: dict[tuple[frozenset[str], int, tuple[bool, ...], Side], Kernel] = {}
        #: the index for each as-known-on day asked (bounded: a server is asked many days)
        self._views: dict[date, Index] = {}
        #: True when something was compiled since the catalog was made or snapshotted
        self.grown = False
        #: reads the kernels stored apart from a snapshot, on first need (set by the
        #: snapshot: commands that answer one question never load the kernels' tables)
        self.kernel_loader: Callable[[], dict[Any, Kernel]] | None = None

    @property
    def version(self) -> str:
        return self.dataset.version

    def index(self, as_known_on: date) -> Index:
        """The index of the acts published on or before ``as_known_on``."""
        view = self._views.get(as_known_on)
        if view is not None:
            return view
        known = self.known(as_known_on)
        found = self._indexes.get(known)
        if found is None:
            found = self._indexes[known] = compile_index(self.dataset, as_known_on)
            self.grown = True
        if found.as_known_on != as_known_on:
            # the same acts known on another day: share the compiled index, tell the day
            found = replace(found, as_known_on=as_known_on)
        if len(self._views) >= _VIEWS:
            self._views.clear()
        self._views[as_known_on] = found
        return found

    def known(self, as_known_on: date) -> frozenset[str]:
        """The ids of the acts published on or before ``as_known_on``."""
        return frozenset(k for k, a in self.dataset.acts.items() if a.published <= as_known_on)

    def compiled(self, known: frozenset[str]) -> Index | None:
        """The index of exactly the acts ``known``, when compiled already."""
        return self._indexes.get(known)

    def kernel(
        self,
        as_known_on: date,
        grace_days: int = DEFAULT_GRACE_DAYS,
        side: Side = Side.both,
        eager: bool = False,
    ) -> Kernel:
        """The batch kernel over :meth:`index` (compiled once per index, grace period,
        set of declarations and surveys the as-known-on day is past the review of, and
        side asked). ``eager``: every place pair built now (``sanctionscope compile``),
        where a large data set would otherwise build the pairs a screen meets."""

        from sanctionscope.engine.kernel import Kernel  # numpy: only batch screening needs it

        index = self.index(as_known_on)
        stale = staleness_key(list(self.dataset.coverage.values()), as_known_on, grace_days)
        stale += staleness_key(list(self.dataset.surveys.values()), as_known_on, grace_days)
        key = (self.known(as_known_on), grace_days, stale, side)
        found = self.kernels().get(key)
        if found is None or (eager and found.lazy):
            if found is None and len(self._kernels) >= _KERNELS:  # a server asks many days
                del self._kernels[next(iter(self._kernels))]
            found = self._kernels[key] = Kernel(index, grace_days, as_known_on, side, eager)
            self.grown = True
        return found

    def kernels(self) -> dict[Any, Kernel]:
        """The batch kernels compiled so far, those stored with the snapshot included."""
        loader, self.kernel_loader = getattr(self, "kernel_loader", None), None
        if loader is not None:
            self._kernels = {**loader(), **self._kernels}
        return self._kernels

    def __getstate__(self) -> dict[str, object]:
        """What a snapshot keeps: the data set and what was compiled from it."""
        # the kernels are stored apart (snapshot.write): loading them is for screens only
        return {**self.__dict__, "grown": False, "_views": {}, "_kernels": {}, "kernel_loader": None}

    def resolve(self, text: str, field: str) -> str:
        return self.dataset.jurisdictions.resolve(text, field)

    def knows_code(self, code: str) -> bool:
        """True when the code's HS part exists in some edition of the nomenclature."""
        return self.dataset.nomenclature.knows(code, None)

    def code(self, text: str, field: str, restore_leading_zeros: bool = False) -> tuple[str, str | None]:
        """A user's code: (code, code as written when a leading zero was restored), or
        InputError (LeadingZeroLost for 3, 5 or 7 digits, naming the likely code)."""
        return user_code(text, field, self.knows_code, restore_leading_zeros)

    def question(
        self,
        origin: str,
        destination: str,
        hs: str,
        day: date,
        as_known_on: date | None = None,
        attest: tuple[str, ...] = (),
        restore_leading_zeros: bool = False,
        grace_days: int = DEFAULT_GRACE_DAYS,
    ) -> Question:
        """Normalise raw user input into a Question, or raise InputError naming the field.

        A code of 3, 5 or 7 digits is refused (a lost leading zero) unless
        ``restore_leading_zeros``: then it is read with the zero and the answer says so.
        """
        known = as_known_on or date.today()
        origin, destination = self.resolve(origin, "origin"), self.resolve(destination, "destination")
        code, as_written = self.code(hs, "hs", restore_leading_zeros)
        return Question(
            origin, destination, code, day, known, tuple(attest), grace_days, code_as_written=as_written
        )

    def check(self, q: Question) -> Answer:
        if not isinstance(q.day, date):
            raise InputError("date", q.day, "is not a date")
        return check(self.index(q.as_known_on), q)
