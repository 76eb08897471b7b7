"""The table of Scripts/peers/ab-onnxruntime: sepbench against ONNX Runtime, from the
sepbench-<round>/ and onnxruntime-<round>/ result folders of one A B A B session.

Per suite case, operator and thread count: the range over rounds of sepbench's best median
(any layout, and NCHW only, which is ONNX Runtime's layout) and of ONNX Runtime's median, in
ms, and the median over rounds of sepbench best / ONNX Runtime (below 1: sepbench is faster).
Every number compares samples of the same machine taken minutes apart, never across machines.
"""

import csv
import json
import os
import re
import statistics
import sys


def rounds(folder, tool):
    """Per round, the tool's folders: `<tool>-<round>` (one after the other) and
    `<tool>-<round>-turns` (in turns with the other tool)."""
    found = {}
    for name in os.listdir(folder):
        match = re.fullmatch(rf"{tool}-(\d+)(?:-turns)?", name)
        if match and os.path.exists(os.path.join(folder, name, "results.csv")):
            found.setdefault(int(match.group(1)), []).append(os.path.join(folder, name))
    return [sorted(paths) for _, paths in sorted(found.items())]


def medians(paths):
    """{(case, op, threads): [(median ns, variant_id, layout, interleave)]} of the ok rows of one
    round's folders."""
    table = {}
    for path in paths:
        how = "turns" if path.endswith("-turns") else "runs"
        with open(os.path.join(path, "results.csv"), newline="") as f:
            for row in csv.DictReader(f):
                if row["status"] != "ok" or not row["time_median_ns"]:
                    continue
                key = (row["case"], row["op"], int(row["threads"]))
                table.setdefault(key, []).append(
                    (float(row["time_median_ns"]), row["variant_id"], row["layout"], how))
    return table


def span(values):
    low, high = min(values) / 1e6, max(values) / 1e6
    digits = 3 if high < 1 else 2 if high < 10 else 1
    return f"{low:.{digits}f}" if f"{low:.{digits}f}" == f"{high:.{digits}f}" else f"{low:.{digits}f}–{high:.{digits}f}"


def main(folder):
    ours, theirs = rounds(folder, "sepbench"), rounds(folder, "onnxruntime")
    if not ours or len(ours) != len(theirs):
        print(f"error: {folder} needs as many sepbench-N as onnxruntime-N result folders", file=sys.stderr)
        return 2
    ours_t, theirs_t = [medians(p) for p in ours], [medians(p) for p in theirs]
    with open(os.path.join(theirs[0][0], "meta.json")) as f:
        peer_meta = json.load(f)
    with open(os.path.join(ours[0][0], "meta.json")) as f:
        meta = json.load(f)
    machine = meta["machine"]
    print(f"sepbench against ONNX Runtime {peer_meta['peer']['version']} "
          f"(graph optimisation: {peer_meta['peer']['graphOptimizationLevel']}) on {machine['cpuModel']}, "
          f"{machine['logicalCores']} logical cores; {len(ours)} rounds. Interleave: turns, the two ran at "
          "once taking turns, one timed sample each; runs, sepbench then ONNX Runtime. "
          "Medians in ms: the range over rounds. Ratio: median over rounds of sepbench best / ONNX Runtime.")
    print()
    print("| case | op | threads | interleave | sepbench best | sepbench best NCHW | ONNX Runtime | ratio |")
    print("| --- | --- | ---: | --- | --- | --- | --- | ---: |")
    keys = [k for k in theirs_t[0] if all(k in t for t in theirs_t) and all(k in t for t in ours_t)]
    for key in keys:
        best = [min(t[key]) for t in ours_t]
        nchw = [min((v for v in t[key] if v[2] == "nchw"), default=None) for t in ours_t]
        peer = [min(t[key])[0] for t in theirs_t]
        variants = sorted({b[1] for b in best})
        ratio = statistics.median(b[0] / p for b, p in zip(best, peer))
        nchw_text = span([n[0] for n in nchw]) if all(nchw) else "–"
        how = "/".join(sorted({b[3] for b in best}))
        print(f"| {key[0]} | {key[1]} | {key[2]} | {how} | {span([b[0] for b in best])} (`{'`, `'.join(variants)}`) "
              f"| {nchw_text} | {span(peer)} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: peer_table.py FOLDER", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
