"""What keeps the web app safe to expose: security headers, same-origin checks, signed
voter ids, a per-client rate limit, and one server per state folder.

Every response (pages, JSON, static files, errors, even the ones the server's last-resort
error handler writes) carries the headers in :data:`HEADERS`; the Content-Security-Policy
allows scripts, styles, images and requests from the app's own origin only, so no inline
script or style runs and no other site may frame a page.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionscope.errors import InputError

#: Same origin only: no inline script or style, no plug-ins, no framing by other sites.
#: ``data:`` images are Swagger UI's icons (inline SVG in its stylesheet).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]


class SecurityHeaders:
    """ASGI middleware: add :data:`HEADERS` to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _RAW if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(request: Request, base_url: str | None = None) -> bool:
    """False for a request a browser sent from another site (a cross-site form or script).

    Browsers send ``Origin`` with every cross-origin POST, and ``Sec-Fetch-Site`` with
    every request; a client that sends neither is no browser, so it carries no other
    site's cookies and is judged by the voter id alone. The site's origin is the host the
    request was sent to, or the configured public ``base_url`` (behind a reverse proxy).
    """
    origin = request.headers.get("origin")
    if origin is not None:
        if origin == "null":
            return False
        if base_url and origin.lower() == base_url.strip().rstrip("/").lower():
            return True
        return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Signer:
    """Server-issued voter ids: a random part and its HMAC under a key kept in the state
    folder (created on first start, readable by the server's user only)."""

    PREFIX = "v1"

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def in_folder(cls, folder: Path) -> Signer:
        path = folder / "voter.key"
        try:
            if not path.exists():
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    out.write(secrets.token_bytes(32))
            key = path.read_bytes()
        except OSError:
            key = b""
        # an unreadable or truncated key: ids issued now last until the server restarts
        return cls(key if len(key) >= 32 else secrets.token_bytes(32))

    def _mac(self, text: str) -> str:
        digest = hmac.new(self._key, text.encode(), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue(self) -> str:
        body = f"{self.PREFIX}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._mac(body)}"

    def valid(self, token: str | None) -> bool:
        if not token or len(token) > 80 or token.count(".") != 2:
            return False
        body, _, mac = token.rpartition(".")
        return body.startswith(self.PREFIX + ".") and hmac.compare_digest(mac, self._mac(body))

    def pseudonym(self, address: str) -> str:
        """A keyed hash of a client address: counts votes per address without storing it."""
        return self._mac("address:" + address)


class RateLimiter:
    """At most ``limit`` requests per client in any ``window`` seconds (a sliding window).

    Memory is bounded: at most ``clients`` addresses are tracked, the least recently seen
    forgotten first.
    """

    def __init__(self, limit: int, window: float, clients: int = 10_000) -> None:
        self.limit, self.window, self.clients = limit, window, clients
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Record a request; 0 when it is within the limit, else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            self._seen[client] = times
            while len(self._seen) > self.clients:
                self._seen.popitem(last=False)
            if len(times) >= self.limit:
                return max(1, int(times[0] + self.window - now + 0.999))
            times.append(now)
            return 0


class StateInUse(InputError):
    """Another running server holds the state folder."""

    code = "state_in_use"


class StateLock:
    """An exclusive lock on the state folder, held while the server runs.

    Two servers on one folder would share the poll database and the screened files; the
    second is refused at start with a message that says which process holds the folder.
    The lock is the operating system's (``flock``): it goes when the process ends, even
    when the process is killed.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "server.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(self._fd, 32, 0).decode(errors="replace").strip() or "unknown"
            self.release()
            raise StateInUse(
                "state_dir",
                str(folder),
                f"is in use by another running sanctionscope server (process {holder}); "
                "stop that server or give this one a state folder of its own",
            ) from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def __del__(self) -> None:
        self.release()
