"""Screen results in the state folder: staged while screening, kept once published.

A screen works in ``staging/<token>``; only when it succeeds is the folder moved to
``screens/<token>`` and older results removed, so a failed or refused upload never
pushes out anyone's result. After each publication exactly the newest ``keep_results``
are kept (fewer when their bytes would not fit the quota). The whole state folder counts
against the quota: kept results may use the quota less the room reserved for the screens
that may be in progress (each at most an upload and its outputs), so a new screen always
finds room without removing a result first.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
import time
from pathlib import Path

from sanctionscope.web.limits import Limits

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
#: Staging folders older than this were left by a server that stopped mid-screen.
STALE_SECONDS = 24 * 3600


class NoRoom(Exception):
    """The state folder or the disk cannot take another screen now."""


class Results:
    def __init__(self, state: Path, limits: Limits) -> None:
        self.state, self.limits = Path(state), limits
        self.screens, self.staging = self.state / "screens", self.state / "staging"
        self.screens.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        now = time.time()
        for left in self.staging.iterdir():
            if now - left.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(left, ignore_errors=True)
        with self._lock:
            self._trim(None)  # results kept under other limits: trimmed to these

    def stage(self) -> Path:
        """A new, empty staging folder (its name is the result's token), or NoRoom."""
        need = self.limits.per_screen
        with self._lock:
            if tree_bytes(self.state) + need > self.limits.state_quota_bytes:
                raise NoRoom("the state folder is full")
            if shutil.disk_usage(self.state).free < need:
                raise NoRoom("the disk is full")
            folder = self.staging / secrets.token_urlsafe(18)
            folder.mkdir()
        return folder

    def discard(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def publish(self, folder: Path) -> str:
        """Move a finished screen to the kept results, then trim them; its token."""
        with self._lock:
            kept = self.screens / folder.name
            os.replace(folder, kept)
            stamp = time.time_ns()
            os.utime(kept, ns=(stamp, stamp))
            self._trim(kept)
        return kept.name

    def folder(self, token: str) -> Path | None:
        """The kept result under ``token``, if any."""
        found = self.screens / token
        return found if TOKEN.match(token) and found.is_dir() else None

    def tokens(self) -> list[str]:
        """The kept results, oldest first."""
        return [p.name for p in self._kept()]

    def _kept(self) -> list[Path]:
        found = [p for p in self.screens.iterdir() if p.is_dir()]
        return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def _trim(self, newest: Path | None) -> None:
        kept = self._kept()
        sizes = {p: tree_bytes(p) for p in kept}
        others = tree_bytes(self.state) - sum(sizes.values()) - tree_bytes(self.staging)
        budget = self.limits.results_budget - others
        total = sum(sizes.values())
        for old in kept:
            if old == newest or (len(kept) <= self.limits.keep_results and total <= budget):
                break
            shutil.rmtree(old, ignore_errors=True)
            kept = [p for p in kept if p != old]
            total -= sizes[old]


def tree_bytes(root: Path) -> int:
    """Bytes of the files under ``root`` (files that vanish meanwhile count as empty)."""
    total = 0
    for folder, _, names in os.walk(root):
        for name in names:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total
