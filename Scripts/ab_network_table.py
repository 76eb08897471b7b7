"""The table of Scripts/ab-network: two sepbench builds' separable networks, taken in turns
round by round (DIR/base-<round>/, DIR/head-<round>/). Per layer in network order, then the
whole network: the medians over rounds of both builds' times inside their networks, and the
median, lowest and highest of the rounds' ratios head / base (below 1: head is faster), with
the rounds in which both ran the same kernel on the layer (each build tunes its own plan)."""

import csv
import os
import re
import statistics
import sys


def rows(folder):
    """The separable network's rows of network.csv, in file order."""
    with open(os.path.join(folder, "network.csv"), newline="") as f:
        return [r for r in csv.DictReader(f) if r["model"] == "separable" and r["time_ns_median"]]


def layers(folder):
    """[(layer, median ns, variant id)] of the separable network's rows, in file order."""
    return [(r["layer"], float(r["time_ns_median"]), r["variant_id"]) for r in rows(folder)]


def main(out):
    rounds = sorted(int(m.group(1)) for name in os.listdir(out)
                    if (m := re.fullmatch(r"base-(\d+)", name))
                    and os.path.isfile(os.path.join(out, name, "network.csv"))
                    and os.path.isfile(os.path.join(out, f"head-{m.group(1)}", "network.csv")))
    if not rounds:
        print(f"error: {out} holds no base-N and head-N folders with network.csv", file=sys.stderr)
        return 2
    base, head = ({r: {name: (ns, variant) for name, ns, variant
                       in layers(os.path.join(out, f"{build}-{r}"))} for r in rounds}
                  for build in ("base", "head"))
    order = list(base[rounds[0]])
    threads = sorted({r["threads"] for r in rows(os.path.join(out, f"base-{rounds[0]}"))})
    print(f"{len(rounds)} rounds of both builds' separable MobileNetV1 in turns on "
          f"{','.join(threads)} thread(s); "
          "per layer and in total, the medians over rounds of each round's median time inside "
          "the network (ms), and of the rounds' ratios head / base.\n")
    print("| layer | base | head | head / base | lowest | highest | same kernel |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in order:
        pairs = []
        same = 0
        for r in rounds:
            if name not in base[r] or name not in head[r]:
                continue
            (b, bv), (h, hv) = base[r][name], head[r][name]
            pairs.append((b, h))
            same += bv == hv
        if not pairs:
            continue
        ratios = [h / b for b, h in pairs]
        kernels = "" if name == "total" else f"{same} of {len(pairs)}"
        print(f"| {name} | {statistics.median(b for b, _ in pairs) / 1e6:.3f} "
              f"| {statistics.median(h for _, h in pairs) / 1e6:.3f} "
              f"| {statistics.median(ratios):.3f} | {min(ratios):.3f} | {max(ratios):.3f} "
              f"| {kernels} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
