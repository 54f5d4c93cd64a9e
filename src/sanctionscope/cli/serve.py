"""`serve`: the HTTP API and the web app."""

from __future__ import annotations

from pathlib import Path

import typer

from sanctionscope.cli.common import DataOpt, app, catalog_for, out, run


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
        app_ = create_app(catalog_for(data), state_dir)
        out.print(
            f"sanctionscope: serving on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops",
            highlight=False,
        )
        uvicorn.run(app_, host=host, port=port, log_level="warning")

    run(body)
