#!/usr/bin/env python3
"""Regenerates the block folders of the `sepbench compare` fixture.

    python3 make_fixture.py            # from ./source, into ./base, ./head, ./head-no-failure

`source/` is a genuine result folder, made by

    sepbench run --shape n1c16h14w14o32k3s1p1 --ops dw,pw --variants naive,simd8,packed-gemm \
        --threads 1 --no-ceilings --events none --repetitions 10 --min-time 1ms

Each side gets 8 blocks (block-001 ... block-008), each a copy of `source/` with samples.csv
replaced by seeded synthetic times, and results.csv's timing and status cells and
comparison.csv's best-variant cells recomputed from them the way sepbench computes them.
meta.json is copied unchanged, so every block has the same machine fingerprint.

What HEAD does to each case (HEAD/BASE of the medians), so the verdicts are known:
  dw.naive.nchw        +25%                    regression
  dw.naive.nhwc        -25%                    improvement
  dw.simd8.nchw        0%, small noise         unchanged
  dw.simd8.nhwc        0%, block ratios +-15..35 % alternating   inconclusive
  pw.naive.nchw        status failed in HEAD   incomparable (compare exits 2)
                       (head-no-failure: ok, 0%, small noise: unchanged)
  pw.naive.nhwc, pw.packed-gemm.nchw, pw.packed-gemm.nhwc: 0%, small noise, unchanged

Every random draw comes from random.Random seeded with a string naming the draw, so the output
is the same on every run and every machine.
"""

import csv
import io
import math
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCKS = 8
SEED = "sepbench-regression-fixture-1"

# variant_id -> (HEAD/BASE factor, behaviour)
PLAN = {
    "dw.naive.nchw": (1.25, "quiet"),
    "dw.naive.nhwc": (0.75, "quiet"),
    "dw.simd8.nchw": (1.0, "quiet"),
    "dw.simd8.nhwc": (1.0, "wild"),
    "pw.naive.nchw": (1.0, "fails-in-head"),
    "pw.naive.nhwc": (1.0, "quiet"),
    "pw.packed-gemm.nchw": (1.0, "quiet"),
    "pw.packed-gemm.nhwc": (1.0, "quiet"),
}
FAILED_CASE = "pw.naive.nchw"


def decimal(value, digits):
    """sepbench's DecimalText.text: %.Nf, trailing zeros and a trailing point dropped."""
    if value is None or not math.isfinite(value):
        return ""
    text = "%.*f" % (digits, value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def quantile(s, q):
    position = q * (len(s) - 1)
    lower = int(math.floor(position))
    upper = min(lower + 1, len(s) - 1)
    return s[lower] + (s[upper] - s[lower]) * (position - lower)


def statistics(samples):
    """sepbench's SampleStatistics."""
    s = sorted(samples)
    n = len(s)
    mean = sum(s) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in s) / (n - 1)) if n > 1 else 0.0
    half = 0.98 * math.sqrt(n)
    low = int(math.floor(n / 2 - half)) - 1
    high = int(math.ceil(n / 2 + 1 + half)) - 1
    return {
        "min": s[0], "median": quantile(s, 0.5), "mean": mean, "p90": quantile(s, 0.9),
        "sd": sd, "ci_low": s[max(0, min(low, n - 1))], "ci_high": s[min(n - 1, max(high, 0))],
    }


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    out = io.StringIO()
    for record in [header] + rows:
        for field in record:
            assert not any(c in field for c in ',"\r\n'), field  # no quoting needed
        out.write(",".join(record) + "\n")
    with open(path, "w", newline="") as f:
        f.write(out.getvalue())


def block_times(side, block, variant_id, median, factor, behaviour, reps):
    """`reps` per-iteration times of one case in one block."""
    drift = random.Random(f"{SEED}|drift|{block}").lognormvariate(0, 0.03)  # shared by a pair
    r = random.Random(f"{SEED}|{side}|{block}|{variant_id}")
    if behaviour == "wild" and side != "base":
        sign = 1 if block % 2 == 0 else -1
        process = math.exp(sign * r.uniform(0.15, 0.35))
    else:
        process = r.lognormvariate(0, 0.005)
    centre = median * drift * process * (factor if side != "base" else 1.0)
    times = []
    for _ in range(reps):
        t = centre * r.lognormvariate(0, 0.01)
        if r.random() < 0.1:
            t *= r.uniform(1.1, 1.5)  # a disturbed sample, as real runs have
        times.append(t)
    return times


def make_block(source, folder, side, block, fail):
    shutil.copytree(source, folder)
    header, rows = read_csv(os.path.join(source, "results.csv"))
    col = {name: i for i, name in enumerate(header)}
    s_header, s_rows = read_csv(os.path.join(source, "samples.csv"))
    s_col = {name: i for i, name in enumerate(s_header)}
    by_id = {}
    for row in s_rows:
        vid = ".".join(row[s_col[c]] for c in ("op", "variant", "layout"))
        by_id.setdefault(vid, []).append(row)

    new_samples, best = [], {}
    for row in rows:
        vid = row[col["variant_id"]]
        factor, behaviour = PLAN[vid]
        template = by_id[vid]
        if fail and vid == FAILED_CASE:
            # As the runner writes a variant that failed validation before timing.
            row[col["reps"]] = "0"
            row[col["iters"]] = "0"
            for c in ("time_min_ns", "time_median_ns", "time_mean_ns", "time_p90_ns",
                      "time_stddev_ns", "gflops", "gbps", "time_median_ci_low_ns",
                      "time_median_ci_high_ns"):
                row[col[c]] = ""
            row[col["max_abs_err"]] = "0.5"
            row[col["status"]] = "failed"
            row[col["note"]] = (
                f"{vid} on {row[col['case']]}: max error 0.5 > tolerance 0.0001; reproduce: "
                f"sepbench validate --shape {row[col['case']]} --ops {row[col['op']]} "
                f"--variants {row[col['variant']]} --seed 7")
            continue
        median = float(row[col["time_median_ns"]])
        times = block_times(side, block, vid, median, factor, behaviour, len(template))
        times = [float(decimal(t, 1)) for t in times]  # as samples.csv stores them
        for sample, t in zip(template, times):
            sample = list(sample)
            sample[s_col["time_ns"]] = decimal(t, 1)
            new_samples.append(sample)
        st = statistics(times)
        row[col["reps"]] = str(len(times))
        row[col["time_min_ns"]] = decimal(st["min"], 1)
        row[col["time_median_ns"]] = decimal(st["median"], 1)
        row[col["time_mean_ns"]] = decimal(st["mean"], 1)
        row[col["time_p90_ns"]] = decimal(st["p90"], 1)
        row[col["time_stddev_ns"]] = decimal(st["sd"], 1)
        row[col["gflops"]] = decimal(float(row[col["flops"]]) / st["median"], 3)
        row[col["gbps"]] = decimal(float(row[col["bytes_min"]]) / st["median"], 3)
        row[col["time_median_ci_low_ns"]] = decimal(st["ci_low"], 1)
        row[col["time_median_ci_high_ns"]] = decimal(st["ci_high"], 1)
        op = row[col["op"]]
        if op not in best or st["median"] < best[op][1]:
            best[op] = (vid, st["median"])
    write_csv(os.path.join(folder, "results.csv"), header, rows)
    write_csv(os.path.join(folder, "samples.csv"), s_header, new_samples)

    c_header, c_rows = read_csv(os.path.join(source, "comparison.csv"))
    cc = {name: i for i, name in enumerate(c_header)}
    for row in c_rows:
        for op in ("dw", "pw"):
            row[cc[f"{op}_variant"]] = best[op][0]
            row[cc[f"{op}_time_ns"]] = decimal(best[op][1], 1)
        row[cc["dw_share"]] = decimal(best["dw"][1] / (best["dw"][1] + best["pw"][1]), 4)
    write_csv(os.path.join(folder, "comparison.csv"), c_header, c_rows)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "source")
    for side, fail in (("base", False), ("head", True), ("head-no-failure", False)):
        root = os.path.join(HERE, side)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for block in range(1, BLOCKS + 1):
            make_block(source, os.path.join(root, "block-%03d" % block),
                       "base" if side == "base" else "head", block, fail)
    # The sides were "run alternately": compare pairs sibling block folders only beside the
    # ab.json of an A/B session.
    with open(os.path.join(HERE, "ab.json"), "w") as manifest:
        manifest.write('{\n  "orderSeed" : 1,\n  "pairs" : %d\n}\n' % BLOCKS)


if __name__ == "__main__":
    main()
