"""HTTP API (FastAPI) and web app (Jinja2, local static assets): thin layers over the engine."""
