"""The guided tour run by ``make run``: the questions users ask, answered from the data."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.rule import Rule

from sanctionscope import render
from sanctionscope.engine import serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.relations import spared

CHECKS = [
    (
        "Is Japan hit by Russia's August 2014 countermeasures? Japanese apples, 10 Aug 2014:",
        ("JP", "RU", "080810", date(2014, 8, 10)),
    ),
    ("The same apples from Poland:", ("PL", "RU", "0808 10", date(2014, 8, 10))),
    (
        "Seed potatoes from the Netherlands after Resolution 830:",
        ("NL", "RU", "0701 10 000 0", date(2014, 9, 1)),
    ),
    ("Norwegian salmon, fresh, in 2016:", ("NO", "RU", "0302 14", date(2016, 3, 1))),
    (
        "Icelandic mackerel before and after Resolution 842:",
        ("IS", "RU", "0303 54", date(2015, 8, 10)),
    ),
    ("", ("IS", "RU", "0303 54", date(2015, 8, 20))),
    ("British cheese after Brexit:", ("GB", "RU", "0406", date(2021, 6, 1))),
    ("Turkish tomatoes in 2016:", ("TR", "RU", "0702 00 000 0", date(2016, 6, 1))),
]


def run_demo(catalog: Catalog, con: Console) -> None:
    con.print(Rule(f"sanctionscope — dataset {catalog.version}"))
    for title, (origin, dest, hs, day) in CHECKS:
        if title:
            con.print(Rule(title, style="dim"))
        q = catalog.question(origin, dest, hs, day)
        doc = serialise.answer(catalog.index(q.as_known_on), catalog.check(q))
        render.answer(con, doc)
    con.print(
        Rule(
            "Who sanctioned Russia on 10 Aug 2014 but was spared by its countermeasures?",
            style="dim",
        )
    )
    index = catalog.index(date.today())
    for s in spared(index, "RU", date(2014, 8, 10)):
        mark = "spared" if s.spared else "hit by " + ", ".join(m.id for m in s.hit_by)
        con.print(f"  {s.jurisdiction:<5} {catalog.dataset.jurisdictions.name(s.jurisdiction):<28} {mark}")
    con.print(
        "\nTry: sanctionscope --help · sanctionscope timeline RU JP · "
        "sanctionscope diff 2015-08-05 2015-08-14"
    )
