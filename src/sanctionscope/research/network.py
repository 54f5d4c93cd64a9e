"""The sanctions network on a day, as a networkx graph, with metrics and a picture.

Nodes are jurisdictions as the acts name them (a bloc stays one node). Edges of a
``MultiDiGraph`` carry a ``relation``:

* ``sanction``: the imposer has measures in force against the target (``types`` lists
  the measure types, ``measures`` their ids);
* ``countermeasure``: the same, for measures taken in response to others;
  ``in_response_to`` lists the measures answered and ``answers`` the (imposer, target)
  pairs of those measures;
* ``spared``: from X to C when C sanctions X and X's countermeasures leave C out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from sanctionscope.engine.compile import Index
from sanctionscope.engine.relations import Relation, spared, who
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import ALL_PARTNERS

RELATIONS = ("sanction", "countermeasure", "spared")
COLOURS = {"sanction": "#4477aa", "countermeasure": "#ee6677", "spared": "#228833"}


def build(index: Index, day: date) -> nx.MultiDiGraph:
    jur = index.dataset.jurisdictions
    graph = nx.MultiDiGraph(on=day.isoformat(), dataset_version=index.version)
    relations = who(index, day)
    by_id = index.measures
    for r in relations:
        for node in (r.imposer, r.target):
            graph.add_node(node, name=jur.name(node), kind=jur.kind(node))
        answered = sorted({a for m in r.measures for a in m.spec.in_response_to})
        pairs = sorted(
            {
                f"{by_id[a].spec.imposer}->{t.jurisdiction}"
                for a in answered
                if a in by_id
                for t in by_id[a].targets
            }
        )
        graph.add_edge(
            r.imposer,
            r.target,
            key="countermeasure" if r.countermeasure else "sanction",
            relation="countermeasure" if r.countermeasure else "sanction",
            types=r.types,
            measures=[m.id for m in r.measures],
            in_response_to=answered,
            answers=pairs,
        )
    for x in sorted({r.imposer for r in relations if r.countermeasure}):
        for s in spared(index, x, day):
            if s.spared:
                graph.add_node(s.jurisdiction, name=jur.name(s.jurisdiction), kind=jur.kind(s.jurisdiction))
                graph.add_edge(x, s.jurisdiction, key="spared", relation="spared", types=[], measures=[])
    return graph


@dataclass(frozen=True)
class Metrics:
    jurisdiction: str
    imposes_on: int
    targeted_by: int
    reciprocity: float | None
    spared_partners: list[str]


def metrics(graph: nx.MultiDiGraph) -> list[Metrics]:
    """Per node: distinct targets, distinct imposers, the share of its targets that sanction
    it back (None without targets), and the partners it spares."""
    out = []
    for node in sorted(graph.nodes):
        targets = {v for _, v, k in graph.out_edges(node, keys=True) if k != "spared"}
        imposers = {u for u, _, k in graph.in_edges(node, keys=True) if k != "spared"}
        spares = sorted(v for _, v, k in graph.out_edges(node, keys=True) if k == "spared")
        reciprocity = len(targets & imposers) / len(targets) if targets else None
        out.append(Metrics(node, len(targets), len(imposers), reciprocity, spares))
    return out


def write(graph: nx.MultiDiGraph, path: Path) -> None:
    """By suffix: .graphml, .json (node-link, with metrics), .png or .svg (a picture);
    written to a temporary file beside ``path`` and renamed, so no half file is left."""
    import os
    import tempfile

    if path.suffix.lower() not in (".graphml", ".json", ".png", ".svg"):
        from sanctionscope.errors import InputError

        raise InputError("output", str(path), "must end in .graphml, .json, .png or .svg")
    if not path.parent.is_dir():
        from sanctionscope.errors import InputError

        raise InputError("output", str(path), "is in a directory that does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        _write(graph, Path(name))
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _write(graph: nx.MultiDiGraph, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(_flat(graph), path)
    elif suffix == ".json":
        doc = nx.node_link_data(graph, edges="edges")
        doc["metrics"] = [m.__dict__ for m in metrics(graph)]
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    else:
        draw(graph, path)


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML holds scalars only: lists become ';'-joined text."""
    flat = nx.MultiDiGraph(**graph.graph)
    flat.add_nodes_from(graph.nodes(data=True))
    for u, v, k, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: ";".join(x) if isinstance(x, list) else x for a, x in data.items()})
    return flat


def draw(graph: nx.MultiDiGraph, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(11, 8.5), dpi=120)
    pos = nx.spring_layout(nx.Graph(graph), seed=7, k=1.6)  # seeded: same graph, same picture
    sizes = [300 + 120 * graph.degree(n) for n in graph.nodes]
    colours = ["#bbbbbb" if graph.nodes[n].get("kind") == "bloc" else "#dddddd" for n in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours, edgecolors="#555555")
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=9)
    for relation in RELATIONS:
        edges = [(u, v) for u, v, k in graph.edges(keys=True) if k == relation]
        style = "dashed" if relation == "countermeasure" else "solid"
        width = 2.5 if relation == "spared" else 1.2
        nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            ax=ax,
            edge_color=COLOURS[relation],
            style=style,
            width=width,
            arrows=True,
            arrowsize=12,
            connectionstyle="arc3,rad=0.12",
            node_size=sizes,
        )
    handles = [
        Line2D([], [], color=COLOURS["sanction"], label="sanctions (imposer → target)"),
        Line2D(
            [], [], color=COLOURS["countermeasure"], linestyle="dashed", label="countermeasure (in response)"
        ),
        Line2D(
            [], [], color=COLOURS["spared"], linewidth=2.5, label="spares (its countermeasures leave it out)"
        ),
    ]
    ax.legend(handles=handles, loc="lower left", frameon=False)
    ax.set_title(f"Who sanctions whom on {graph.graph.get('on')}", fontsize=14)
    ax.axis("off")
    fig.text(
        0.01,
        0.01,
        f"Source: sanctionscope, legal acts in data set {graph.graph.get('dataset_version')}",
        fontsize=8,
        color="#555555",
    )
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip(".").lower(), metadata=_metadata(path))
    plt.close(fig)


def _metadata(path: Path) -> dict[str, Any]:
    # no creation dates in the files: the same data draws the same picture
    return {"Date": None} if path.suffix.lower() == ".svg" else {"Software": "sanctionscope"}


# -- the focus view: the network as the research page draws it --------------------------

#: The groups of the focus view, in drawing order: ``side`` is the column (left: they
#: impose measures on the focus; right: the focus's measures reach them).
GROUPS: dict[str, dict[str, str]] = {
    "countersanctioned": {"side": "left", "label": "Sanction {x}, hit by its countermeasures"},
    "spared": {"side": "left", "label": "Sanction {x}, spared by its countermeasures"},
    "sanctioning": {"side": "left", "label": "Sanction {x} (no countermeasure of {x} in force)"},
    "persons": {"side": "left", "label": "Measures only on persons or entities of {x}"},
    "target": {"side": "right", "label": "Targeted by {x}'s measures"},
    "group": {"side": "right", "label": "All partners and lists (one node each)"},
}


def _kind(index: Index, jid: str) -> str:
    """``group`` for targets that stand for many states (erga omnes ``ALL``, a list made by
    acts): drawn once, as one node, never as an edge to each member."""
    jur = index.dataset.jurisdictions
    if jid == ALL_PARTNERS or (jid in jur.blocs and jur.blocs[jid].kind == "list"):
        return "group"
    return jur.kind(jid)


def _measure(m: MeasureState) -> dict[str, str]:
    return {"id": m.id, "type": m.type.value, "title": m.spec.title, "act": m.act.id}


def _by_type(measures: list[MeasureState]) -> str:
    """Measures as read on hover: ``asset freeze (EU-269-ASSET-FREEZE); travel ban (…)``."""
    types: dict[str, list[str]] = {}
    for m in sorted(measures, key=lambda m: (m.type.value, m.id)):
        types.setdefault(m.type.value.replace("_", " "), []).append(m.id)
    return "; ".join(f"{t} ({', '.join(ids)})" for t, ids in types.items())


def focus_view(index: Index, focus: str, day: date) -> dict[str, Any]:
    """The network on ``day`` as read from ``focus``: the focus in the centre, its partners
    grouped by status (see GROUPS), and the relations that do not involve it apart.

    Views follow design.md (Relations, "Views"): an imposer whose measures aim only at
    persons or entities of the focus is in the ``persons`` group, never among those that
    sanction the state; targets addressed to all partners or to a list are one ``group``
    node each.
    """
    from sanctionscope.engine.documents import on_the_state
    from sanctionscope.engine.relations import countermeasures, sanctioners

    jur = index.dataset.jurisdictions
    x = focus
    answers = countermeasures(index, x, day)
    hit_by = {s.jurisdiction: s.hit_by for s in spared(index, x, day)}
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []

    def node(jid: str, group: str) -> dict[str, Any]:
        found = nodes.setdefault(jid, {"id": jid, "name": jur.name(jid), "kind": _kind(index, jid)})
        found.setdefault("group", group)
        return found

    for rel in sanctioners(index, x, day):
        state = any(on_the_state(index, m, x, day) for m in rel.measures)
        hit = hit_by.get(rel.imposer, [])
        group = (
            "persons"
            if not state
            else ("sanctioning" if not answers else "countersanctioned" if hit else "spared")
        )
        n = node(rel.imposer, group)
        n["title"] = (
            f"{n['name']} ({rel.imposer}): "
            + ("measures on persons or entities of " if not state else "measures on ")
            + f"{jur.name(x)}: {_by_type(rel.measures)}"
            + (f". Hit by {jur.name(x)}'s countermeasures: {', '.join(m.id for m in hit)}" if hit else "")
            + (f". Spared by {jur.name(x)}'s countermeasures" if answers and not hit else "")
        )
        edges.append(
            {
                "source": rel.imposer,
                "target": x,
                "relation": "sanction",
                "countermeasure": rel.countermeasure,
                "spared": bool(answers) and not hit,
                "persons": not state,
                "types": rel.types,
                "measures": [_measure(m) for m in rel.measures],
                "title": f"{jur.name(rel.imposer)} → {jur.name(x)}: {_by_type(rel.measures)}",
            }
        )
    ego: list[Relation] = []
    other: list[Relation] = []
    for r in who(index, day):
        (ego if r.imposer == x else other).append(r)
    for r in ego:
        n = node(r.target, "group" if _kind(index, r.target) == "group" else "target")
        text = f"{jur.name(x)} → {n['name']}: {_by_type(r.measures)}"
        if n["group"] in ("target", "group"):
            n["title"] = f"{n['name']} ({r.target}): " + text
        if r.target in jur.blocs:
            n["members"] = len(jur.members(r.target, day))
        if r.target == ALL_PARTNERS:
            n["excluding"] = sorted(
                {jur.name(e) for m in r.measures for t in m.targets_on(day) for e in t.excluding}
            )
        edges.append(
            {
                "source": x,
                "target": r.target,
                "relation": "countermeasure" if r.countermeasure else "measure",
                "countermeasure": r.countermeasure,
                "spared": False,
                "persons": False,
                "types": r.types,
                "measures": [_measure(m) for m in r.measures],
                "title": text,
            }
        )
    shown = {(e["source"], e["target"]) for e in edges}
    kept = [r for r in other if (r.imposer, r.target) not in shown and r.target != x]
    others: list[dict[str, Any]] = [
        {
            "source": r.imposer,
            "target": r.target,
            "relation": "countermeasure" if r.countermeasure else "sanction",
            "countermeasure": r.countermeasure,
            "spared": False,
            "persons": not any(on_the_state(index, m, r.target, day) for m in r.measures),
            "types": r.types,
            "measures": [_measure(m) for m in r.measures],
            "title": f"{jur.name(r.imposer)} → {jur.name(r.target)}: {_by_type(r.measures)}",
        }
        for r in kept
    ]
    other_nodes = {
        j: {"id": j, "name": jur.name(j), "kind": _kind(index, j)}
        for r in kept
        for j in (r.imposer, r.target)
    }
    order = list(GROUPS)
    placed = sorted(nodes.values(), key=lambda n: (order.index(n["group"]), n["name"]))
    groups = [
        {
            "id": g,
            "side": spec["side"],
            "label": spec["label"].format(x=jur.name(x)),
            "nodes": [n["id"] for n in placed if n["group"] == g],
        }
        for g, spec in GROUPS.items()
    ]
    return {
        "on": day.isoformat(),
        "focus": {
            "id": x,
            "name": jur.name(x),
            "kind": jur.kind(x),
            "countermeasures": [m.id for m in answers],
        },
        "groups": [g for g in groups if g["nodes"]],
        "nodes": placed,
        "edges": edges,
        "other": {
            "imposers": sorted({e["source"] for e in others}, key=lambda j: other_nodes[j]["name"]),
            "targets": sorted({e["target"] for e in others}, key=lambda j: other_nodes[j]["name"]),
            "nodes": list(other_nodes.values()),
            "edges": others,
        },
        "dataset_version": index.version,
        "as_known_on": index.as_known_on.isoformat(),
    }
