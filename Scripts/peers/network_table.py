"""The table of Scripts/peers/ab-onnxruntime-network: whole-network latency of sepbench's
separable MobileNetV1 and ONNX Runtime's, round by round, from the `total` rows of each
round's network.csv, and the median over rounds of the ratio sepbench / ONNX Runtime (below 1:
sepbench is faster).

When ONNX Runtime's folders hold per-layer rows (its profiler's), a second table sets them
beside sepbench's per-layer times inside the network: per thread count and layer, the median
over rounds of each and of their ratio. The two are not timed alike (sepbench's layer clock
against ONNX Runtime's profiler, in passes of its own), so that table says where the time goes,
not which is faster by how much."""

import csv
import json
import os
import re
import statistics
import sys

from ort_network import LAYERS


def totals(folder):
    """{threads: median ns} of the separable network's total rows."""
    with open(os.path.join(folder, "network.csv"), newline="") as f:
        return {int(r["threads"]): float(r["time_ns_median"]) for r in csv.DictReader(f)
                if r["layer"] == "total" and r["model"] == "separable"}


def layer_times(folder):
    """{(threads, layer): median ns} of the separable network's per-layer rows."""
    with open(os.path.join(folder, "network.csv"), newline="") as f:
        return {(int(r["threads"]), r["layer"]): float(r["time_ns_median"]) for r in csv.DictReader(f)
                if r["layer"] in LAYERS and r["model"] == "separable" and r["time_ns_median"]}


def round_layers(out, tool, r):
    """{(threads, layer): median ns} over the round's folders."""
    found = {}
    for folder in round_folders(out, tool, r):
        found.update(layer_times(folder))
    return found


def print_layers(out, rounds):
    """The per-layer table, when both tools have layer rows in every round."""
    ours = [round_layers(out, "sepbench", r) for r in rounds]
    peer = [round_layers(out, "onnxruntime", r) for r in rounds]
    keys = set.intersection(*(set(o) & set(p) for o, p in zip(ours, peer)))
    if not keys:
        return
    print("\nPer layer, medians over rounds in ms: sepbench's layer inside its network, ONNX Runtime's "
          "from its profiler in passes after the timed ones. Each tool's reorder row is the layout "
          "changes it made itself (sepbench: the input to its network layout; ONNX Runtime: the "
          "reorders its graph optimiser inserted).\n")
    print("| threads | layer | sepbench | ONNX Runtime | sepbench / ORT |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for t, layer in sorted(keys, key=lambda k: (k[0], LAYERS.index(k[1]))):
        mine = statistics.median(o[(t, layer)] for o in ours)
        theirs = statistics.median(p[(t, layer)] for p in peer)
        ratio = statistics.median(o[(t, layer)] / p[(t, layer)] for o, p in zip(ours, peer))
        print(f"| {t} | {layer} | {mine / 1e6:.3f} | {theirs / 1e6:.3f} | {ratio:.2f} |")


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
    print_layers(out, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
