"""The engine's entry point: a data set plus compiled indexes, one per set of known acts."""

from __future__ import annotations

from datetime import date

from sanctionscope.codes import normalise_code
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.check import check
from sanctionscope.engine.compile import Index, compile_index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS
from sanctionscope.engine.kernel import Kernel
from sanctionscope.errors import InputError
from sanctionscope.model.dataset import Dataset


class Catalog:
    """Answers questions over one data set; compiles lazily and caches by known acts."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._indexes: dict[frozenset[str], Index] = {}
        self._kernels: dict[tuple[int, int], Kernel] = {}

    @property
    def version(self) -> str:
        return self.dataset.version

    def index(self, as_known_on: date) -> Index:
        """The index of the acts published on or before ``as_known_on``."""
        known = frozenset(k for k, a in self.dataset.acts.items() if a.published <= as_known_on)
        found = self._indexes.get(known)
        if found is None:
            found = self._indexes[known] = compile_index(self.dataset, as_known_on)
        return found

    def kernel(self, as_known_on: date, grace_days: int = DEFAULT_GRACE_DAYS) -> Kernel:
        """The batch kernel over :meth:`index` (compiled once per index and grace period)."""
        index = self.index(as_known_on)
        key = (id(index), grace_days)
        found = self._kernels.get(key)
        if found is None:
            found = self._kernels[key] = Kernel(index, grace_days)
        return found

    def resolve(self, text: str, field: str) -> str:
        return self.dataset.jurisdictions.resolve(text, field)

    def question(
        self,
        origin: str,
        destination: str,
        hs: str,
        day: date,
        as_known_on: date | None = None,
        attest: tuple[str, ...] = (),
    ) -> Question:
        """Normalise raw user input into a Question, or raise InputError naming the field."""
        known = as_known_on or date.today()
        return Question(
            self.resolve(origin, "origin"),
            self.resolve(destination, "destination"),
            normalise_code(hs, "hs"),
            day,
            known,
            tuple(attest),
        )

    def check(self, q: Question) -> Answer:
        if not isinstance(q.day, date):
            raise InputError("date", q.day, "is not a date")
        return check(self.index(q.as_known_on), q)
