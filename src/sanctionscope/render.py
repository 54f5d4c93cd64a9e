"""Rich terminal rendering of the JSON-shaped results (the CLI's human output)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from sanctionscope.engine.documents import not_covered_reason
from sanctionscope.model.jurisdictions import Jurisdictions

JSON = dict[str, Any]
COLOURS = {
    "BANNED": "bold red",
    "LICENCE_REQUIRED": "bold dark_orange",
    "UNDETERMINED": "bold yellow",
    "NOT_COVERED": "bold magenta",
    "ALLOWED": "bold green",
}


def _period(p: JSON) -> str:
    return f"[{p['start']}, {p['end'] or '…'})"


def answer(con: Console, doc: JSON) -> None:
    q = doc["query"]
    con.print(
        f"[{COLOURS[doc['verdict']]}]{doc['verdict']}[/]  {q['origin']} → {q['destination']}  "
        f"HS {q['hs']}  on {q['date']}   [dim]({doc['reason']})[/]"
    )
    con.print(doc["explanation"].removesuffix(doc["not_assessed"]).rstrip(), highlight=False)
    for m in doc["measures"]:
        con.print(f"\n[bold]{m['id']}[/] {m['title']} — {m['type']}, in force {_period(m['in_force'])}")
        if m["line"]:
            line = m["line"]
            con.print(
                f"  line {line['code_display'] or 'all goods'}: {line['wording']['en']}",
                highlight=False,
            )
            con.print(f"       [dim]{line['wording']['original']}[/]", highlight=False)
        for link in m["chain"]:
            con.print(
                f"  {link['role']:>18}: {link['act']}  [dim]{link.get('title', '')}[/]",
                highlight=False,
            )
            if link.get("text"):
                con.print(f"  {'':>18}  {link['text']}", highlight=False)
        con.print(f"  source: {m['source_url']}", highlight=False)
        for note in m["uncertain"]:
            con.print(f"  [yellow]uncertain:[/] {note}", highlight=False)
    if doc["exceptions"]:
        con.print("\n[bold]Exceptions the code cannot decide[/] (claim with --attest ID):")
        for e in doc["exceptions"]:
            con.print(
                f"  {e['id']}: {e['wording']['en']} [dim]({e['act']}, {_period(e['period'])})[/]",
                highlight=False,
            )
    for attested, why in doc["attest_not_applied"].items():
        con.print(f"[yellow]attested {attested} does not apply:[/] {why}", highlight=False)
    _licences(con, doc)
    _coverage(con, doc)
    con.print(f"\n{doc['not_assessed']}", highlight=False)
    con.print(f"[dim]dataset {doc['dataset_version']}, as known on {doc['as_known_on']}[/]")


def _licences(con: Console, doc: JSON) -> None:
    """Each licensing regime that covers the shipment, who issues the licence, how to attest it."""
    for m in doc["licence_requirements"]:
        con.print(
            f"\n[{COLOURS['LICENCE_REQUIRED']}]Licence required[/] under {m['id']} ({m['title']}); "
            f"the licence is issued by {m['licensing_authority']}.",
            highlight=False,
        )
        con.print(f"  If the shipment holds this licence, ask again with --attest {m['id']}", highlight=False)


def _side(item: JSON) -> str:
    if item["direction"] == "import":
        return f"{item['imposer']} import rules: goods entering {item['side']} from {item['partner']}"
    return f"{item['imposer']} export rules: goods leaving {item['side']} for {item['partner']}"


def _coverage(con: Console, doc: JSON) -> None:
    """The declarations the answer relied on, or the sides the data set cannot vouch for."""
    cov = doc["coverage"]
    con.print("\n[bold]Coverage[/]")
    if cov["not_covered"]:
        con.print("  The data set cannot vouch for these sides of the shipment:")
        for item in cov["not_covered"]:
            con.print(
                f"  [{COLOURS['NOT_COVERED']}]not covered[/] {_side(item)}, on {item['day']}: "
                f"{not_covered_reason(item)}.",
                highlight=False,
            )
            if item["measures"]:  # a side not surveyed may have none in the data
                measures = ", ".join(item["measures"])
                con.print(f"    goods measures in force on that side: {measures}", highlight=False)
        imposers = sorted({item["imposer"] for item in cov["not_covered"]})
        con.print(
            "  The declarations held: "
            + " · ".join(f"sanctionscope coverage --imposer {i}" for i in imposers),
            highlight=False,
        )
    for d in cov["relied_on"]:
        con.print(
            f"  relied on {d['id']}: {d['imposer']} {d['direction']} rules, {_period(d['period'])}, "
            f"reviewed {d['reviewed_on']}",
            highlight=False,
        )
    if not cov["not_covered"] and not cov["relied_on"]:
        con.print("  No side of this shipment needed a coverage declaration on that day.")
    if cov["grace_days"] is not None and (cov["relied_on"] or cov["not_covered"]):
        con.print(
            f"  [dim]a declaration vouches until {cov['grace_days']} days after its review "
            "(--grace-days sets another period)[/]"
        )


def coverage(con: Console, doc: JSON) -> None:
    """The coverage matrix (imposer x direction x period), then each declaration's grounds."""
    table = Table(
        title="Coverage: what the data set vouches for, by imposer, direction and period",
        box=box.SIMPLE_HEAD,
    )
    for col in ("imposer", "direction", "period", "partners", "products", "reviewed"):
        table.add_column(col, overflow="fold")
    for row in doc["matrix"]:
        for d in row["declarations"]:
            partners = ", ".join(d["partners"]) or "all partners"
            products = d["product_scope_text"]
            table.add_row(
                row["imposer"], row["direction"], _period(d["period"]), partners, products, d["reviewed_on"]
            )
        if not row["declarations"]:
            none = f"[{COLOURS['NOT_COVERED']}]no declaration[/]"
            table.add_row(row["imposer"], row["direction"], none, "", "", "")
    con.print(table)
    for row in doc["matrix"]:
        con.print(f"\n[bold]{row['imposer_name']} ({row['imposer']}), {row['direction']}[/]")
        for d in row["declarations"]:
            con.print(
                f"  [bold]{d['id']}[/] {_period(d['period'])}, reviewed {d['reviewed_on']}", highlight=False
            )
            con.print(f"    partners: {', '.join(d['partner_names']) or 'all partners'}", highlight=False)
            con.print(f"    products: {d['product_scope_text']}", highlight=False)
            con.print(f"    regimes held: {', '.join(d['regimes']) or 'none listed'}", highlight=False)
            for item in d["left_out"]:
                con.print(f"    left out: {item}", highlight=False)
            for source in d["sources"]:
                note = f" — {source['note']}" if source["note"] else ""
                con.print(f"    source: {source['url']}{note}", highlight=False)
            con.print(f"    [dim]stops vouching from {d['stale_from']} unless reviewed again[/]")
        if not row["declarations"]:
            con.print(
                f"  [{COLOURS['NOT_COVERED']}]no declaration[/]: shipments needing this side are NOT_COVERED",
                highlight=False,
            )
        measures = ", ".join(m["id"] for m in row["goods_measures"])
        if measures:
            con.print(f"    goods measures in the data: {measures}", highlight=False)
    con.print(
        f"\nA side of a shipment whose law restricts goods to or from the partner on the day is vouched for "
        f"only inside a declaration's period, partners and product scope, and until {doc['grace_days']} "
        "days after its review (`check --grace-days N` sets another grace period). Otherwise the answer is "
        "NOT_COVERED, never ALLOWED.",
        highlight=False,
    )
    con.print(f"[dim]dataset {doc['dataset_version']}, as known on {doc['as_known_on']}[/]")


def who(con: Console, doc: JSON, jur: Jurisdictions) -> None:
    table = Table(title=f"Who imposes measures on whom on {doc['on']}")
    for col in ("imposer", "target", "types", "countermeasure", "measures"):
        table.add_column(col)
    for r in doc["relations"]:
        table.add_row(
            f"{r['imposer']} {jur.name(r['imposer'])}",
            f"{r['target']} {jur.name(r['target'])}",
            ", ".join(r["types"]),
            "yes" if r["countermeasure"] else "",
            "\n".join(r["measures"]),
        )
    con.print(table)


def spared(con: Console, doc: JSON, jur: Jurisdictions) -> None:
    table = Table(
        title=f"Sanctioners of {doc['country']} on {doc['on']}: spared or hit by its countermeasures"
    )
    for col in ("jurisdiction", "status", "its measures", "hit by"):
        table.add_column(col)
    for r in doc["sanctioners"]:
        status = "[green]spared[/]" if r["spared"] else "[red]hit[/]"
        table.add_row(
            f"{r['jurisdiction']} {jur.name(r['jurisdiction'])}",
            status,
            "\n".join(f"{m['id']} ({m['type']})" for m in r["sanctions"]),
            "\n".join(r["hit_by"]),
        )
    con.print(table)
    con.print(f"Spared: {', '.join(doc['spared']) or 'none'}")


def timeline(con: Console, doc: JSON) -> None:
    table = Table(title=f"Acts between {doc['a']} and {doc['b']}")
    for col in ("date", "direction", "act", "title", "summary"):
        table.add_column(col)
    for r in doc["acts"]:
        table.add_row(
            r["date"],
            r["direction"],
            r["id"],
            f"{r['title']['en']}\n[dim]{r['title']['original']}[/]",
            r["summary"],
        )
    con.print(table)


def acts(con: Console, doc: JSON) -> None:
    table = Table(title=f"{len(doc['acts'])} acts")
    for col in ("id", "signed", "in force", "title", "source"):
        table.add_column(col)
    for r in doc["acts"]:
        table.add_row(
            r["id"],
            r["signed"],
            r["in_force"],
            f"{r['title']['en']}\n[dim]{r['title']['original']}[/]",
            r["source_url"],
        )
    con.print(table)


def _days(p: JSON) -> str:
    """A period as people read it: first day to last day (inclusive), or open-ended."""
    last = p.get("last_day")
    return f"{p['start']} to {last}" if last else f"from {p['start']}, no end date"


def act(con: Console, doc: JSON) -> None:
    """One act with its substance (engine.act_view.act_page_doc)."""
    con.print(f"[bold]{doc['id']}[/] — {doc['authority']}, {doc['kind']} {doc['number'] or ''}")
    con.print(f"{doc['title']['original']}", highlight=False)
    con.print(f"[italic]{doc['title']['en']}[/]", highlight=False)
    con.print(f"signed {doc['signed']}, published {doc['published']}, in force {doc['in_force']}")
    con.print(doc["summary"], highlight=False)
    for m in doc["measures"]:
        con.print(f"\n[bold]Measure {m['id']}[/] ({m['type']}): {m['title']}", highlight=False)
        con.print(f"  imposed by {m['imposer']}, in force {_days(m['period'])}", highlight=False)
        con.print(f"  targets ({len(m['targets'])}):", highlight=False)
        for t in m["targets"]:
            added = "" if t["act"] == doc["id"] else f", added by {t['act']}"
            con.print(
                f"    {t['jurisdiction']:<10} {t['name']} ({t['scope']}), {_days(t['period'])}{added}",
                highlight=False,
            )
        if m["lines"]:
            later = m["line_count"] - m["lines_by_this_act"]
            con.print(
                f"  lines ({m['line_count']}: {m['lines_by_this_act']} by this act, {later} added later):",
                highlight=False,
            )
            for line in m["lines"]:
                added = "" if line["act"] == doc["id"] else f"; added by {line['act']}"
                gone = f"; removed by {line['removed_by']}" if line["removed_by"] else ""
                con.print(
                    f"    {line['code_display']:<14} {line['wording']['en']}"
                    f" [dim]| {line['wording']['original']}[/] ({_days(line['period'])}{added}{gone})",
                    highlight=False,
                )
        if m["exceptions"]:
            con.print(f"  exceptions ({len(m['exceptions'])}):", highlight=False)
            for e in m["exceptions"]:
                code = f" code {e['code_display']}," if e["code_display"] else ""
                con.print(
                    f"    {e['id']}:{code} to {e['lines_display']}: {e['wording']['en']}"
                    f" [dim]| {e['wording']['original']}[/] ({_days(e['period'])}, {e['act']})",
                    highlight=False,
                )
                if e["condition"]:
                    con.print(f"      condition: {e['condition']}", highlight=False)
        if m["history"]:
            con.print(f"  later changes ({len(m['history'])}):", highlight=False)
            for c in m["history"]:
                con.print(f"    {c['effective']} {c['act']} {c['text']}", highlight=False)
    if doc["changes"]:
        con.print(f"\n[bold]What it changes[/] ({len(doc['changes'])}):")
        for c in doc["changes"]:
            con.print(f"  {c['effective']}: {c['text']}", highlight=False)
    if doc["related"]:
        con.print("\n[bold]Related acts[/]:")
        for r in doc["related"]:
            con.print(f"  {r['relation']}: {r['id']} ({r['in_force']}) {r['title']['en']}", highlight=False)
    for f in doc.get("in_force_on") or []:
        con.print(f"\n[bold]{f['measure']} on {f['on']}[/]: {f['status']}", highlight=False)
        if not f["in_force"]:
            continue
        if f["amended_by"]:
            con.print(f"  as amended by {', '.join(f['amended_by'])}", highlight=False)
        con.print(
            f"  targets: {', '.join(t['jurisdiction'] for t in f['targets']) or 'none'}", highlight=False
        )
        con.print(f"  {len(f['lines'])} lines, {len(f['exceptions'])} exceptions in force:", highlight=False)
        for line in f["lines"]:
            excs = f" [dim](exceptions: {', '.join(line['exceptions'])})[/]" if line["exceptions"] else ""
            con.print(f"    {line['code_display']:<14} {line['wording']['en']}{excs}", highlight=False)
    for note in doc["uncertain"]:
        con.print(f"  [yellow]uncertain:[/] {note}", highlight=False)
    for url in doc["sources"]:
        con.print(f"  source: {url}", highlight=False)


def diff(con: Console, doc: JSON) -> None:
    con.print(f"[bold]In force on {doc['after']} compared with {doc['before']}[/]")
    if not doc["changes"]:
        con.print("no change")
    for r in doc["changes"]:
        con.print(f"\n[bold]{r['measure']}[/] ({r['status']}; by {', '.join(r['by_acts']) or r['act']})")
        for key in (
            "countries_added",
            "countries_removed",
            "lines_added",
            "lines_removed",
            "exceptions_added",
            "exceptions_removed",
        ):
            if r[key]:
                con.print(f"  {key.replace('_', ' ')}: {', '.join(r[key])}", highlight=False)
