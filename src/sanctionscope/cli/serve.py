"""`serve`: the HTTP API and the web app."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import typer

from sanctionscope.cli.common import DataOpt, app, catalog_for, out, run
from sanctionscope.errors import InputError


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening, or InputError naming the port (in
    use) or the host (not an address of this machine). Binding before anything else is
    said means a busy port fails at once, with no "serving on" line printed first."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise InputError(
            "host", host, f"is not a host name or address this machine knows ({e.strerror})"
        ) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise InputError(
                "port",
                port,
                f"is in use on {host}: another program (perhaps another server) listens there; "
                "stop it, or choose another port with --port (make run PORT=8001)",
            ) from None
        if e.errno == errno.EACCES:
            raise InputError(
                "port", port, "needs privileges this user lacks; choose a port above 1023"
            ) from None
        raise InputError("host", host, f"cannot be listened on: {e.strerror}") from None
    sock.set_inheritable(True)
    return sock


@app.command(rich_help_panel="Batch and serving")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port."),
    state_dir: Path | None = typer.Option(
        None, "--state-dir", help="Uploads and poll database (default ./var)."
    ),
    data: Path | None = DataOpt,
) -> None:
    """Run the HTTP API and the web app (embedded data, no network needed)."""
    import uvicorn

    from sanctionscope.web.app import create_app

    def body() -> None:
        sock = listen(host, port)  # first: a busy port is an error before anything is said
        try:
            app_ = create_app(catalog_for(data), state_dir)
            out.print(
                f"sanctionscope: serving on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops",
                highlight=False,
            )
            server = uvicorn.Server(uvicorn.Config(app_, host=host, port=port, log_level="warning"))
            server.run(sockets=[sock])
        finally:
            sock.close()

    run(body)
