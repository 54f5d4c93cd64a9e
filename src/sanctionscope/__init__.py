"""sanctionscope: international sanctions and countermeasures as computable, cited law.

Periods are half-open ``[start, end)`` in calendar days everywhere in this package
(see :mod:`sanctionscope.periods`).
"""

__version__ = "0.1.0"
