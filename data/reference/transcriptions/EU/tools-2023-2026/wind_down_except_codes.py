"""Recompute the except_codes of the Annex XXIII wind-down exceptions (acts of 2023-2025) from the
importer state: run after any change to the 2022-2023 history, then build. Usage:
    .venv/bin/python data/reference/transcriptions/EU/tools-2023-2026/wind_down_except_codes.py
"""
import copy, csv, yaml
from sanctionscope.importers import eu_annex as e
from sanctionscope.importers.eu_annex import significant, line_code
M = "EU-833-ANNEX-XXIII-INDUSTRIAL-EXPORT"
T = e.TRANSCRIPTIONS
def lst(folder, name, annex):
    with open(T / folder / name, encoding="utf-8") as fh:
        return sorted({r["code"].replace(" ", "") for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r["annex"] == annex})
NEW = "NEW"
A3 = ["870323","870324","870332","870333","870340","870350","870360","870370","870380","870390","8903"]
A3A = ["271012","290960","390599","400219","400270","401011","401012","401120","401290","480593","481029","482390","721661","840211","845430","847710","847720","847759","847780","847790","851432","851440","852589","870421","902490","903110","903141","903149","903180","903190","940620"]
WANT = {
 "EU-833-X-XXIII-PRIOR-CONTRACT-20230624": [NEW] + A3 + A3A,
 "EU-833-X-XXIII-A-PRIOR-CONTRACT-20231219": lst("EU-REG-2023-2878", "a-pending.tsv", "XXIIIA"),
 "EU-833-X-XXIII-B-PRIOR-CONTRACT-20231219": lst("EU-REG-2023-2878", "a-pending.tsv", "XXIIIB"),
 "EU-833-X-XXIII-8504-PRIOR-CONTRACT-20240224": ["850410","850421","850422","850423","850431","850440","850450","850490"],
 "EU-833-X-XXIII-C-PRIOR-CONTRACT-20240625": lst("EU-REG-2024-1745", "a-pending.tsv", "XXIIIC"),
 "EU-833-X-XXIII-2602-PRIOR-CONTRACT-20240625": ["2602"],
 "EU-833-X-XXIII-8481-8708-PRIOR-CONTRACT-20240625": ["848180","870899"],
 "EU-833-X-XXIII-D-PRIOR-CONTRACT-20250225": lst("EU-REG-2025-395", "a-pending.tsv", "XXIIID"),
 "EU-833-X-XXIII-E-PRIOR-CONTRACT-20250720": [NEW],
 "EU-833-X-XXIII-F-PRIOR-CONTRACT-20250720": [NEW],
 "EU-833-X-XXIII-G-PRIOR-CONTRACT-20251024": lst("EU-REG-2025-2033", "a-pending.tsv", "XXIIIG"),
 "EU-833-X-XXIII-6902-6909-PRIOR-CONTRACT-20251024": ["6902","690919"],
 "EU-833-X-XXI-METALS-PRIOR-CONTRACT-20231219": ["7205","7408","7604","7605","7607","7608"],
 "EU-833-X-XXI-LPG-FERROALLOY-PRIOR-CONTRACT-20231219": ["271112","271113","271114","271119","7202"],
 "EU-833-X-XXI-PIG-IRON-QUOTA": ["7201"],
 "EU-833-X-XXI-DRI-QUOTA": ["7203"],
 "EU-833-X-XXI-HELIUM-PRIOR-CONTRACT-20240625": ["28042910","284540"],
 "EU-833-X-XXI-ALUMINIUM-QUOTA": ["7601"],
 "EU-833-X-XXI-ALUMINIUM-PRIOR-CONTRACT-20250225": ["7601"],
 "EU-833-X-XXI-2901-PRIOR-CONTRACT-20251024": ["29011000"],
 "EU-833-X-XXI-2901-HUNGARY": ["29011000"],
}
MINE = {"EU-REG-2023-1214","EU-REG-2023-2878","EU-REG-2024-745","EU-REG-2024-1745","EU-REG-2025-395","EU-REG-2025-1494","EU-REG-2025-2033"}
st = e.State()
for f in e.folders():
    for annex, m in (f.meta.get("annexes") or {}).items(): st.measure_of[str(annex)] = str(m)
    for row in (f.meta.get("seed") or []): e._seed(st, f, row)
    if f.act_id in MINE:
        trial = copy.deepcopy(st)
        g = copy.copy(f); g.meta = dict(f.meta); g.meta["changes"] = []
        e.apply_act(trial, g)
        old = {(significant(line_code(l.row)), l.row.ex) for l in st.lines.values() if l.row.annex == "XXIII"}  # NEW is used for XXIII only
        path = T / f.act_id / "act.yaml"
        text = path.read_text()
        head = "".join(l for l in text.splitlines(True) if l.startswith("#"))
        meta = yaml.safe_load(text)
        for ch in meta.get("changes") or []:
            if ch.get("op") != "add_exceptions" or not ch.get("parts"):
                continue
            annex = str(ch["parts"][0]).partition("/")[0]
            lines = [ln for ln in trial.lines.values() if ln.row.annex == annex and ln.row.part == "" and not ln.shadow]
            want = WANT[ch["exceptions"][0]["id"]]
            def hit(ln):
                sig = significant(line_code(ln.row))
                if NEW in want and (sig, ln.row.ex) not in old:
                    return True
                return any(w.startswith(sig) or sig.startswith(w) for w in want if w != NEW)
            keep = [ln for ln in lines if hit(ln)]
            ch["except_codes"] = sorted({ln.row.digits for ln in lines} - {ln.row.digits for ln in keep})
            print(f.act_id, ch["exceptions"][0]["id"], len(keep), "of", len(lines))
        path.write_text(head + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100))
        f = e.read_folder(f.path)
    e.apply_act(st, f)
