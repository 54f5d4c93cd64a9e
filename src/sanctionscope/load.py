"""The only module that reads data files: YAML acts, jurisdictions, nomenclature.

Loading runs in two passes (see :mod:`sanctionscope.validate` for the second): every
file is parsed and checked against its spec, and all problems are collected with file
and line before anything is raised.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sanctionscope.errors import DataError, Problem
from sanctionscope.model.acts import ActSpec
from sanctionscope.model.coverage import CoverageFileSpec, DeclarationSpec
from sanctionscope.model.dataset import Dataset, Location, Nomenclature, Path
from sanctionscope.model.jurisdictions import Jurisdictions, JurisdictionSpec
from sanctionscope.model.surveys import SurveySpec
from sanctionscope.paths import DEFAULT_DATA, default_data_dir
from sanctionscope.validate import validate_dataset

T = TypeVar("T", bound=BaseModel)
__all__ = ["DEFAULT_DATA", "default_data_dir", "load_dataset"]


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Yaml12Loader(_Base):  # type: ignore[valid-type, misc]
    """The safe loader (libyaml's when installed) with YAML 1.2 booleans, and days kept
    as text.

    YAML 1.1 reads ``NO`` (Norway), ``ON`` and ``YES`` as booleans, which would silently
    turn a country code into ``False``. Days stay text so that the specs parse them and
    an impossible day (2015-02-30) is reported with its file and line like any value.
    """


_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


def _line_map(node: yaml.Node, shown: str) -> dict[Path, int]:
    """Map every key path of a composed YAML document to its 1-based line; refuse
    aliases (a reused node), which would let one edit change facts in several places."""
    lines: dict[Path, int] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(node, ())]
    while stack:
        item, path = stack.pop()
        if id(item) in seen:
            line = item.start_mark.line + 1
            raise DataError(
                [Problem(shown, line, "YAML aliases (*name) are not allowed: write the value out")]
            )
        seen.add(id(item))
        lines.setdefault(path, item.start_mark.line + 1)
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                stack.append((value, sub))
        elif isinstance(item, yaml.SequenceNode):
            stack.extend((value, (*path, i)) for i, value in enumerate(item.value))
    return lines


def _text(path: FsPath, shown: str) -> str:
    """A data file's text, or DataError naming the file (missing, unreadable, not UTF-8)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError([Problem(shown, 1, f"cannot be read: {err.strerror or err}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        bad = raw[err.start : err.start + 1].hex()
        raise DataError([Problem(shown, line, f"is not UTF-8 text (byte 0x{bad})")]) from None


def read_yaml(path: FsPath, shown: str) -> tuple[Any, Location]:
    """Parse one YAML file (once: the line map and the values come from one composed
    document); raise DataError with file and line on any problem."""
    loader = Yaml12Loader(_text(path, shown))
    try:
        node = loader.get_single_node()
        lines = _line_map(node, shown) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise DataError([Problem(shown, line, f"YAML syntax: {err.problem}")]) from None
    except (yaml.YAMLError, ValueError) as err:
        raise DataError([Problem(shown, 1, f"YAML: {err}")]) from None
    finally:
        loader.dispose()
    return data, Location(shown, lines)


def _pydantic_problems(err: ValidationError, where: Location) -> list[Problem]:
    problems = []
    for item in err.errors():
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        dotted = ".".join(str(p) for p in loc) or "(file)"
        value = item.get("input")
        shown = "" if isinstance(value, dict | list) else f" (value {value!r})"
        problems.append(Problem(where.file, where.line(loc), f"{dotted}: {item['msg']}{shown}"))
    return problems


_UNION_TAGS = {
    "prolong",
    "end",
    "add_targets",
    "remove_targets",
    "add_lines",
    "remove_lines",
    "add_exceptions",
    "remove_exceptions",
    "suspend",
}


def _load_spec(path: FsPath, root: FsPath, spec: type[T], what: str) -> tuple[T, Location]:
    """Parse one data file into its spec; every problem names the file and line."""
    shown = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    data, where = read_yaml(path, shown)
    if not isinstance(data, dict):
        raise DataError([Problem(shown, 1, f"{what} must be a mapping of keys")])
    try:
        return spec.model_validate(data), where
    except ValidationError as err:
        raise DataError(_pydantic_problems(err, where)) from None


def load_act(path: FsPath, root: FsPath) -> tuple[ActSpec, Location]:
    act, where = _load_spec(path, root, ActSpec, "an act file")
    shown = where.file
    if act.id != path.stem:
        raise DataError(
            [
                Problem(
                    shown,
                    where.line(("id",)),
                    f"id {act.id!r} differs from the file name {path.stem!r}",
                )
            ]
        )
    return act, where


def load_coverage(path: FsPath, root: FsPath) -> tuple[CoverageFileSpec, Location]:
    return _load_spec(path, root, CoverageFileSpec, "a coverage file")


def coverage_files(root: FsPath) -> list[FsPath]:
    return sorted((root / "coverage").glob("*.yaml"))


def _load_declarations(
    root: FsPath, problems: list[Problem], hashed: list[tuple[str, Any]]
) -> tuple[dict[str, DeclarationSpec], dict[str, tuple[Location, Path]]]:
    found: dict[str, DeclarationSpec] = {}
    where_of: dict[str, tuple[Location, Path]] = {}
    for path in coverage_files(root):
        try:
            spec, where = load_coverage(path, root)
        except DataError as err:
            problems.extend(err.problems)
            continue
        hashed.append((where.file, spec.model_dump(mode="json")))
        for i, decl in enumerate(spec.declarations):
            if decl.id in found:
                other = where_of[decl.id][0].file
                problems.append(
                    Problem(
                        where.file,
                        where.line(("declarations", i, "id")),
                        f"declaration id {decl.id} also in {other}",
                    )
                )
                continue
            found[decl.id], where_of[decl.id] = decl, (where, ("declarations", i))
    return found, where_of


def load_survey(path: FsPath, root: FsPath) -> tuple[SurveySpec, Location]:
    """One survey file; its imposer must be the file's name (one file per imposer)."""
    survey, where = _load_spec(path, root, SurveySpec, "a survey file")
    if survey.imposer != path.stem:
        line = where.line(("imposer",))
        differs = f"imposer {survey.imposer!r} differs from the file name {path.stem!r}"
        raise DataError([Problem(where.file, line, differs)])
    return survey, where


def survey_files(root: FsPath) -> list[FsPath]:
    return sorted((root / "surveys").glob("*.yaml"))


def _load_surveys(
    root: FsPath, problems: list[Problem], hashed: list[tuple[str, Any]]
) -> tuple[dict[str, SurveySpec], dict[str, Location]]:
    found: dict[str, SurveySpec] = {}
    where_of: dict[str, Location] = {}
    for path in survey_files(root):
        try:
            spec, where = load_survey(path, root)
        except DataError as err:
            problems.extend(err.problems)
            continue
        hashed.append((where.file, spec.model_dump(mode="json")))
        found[spec.imposer], where_of[spec.imposer] = spec, where
    return found, where_of


def load_jurisdictions(root: FsPath) -> Jurisdictions:
    return _jurisdictions(root)[0]


def _jurisdictions(root: FsPath) -> tuple[Jurisdictions, Any, Location]:
    """The jurisdictions file, compiled, its values as written (for the version), and
    where each key was written."""
    path = root / "jurisdictions.yaml"
    data, where = read_yaml(path, str(path.relative_to(root.parent)))
    if not isinstance(data, dict):
        raise DataError([Problem(where.file, 1, "jurisdictions must be a mapping of keys")])
    try:
        return Jurisdictions(JurisdictionSpec.model_validate(data)), data, where
    except ValidationError as err:
        raise DataError(_pydantic_problems(err, where)) from None


def load_nomenclature(root: FsPath) -> Nomenclature:
    codes: dict[str, dict[str, str]] = {}
    path = root / "reference" / "hs_nomenclature_un_comtrade.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            codes.setdefault(row["hs_edition"], {})[row["code"]] = row["description"]
    return Nomenclature(codes)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def dataset_version(files: list[tuple[str, Any]]) -> str:
    """Content hash of the normalised data: the same facts give the same version,
    whatever the key order, comments or whitespace of the files."""
    digest = hashlib.sha256()
    for name, content in sorted(files, key=lambda item: item[0]):
        digest.update(name.encode())
        digest.update(json.dumps(content, sort_keys=True, default=_json_default).encode())
    return "sha256:" + digest.hexdigest()[:16]


def act_files(root: FsPath) -> list[FsPath]:
    return sorted((root / "acts").rglob("*.yaml"))


def load_dataset(root: FsPath | None = None, *, check: bool = True) -> Dataset:
    """Load and validate every data file under ``root``; raise DataError with all problems."""
    root = FsPath(root or default_data_dir()).resolve()
    if not (root / "acts").is_dir():
        raise DataError([Problem(str(root), 1, "no acts/ folder here: not a data directory")])
    problems: list[Problem] = []
    acts: dict[str, ActSpec] = {}
    locations: dict[str, Location] = {}
    hashed: list[tuple[str, Any]] = []
    for path in act_files(root):
        try:
            act, where = load_act(path, root)
        except DataError as err:
            problems.extend(err.problems)
            continue
        if act.id in acts:
            problems.append(Problem(where.file, 1, f"act id {act.id} also in {locations[act.id].file}"))
            continue
        acts[act.id], locations[act.id] = act, where
        hashed.append((where.file, act.model_dump(mode="json")))
    declarations, declared_where = _load_declarations(root, problems, hashed)
    surveys, surveys_where = _load_surveys(root, problems, hashed)
    try:
        jurisdictions, written, jurisdictions_where = _jurisdictions(root)
    except DataError as err:
        raise DataError([*problems, *err.problems]) from None
    hashed.append(("jurisdictions.yaml", written))
    dataset = Dataset(
        acts,
        locations,
        jurisdictions,
        load_nomenclature(root),
        dataset_version(hashed),
        declarations,
        declared_where,
        jurisdictions_where,
        surveys=surveys,
        surveys_where=surveys_where,
    )
    if check:
        problems.extend(validate_dataset(dataset, acts_loaded=not problems))
    if problems:
        raise DataError(problems)
    return dataset


@lru_cache(maxsize=4)
def cached_dataset(root: str) -> Dataset:
    """One parsed dataset per data directory for the life of the process."""
    return load_dataset(FsPath(root))
