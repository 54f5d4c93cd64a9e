"""What one request may cost the server: upload, rows, cells, output, disk, workers.

Every limit has a default and an environment variable (``SANCTIONSCOPE_...``, read when
the app is created; sizes accept a ``K``, ``M`` or ``G`` suffix, binary); ``create_app``
also takes a :class:`Limits`. See ``docs/server-limits.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30
#: How users are told to screen what is too large for the server.
CLI_HINT = "screen it with the command line instead: sanctionscope screen FILE -o OUTPUT"


@dataclass(frozen=True)
class Limits:
    #: largest request body (the uploaded file and its form), bytes
    upload_bytes: int = 50 * MIB
    #: most rows screened in one request
    max_rows: int = 1_000_000
    #: largest result of one request (screened file and rejects), bytes
    max_output_bytes: int = 256 * MIB
    #: longest value of a cell, bytes
    max_cell_bytes: int = 64 * KIB
    #: most bytes in one column of an upload, its values written out as text
    max_column_bytes: int = 64 * MIB
    #: most bytes the whole state folder (results, uploads being screened, poll) may hold
    state_quota_bytes: int = 2 * GIB
    #: screen results kept (the newest; older ones are removed)
    keep_results: int = 50
    #: screens that run at once (each on one thread); as many more may wait their turn
    screen_workers: int = 2
    #: where permalinks start (``https://host``); None: links relative to the site
    base_url: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "base_url" and (not isinstance(value, int) or value < 1):
                raise ValueError(f"server limit {f.name} must be a positive whole number, not {value!r}")
        if self.base_url is not None:
            origin_of(self.base_url)
        least = (self.screen_workers + 1) * self.per_screen
        if self.state_quota_bytes < least:
            raise ValueError(
                f"state quota {self.state_quota_bytes:,} bytes is too small: it must hold a screen in "
                f"progress per worker and one result, at least {least:,}"
            )

    @property
    def per_screen(self) -> int:
        """The most disk one screen in progress may use (its upload and its outputs)."""
        return self.upload_bytes + self.max_output_bytes

    @property
    def results_budget(self) -> int:
        """The bytes kept results may use: the quota less room for the screens in progress."""
        return self.state_quota_bytes - self.screen_workers * self.per_screen

    def but(self, upload_bytes: int | None) -> Limits:
        """These limits, with another upload size when one is given."""
        return self if upload_bytes is None else replace(self, upload_bytes=upload_bytes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Limits:
        """The defaults, changed by ``SANCTIONSCOPE_<NAME>`` variables, then by ``overrides``."""
        env = os.environ if environ is None else environ
        found: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or not raw.strip():
                continue
            found[f.name] = raw.strip().rstrip("/") if f.name == "base_url" else _size(f.name, raw)
        found.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **found)  # type: ignore[arg-type]


ENV_PREFIX = "SANCTIONSCOPE_"


def _size(name: str, raw: str) -> int:
    text = raw.strip().upper().replace("_", "").removesuffix("B").removesuffix("I")
    scale = {"K": KIB, "M": MIB, "G": GIB}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.isdigit():
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a whole number (K, M or G allowed)")
    return int(digits) * scale


def origin_of(base_url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a base URL such as ``https://sanctionscope.example.org``."""
    parts = urlsplit(base_url.strip())
    plain = not (parts.path.strip("/") or parts.query or parts.fragment or "@" in parts.netloc)
    if parts.scheme not in ("http", "https") or not parts.netloc or not plain:
        raise ValueError(f"base URL {base_url!r} must be http(s)://host[:port], without a path")
    return parts.scheme, parts.netloc
