"""The table of Scripts/peers/ab-onnxruntime-network: whole-network latency of sepbench's
separable MobileNetV1 and ONNX Runtime's, round by round, from the `total` rows of each
round's network.csv, and the median over rounds of the ratio sepbench / ONNX Runtime (below 1:
sepbench is faster)."""

import csv
import json
import os
import re
import statistics
import sys


def totals(folder):
    """{threads: median ns} of the separable network's total rows."""
    with open(os.path.join(folder, "network.csv"), newline="") as f:
        return {int(r["threads"]): float(r["time_ns_median"]) for r in csv.DictReader(f)
                if r["layer"] == "total" and r["model"] == "separable"}


def round_folders(out, tool, r):
    """The folders of one tool's round: `<tool>-<r>` (runs) and `<tool>-<r>-turns` (turns)."""
    names = [f"{tool}-{r}", f"{tool}-{r}-turns"]
    return [os.path.join(out, n) for n in names if os.path.isdir(os.path.join(out, n))]


def round_totals(out, tool, r):
    """{threads: (median ns, "turns" or "runs")} over the round's folders."""
    found = {}
    for folder in round_folders(out, tool, r):
        how = "turns" if folder.endswith("-turns") else "runs"
        for t, ns in totals(folder).items():
            found[t] = (ns, how)
    return found


def main(out):
    rounds = sorted({int(m.group(1)) for name in os.listdir(out)
                     if (m := re.fullmatch(r"sepbench-(\d+)(?:-turns)?", name))
                     and round_folders(out, "onnxruntime", m.group(1))})
    if not rounds:
        print(f"error: {out} holds no sepbench-N and onnxruntime-N folders", file=sys.stderr)
        return 2
    with open(os.path.join(round_folders(out, "sepbench", rounds[0])[0], "meta.json")) as f:
        meta = json.load(f)
    ours = {r: round_totals(out, "sepbench", r) for r in rounds}
    peer = {r: round_totals(out, "onnxruntime", r) for r in rounds}
    cpu = meta["machine"]["cpuModel"]
    print(f"MobileNetV1 {meta['width']}/{meta['resolution']}, batch 1, on {cpu} "
          f"({meta['machine']['logicalCores']} logical CPUs); {len(rounds)} rounds; medians of "
          "each round's forward passes, in ms. turns: the two ran at once, one forward pass each "
          "per turn; runs: one after the other.\n")
    print("| threads | round | interleave | sepbench | ONNX Runtime | sepbench / ORT |")
    print("| ---: | ---: | --- | ---: | ---: | ---: |")
    for t in sorted(set.intersection(*(set(ours[r]) & set(peer[r]) for r in rounds))):
        ratios = []
        for r in rounds:
            (mine, how), (theirs, _) = ours[r][t], peer[r][t]
            ratios.append(mine / theirs)
            print(f"| {t} | {r} | {how} | {mine / 1e6:.2f} | {theirs / 1e6:.2f} | {mine / theirs:.3f} |")
        ms_ours = statistics.median(ours[r][t][0] for r in rounds) / 1e6
        ms_peer = statistics.median(peer[r][t][0] for r in rounds) / 1e6
        print(f"| {t} | median | | {ms_ours:.2f} | {ms_peer:.2f} | {statistics.median(ratios):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
