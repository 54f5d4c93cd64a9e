"""`make run` installs the core and the `web` extra only: the web app must start and serve
every page with nothing else installed. A child process refuses to import the packages
that only the other extras bring (as a fresh `pip install '.[web]'` would lack them)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the test client itself needs httpx (a dev dependency); the app must not
CLIENT = {"httpx"}


def _names(requirements: list[str]) -> set[str]:
    out = set()
    for req in requirements:
        name = req.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip()
        out.add(name.lower().replace("-", "_"))
    return out


def _other_extras_only() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    served = _names(project["dependencies"]) | _names(extras["web"])
    others = set().union(*(_names(v) for k, v in extras.items() if k != "web"))
    # stubs and command-line tools are never imported
    return {n for n in others - served - CLIENT if not n.startswith("types_") and n != "ruff"}


PAGES = [
    "/",
    "/business",
    "/research",
    "/research/sections",
    "/research/country?country=JP",
    "/research/who.csv",
    "/students",
    "/acts",
    "/coverage",
    "/v1/check?origin=JP&destination=RU&hs=0808&date=2014-08-10",
    "/v1/who?on=2014-08-10",
    "/v1/network?on=2014-08-10",
    "/v1/map?focus=RU&on=2014-08-10",
    "/docs",
]


def test_the_web_app_serves_every_page_with_the_web_extra_only(tmp_path: Path) -> None:
    blocked = sorted(_other_extras_only())
    assert {"matplotlib", "weasyprint", "pyspark", "polars"} <= set(blocked)  # the refusal bites
    code = f"""
import importlib.abc, json, sys
BLOCKED = set({blocked!r})
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not in the web extra)", name=name)
        return None
sys.meta_path.insert(0, Refuse())
from fastapi.testclient import TestClient
from sanctionscope.web.app import create_app
client = TestClient(create_app(state_dir={str(tmp_path)!r}))
print(json.dumps({{p: client.get(p).status_code for p in {PAGES!r}}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert statuses == dict.fromkeys(PAGES, 200)
