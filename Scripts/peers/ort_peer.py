"""ONNX Runtime on sepbench's suite cases, written as a sepbench result folder.

Each suite case (from `sepbench list suites`) and operator becomes an ONNX graph, float32,
NCHW, batch 1, as a user would export it: Conv nodes without bias, BatchNormalization and
Relu as separate nodes, so ONNX Runtime's own graph optimiser folds and fuses them.

- conv: Conv.                     dw: Conv with group = C_in.
- pw: 1x1 Conv on the depthwise output's size.
- conv_block: Conv, BatchNormalization, Relu.
- sep_block: depthwise Conv, BN, Relu, 1x1 Conv, BN, Relu.

Every graph is checked against a float64 NumPy reference with sepbench's tolerance before it
is timed. Timing follows sepbench: a warm-up, an iteration count that fills --min-time, then
--repetitions rounds taken round-robin over the thread counts of one case and operator.
results.csv, samples.csv and meta.json have sepbench's columns (variant `onnxruntime`,
layout `nchw`, isa `mlas`); meta.json adds a `peer` object with ONNX Runtime's version and
graph-optimisation level.

Costs (macs, flops, params, bytes_min) follow sepbench's counting convention (README,
"Counting convention"); `--costs-only` prints them so a test can hold them against sepbench's.

Exit status: 0 all timed, 1 a case failed validation (the folder is written), 2 bad input,
130 Ctrl-C, 3 an unexpected error (a traceback on stderr; sepbench itself never exits 3), so
that a caller running this beside sepbench can tell a finished run from a crash.
"""

import argparse
import csv
import io
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

from turns import TurnTaking

SCHEMA = 3
OPS = ["conv", "dw", "pw", "sep_block", "conv_block"]
FLOAT_EPS = 2.0**-23


class BadInput(Exception):
    """One line on stderr, exit 2."""


def run_main(main):
    """Runs main(argv) and exits with its status: 2 for BadInput (one line on stderr), 130 for
    Ctrl-C, 3 with a traceback for any other exception. Python's own default for an uncaught
    exception is 1, which callers read as "finished, a case failed validation"."""
    try:
        status = main(sys.argv[1:])
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        status = 130
    except Exception:
        import traceback
        traceback.print_exc()
        status = 3
    sys.exit(status)


# --- shapes ----------------------------------------------------------------------------------


def parse_descriptor(text):
    """A sepbench block descriptor such as n1c128h56w56o128k3s1p1 (fields n c h w o k s p)."""
    pairs = re.findall(r"([nchwoksp])(\d+)", text)
    fields = dict(pairs)
    if "".join(f"{k}{v}" for k, v in pairs) != text:
        raise BadInput(f"shape '{text}' is not allowed; use a descriptor such as n1c128h56w56o128k3s1p1")
    c, h = int(fields["c"]), int(fields["h"])
    k = int(fields.get("k", 3))
    return {
        "n": int(fields.get("n", 1)), "c": c, "h": h, "w": int(fields.get("w", h)),
        "o": int(fields.get("o", c)), "k": k, "s": int(fields.get("s", 1)),
        "p": int(fields.get("p", k // 2)),
    }


def out_size(size, k, s, p):
    return (size + 2 * p - k) // s + 1


def part(block, op):
    """The operator's own problem, as ConvProblem.part(for:): (n, cin, h, w, cout, k, s, p, groups)."""
    b = block
    if op == "dw":
        return (b["n"], b["c"], b["h"], b["w"], b["c"], b["k"], b["s"], b["p"], b["c"])
    if op == "pw":
        return (b["n"], b["c"], out_size(b["h"], b["k"], b["s"], b["p"]),
                out_size(b["w"], b["k"], b["s"], b["p"]), b["o"], 1, 1, 0, 1)
    return (b["n"], b["c"], b["h"], b["w"], b["o"], b["k"], b["s"], b["p"], 1)


def cost(block, op):
    """(macs, flops, params, bn_params, bytes_min) of `op` on `block`, sepbench's convention."""

    def conv_counts(p):
        n, cin, h, w, cout, k, s, pad, g = p
        oh, ow = out_size(h, k, s, pad), out_size(w, k, s, pad)
        macs = n * cout * oh * ow * (cin // g) * k * k
        return macs, cout * (cin // g) * k * k, n * cin * h * w, n * cout * oh * ow

    if op in ("conv", "dw", "pw"):
        macs, weights, inputs, outputs = conv_counts(part(block, op))
        return macs, 2 * macs, weights, 0, 4 * (inputs + weights + outputs)
    if op == "conv_block":
        p = part(block, op)
        macs, weights, inputs, outputs = conv_counts(p)
        cout = p[4]
        return (macs, 2 * macs + 3 * outputs, weights, 4 * cout,
                4 * (inputs + weights + 2 * cout + outputs))
    dw, pw = part(block, "dw"), part(block, "pw")
    dmacs, dweights, dinputs, doutputs = conv_counts(dw)
    pmacs, pweights, _, poutputs = conv_counts(pw)
    macs = dmacs + pmacs
    return (macs, 2 * macs + 3 * doutputs + 3 * poutputs, dweights + pweights,
            4 * (dw[4] + pw[4]),
            4 * (dinputs + dweights + pweights + 2 * (dw[4] + pw[4]) + poutputs))


def suite_cases(sepbench, suite, shapes):
    """[(case name, descriptor)] of a sepbench suite (`sepbench list suites`), or of --shape."""
    if shapes:
        return [(d, d) for d in shapes]
    listing = subprocess.run([sepbench, "list", "suites"], capture_output=True, text=True, check=True)
    cases, current = [], None
    for line in listing.stdout.splitlines():
        if not line.startswith(" "):
            current = line.split(":")[0]
        elif current == suite:
            name, descriptor = line.split()
            cases.append((name, descriptor))
    if not cases:
        raise BadInput(f"suite '{suite}' is not allowed; use one of sepbench's suites (sepbench list suites)")
    return cases


# --- graphs and reference ---------------------------------------------------------------------


class Graph:
    """Builds one ONNX graph with seeded random weights, and the same computation in NumPy."""

    def __init__(self, np, onnx, seed):
        self.np, self.onnx = np, onnx
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.count = [], [], 0
        self.steps = []  # NumPy reference steps: (kind, arrays, attributes)
        # Prepended to every name: `layer.` names a node's layer, and ONNX Runtime keeps it in
        # the names of the nodes it fuses (`b03.relu24_nchwc`), so its profile maps to layers.
        self.layer = ""

    def _name(self, prefix):
        self.count += 1
        return f"{self.layer}{prefix}{self.count}"

    def _init(self, array, prefix):
        name = self._name(prefix)
        self.inits.append(self.onnx.numpy_helper.from_array(array.astype(self.np.float32), name))
        return name, array.astype(self.np.float32)

    def conv(self, x, cin, cout, k, s, p, g):
        np = self.np
        w_name, w = self._init(self.rng.uniform(-1, 1, (cout, cin // g, k, k)), "W")
        y = self._name("conv")
        self.nodes.append(self.onnx.helper.make_node(
            "Conv", [x, w_name], [y], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4, group=g,
            name=y))
        self.steps.append(("conv", w, (s, p, g)))
        return y

    def bn(self, x, c):
        np = self.np
        arrays = [self._init(v, "bn") for v in (
            self.rng.uniform(0.5, 1.5, c), self.rng.uniform(-0.5, 0.5, c),
            self.rng.uniform(-0.5, 0.5, c), self.rng.uniform(0.5, 1.5, c))]
        y = self._name("bn")
        self.nodes.append(self.onnx.helper.make_node(
            "BatchNormalization", [x] + [a[0] for a in arrays], [y], epsilon=1e-5, name=y))
        self.steps.append(("bn", [a[1] for a in arrays], 1e-5))
        return y

    def relu(self, x):
        y = self._name("relu")
        self.nodes.append(self.onnx.helper.make_node("Relu", [x], [y], name=y))
        self.steps.append(("relu", None, None))
        return y

    def model(self, input_shape, y, output_shape):
        helper, tp = self.onnx.helper, self.onnx.TensorProto
        self.nodes.append(helper.make_node("Identity", [y], ["Y"]))
        graph = helper.make_graph(
            self.nodes, "sepbench_case", [helper.make_tensor_value_info("X", tp.FLOAT, input_shape)],
            [helper.make_tensor_value_info("Y", tp.FLOAT, output_shape)], initializer=self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        self.onnx.checker.check_model(model)
        return model.SerializeToString()

    def reference(self, x):
        """The graph's computation in float64 NumPy."""
        np = self.np
        y = x.astype(np.float64)
        for kind, arrays, attributes in self.steps:
            if kind == "conv":
                y = conv64(np, y, arrays.astype(np.float64), *attributes)
            elif kind == "bn":
                scale, shift, mean, var = (a.astype(np.float64) for a in arrays)
                factor = scale / np.sqrt(var + attributes)
                y = (y - mean[None, :, None, None]) * factor[None, :, None, None] + shift[None, :, None, None]
            else:
                y = np.maximum(y, 0)
        return y


def conv64(np, x, w, s, p, g):
    """NCHW convolution in float64 (sliding windows, one tensordot per group)."""
    n, cin, h, wd = x.shape
    cout, cpg, k, _ = w.shape
    padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    if g == 1:
        return np.einsum("nchwij,ocij->nohw", windows, w, optimize=True)
    # Depthwise: one filter per channel.
    return np.einsum("nchwij,cij->nchw", windows, w[:, 0], optimize=True)


def build(np, onnx, block, op, seed):
    """(model bytes, Graph, input shape, output shape, accumulation length) of `op` on `block`."""
    g = Graph(np, onnx, seed)
    n, cin, h, w, cout, k, s, p, groups = part(block, op)
    if op in ("conv", "dw", "pw"):
        y = g.conv("X", cin, cout, k, s, p, groups)
        length = (cin // groups) * k * k
    elif op == "conv_block":
        y = g.relu(g.bn(g.conv("X", cin, cout, k, s, p, 1), cout))
        length = cin * k * k
    else:
        d = part(block, "dw")
        y = g.relu(g.bn(g.conv("X", cin, cin, d[5], d[6], d[7], cin), cin))
        y = g.relu(g.bn(g.conv(y, cin, cout, 1, 1, 0, 1), cout))
        length = d[5] * d[5] + cin
    oh, ow = out_size(h, k, s, p), out_size(w, k, s, p)
    return g.model([n, cin, h, w], y, [n, cout, oh, ow]), g, (n, cin, h, w), (n, cout, oh, ow), length


# --- timing -----------------------------------------------------------------------------------


def duration_ns(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ns|us|ms|s)", text)
    if not match:
        raise BadInput(f"duration '{text}' is not allowed; use a number with ns, us, ms or s (5ms)")
    return int(float(match.group(1)) * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[match.group(2)])


class Contender:
    """One InferenceSession on a fixed number of threads, input and output bound once."""

    def __init__(self, ort, np, model, threads, x, output_shape, level, profile_prefix=None):
        """profile_prefix: write ONNX Runtime's per-node profile to a file of that prefix
        (`session.end_profiling()` names it)."""
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = level
        if profile_prefix:
            options.enable_profiling = True
            options.profile_file_prefix = profile_prefix
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.output = np.empty(output_shape, dtype=np.float32)
        self.binding = self.session.io_binding()
        self.binding.bind_cpu_input("X", x)
        self.binding.bind_output("Y", "cpu", 0, np.float32, list(output_shape), self.output.ctypes.data)
        self.threads = threads
        self.iterations = 1
        self.samples = []

    def call(self):
        self.session.run_with_iobinding(self.binding)

    def sample(self):
        start = time.perf_counter_ns()
        for _ in range(self.iterations):
            self.call()
        return (time.perf_counter_ns() - start) / self.iterations

    def calibrate(self, min_ns):
        for _ in range(3):
            self.call()
        while self.iterations < 1 << 20:
            start = time.perf_counter_ns()
            for _ in range(self.iterations):
                self.call()
            if time.perf_counter_ns() - start >= min_ns:
                return
            self.iterations *= 2


def quantile(s, q):
    """Type-7 quantile of sorted values, as sepbench's SampleStatistics."""
    position = q * (len(s) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(s) - 1)
    return s[lower] + (s[upper] - s[lower]) * (position - lower)


def statistics(samples):
    """sepbench's SampleStatistics: median and p90 by type-7 quantiles, the sample standard
    deviation, and the median's 95 % interval from 1-based ranks floor(n/2 - 0.98 sqrt n) and
    ceil(n/2 + 1 + 0.98 sqrt n)."""
    s = sorted(samples)
    n = len(s)
    median = quantile(s, 0.5)
    mean = sum(s) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in s) / (n - 1)) if n > 1 else 0.0
    p90 = quantile(s, 0.9)
    half = 0.98 * math.sqrt(n)
    low = s[max(0, min(math.floor(n / 2 - half) - 1, n - 1))]
    high = s[min(n - 1, max(math.ceil(n / 2 + 1 + half) - 1, 0))]
    return {"min": s[0], "median": median, "mean": mean, "p90": p90, "sd": sd, "low": low, "high": high}


def pin(cpu):
    """Runs this process on `cpu` only (nothing when None), as `sepbench run --pin-cpu`."""
    if cpu is None:
        return
    try:
        os.sched_setaffinity(0, {cpu})
    except (OSError, ValueError):
        raise BadInput(f"--pin-cpu {cpu} is not allowed; use one of the CPUs this process "
                       f"may run on: {','.join(map(str, sorted(os.sched_getaffinity(0))))}")


def sample_in_turns(channel, contenders, repetitions):
    """A suite case's samples in turns with `sepbench run --turn-fifos`: one timed sample per
    turn, cycling through the case's contenders (every operator), for as long as sepbench is
    still sampling the case and until each contender has `repetitions` samples; then the end of
    the case. So the two tools' samples of a case interleave over its whole length. Each timed
    sample follows one untimed call, as sepbench's do in turns: the other tool's turn has just
    used the caches."""
    other_done = False
    turn = 0
    while contenders and (not other_done or min(len(c.samples) for c in contenders) < repetitions):
        c = contenders[turn % len(contenders)]
        turn += 1
        c.call()
        c.samples.append(c.sample())
        if channel.other_finished_case(channel.pass_turn()):
            other_done = True
    channel.finish_case()


# --- files ------------------------------------------------------------------------------------

RESULT_COLUMNS = [
    "schema", "suite", "case", "op", "variant", "layout", "threads", "n", "c_in", "h", "w", "c_out",
    "kh", "kw", "stride", "pad", "h_out", "w_out", "macs", "flops", "params", "bytes_min", "reps",
    "iters", "time_min_ns", "time_median_ns", "time_mean_ns", "time_p90_ns", "time_stddev_ns",
    "gflops", "gbps", "max_abs_err", "status", "variant_id", "groups", "bn_params",
    "arithmetic_intensity", "time_median_ci_low_ns", "time_median_ci_high_ns", "note", "isa",
    "algorithm", "algorithm_mults", "transform_flops",
]
SAMPLE_COLUMNS = ["schema", "suite", "case", "op", "variant", "layout", "threads", "rep", "iters", "time_ns", "isa"]


def number(value, digits):
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomically(path, text):
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


ISA_FLAGS = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512vl", "avx512bw", "avx512dq",
             "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile"}


def cache_bytes():
    """L1d, L1i, L2, L3 sizes of CPU 0, as sepbench's meta.json names them."""
    sizes = {}
    base = "/sys/devices/system/cpu/cpu0/cache"
    for index in range(8):
        folder = f"{base}/index{index}"
        try:
            level = open(f"{folder}/level").read().strip()
            kind = open(f"{folder}/type").read().strip()
            size = open(f"{folder}/size").read().strip()
        except OSError:
            continue
        suffix = "d" if kind == "Data" else "i" if kind == "Instruction" else ""
        number = int("".join(ch for ch in size if ch.isdigit()) or 0)
        sizes[f"L{level}{suffix}"] = number * (1024 if size.endswith("K") else 1024 * 1024 if size.endswith("M") else 1)
    return sizes


def fingerprint(info):
    """The machine half of sepbench's fingerprint (the build half is sepbench's own)."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip() and fields:
                    break
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    flags = set(fields.get("flags", "").split())
    number = lambda key: int(fields[key]) if fields.get(key, "").isdigit() else None
    return {
        "cpuVendor": fields.get("vendor_id", ""), "cpuFamily": number("cpu family"),
        "cpuModelNumber": number("model"), "cpuStepping": number("stepping"),
        "cpuModel": info["cpuModel"], "isaFeatures": sorted(flags & ISA_FLAGS),
        "logicalCores": info["logicalCores"], "cacheBytes": info["cacheBytes"],
        "swift": "", "configuration": "", "kernelFlags": "", "papiTrait": False,
    }


def machine():
    info = {"hostname": platform.node().split(".")[0], "cpuModel": "", "logicalCores": os.cpu_count() or 1,
            "cpuFeatures": "", "cacheBytes": cache_bytes(), "memoryBytes": 0,
            "operatingSystem": platform.platform(), "virtualMachine": False}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        model = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
        info["cpuModel"] = model.group(1).strip() if model else ""
        info["virtualMachine"] = " hypervisor" in text
        flags = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
        names = set(flags.group(1).split()) if flags else set()
        info["cpuFeatures"] = "+".join(f for f in ("avx2", "fma", "avx512f") if f in names)
        with open("/proc/meminfo") as f:
            info["memoryBytes"] = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1)) * 1024
        with open("/etc/os-release") as f:
            pretty = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            info["operatingSystem"] = pretty.group(1) if pretty else info["operatingSystem"]
    except OSError:
        pass
    return info


# --- main -------------------------------------------------------------------------------------


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sepbench", default=".build/release/sepbench", help="sepbench binary (for suite cases)")
    parser.add_argument("--suite", default="mobilenet-v1")
    parser.add_argument("--shape", action="append", default=[], help="a block descriptor (repeatable)")
    parser.add_argument("--ops", default=",".join(OPS))
    parser.add_argument("--threads", default="1")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--min-time", default="5ms")
    parser.add_argument("--turn-fifos", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--pin-cpu", type=int, default=None, help=argparse.SUPPRESS)
    add_common_arguments(parser, force_help="replace the result files in --out",
                         costs_help="print case,op,macs,flops,params,bn_params,bytes_min")
    return parser.parse_args(argv)


def optimization_level(ort, name):
    """ONNX Runtime's graph optimisation level for --level."""
    levels = ort.GraphOptimizationLevel
    return {"disable": levels.ORT_DISABLE_ALL, "basic": levels.ORT_ENABLE_BASIC,
            "extended": levels.ORT_ENABLE_EXTENDED, "all": levels.ORT_ENABLE_ALL}[name]


def add_common_arguments(parser, force_help, costs_help):
    """The options every peer script takes: optimisation level, seed, output and costs."""
    parser.add_argument("--level", default="all", choices=["disable", "basic", "extended", "all"],
                        help="ONNX Runtime graph optimisation level")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="result folder to write")
    parser.add_argument("--force", action="store_true", help=force_help)
    parser.add_argument("--costs-only", action="store_true", help=costs_help)


def main(argv):
    args = parse_arguments(argv)
    ops = args.ops.split(",")
    for op in ops:
        if op not in OPS:
            raise BadInput(f"operator '{op}' is not allowed; use {', '.join(OPS)}")
    try:
        threads = [int(t) for t in args.threads.split(",")]
    except ValueError:
        raise BadInput(f"threads '{args.threads}' is not allowed; use counts such as 1,2")
    if any(t < 1 or t > 256 for t in threads):
        raise BadInput(f"threads '{args.threads}' is not allowed; each count is 1 to 256")
    if args.repetitions < 1:
        raise BadInput(f"repetitions {args.repetitions} is not allowed; use 1 or more")
    min_ns = duration_ns(args.min_time)
    cases = [(name, parse_descriptor(d), d) for name, d in suite_cases(args.sepbench, args.suite, args.shape)]
    suite = "shapes" if args.shape else args.suite

    if args.costs_only:
        print("case,op,macs,flops,params,bn_params,bytes_min")
        for name, block, _ in cases:
            for op in ops:
                print(",".join([name, op] + [str(v) for v in cost(block, op)]))
        return 0

    if not args.out:
        raise BadInput("--out is required: the result folder to write")
    if os.path.isdir(args.out) and os.path.exists(os.path.join(args.out, "results.csv")) and not args.force:
        raise BadInput(f"{args.out} already holds results; use --force to replace them")
    os.makedirs(args.out, exist_ok=True)

    import numpy as np
    import onnx
    import onnx.numpy_helper  # noqa: F401
    import onnxruntime as ort

    level = optimization_level(ort, args.level)
    if args.turn_fifos and threads != [1]:
        raise BadInput(f"threads '{args.threads}' is not allowed with --turn-fifos; use 1")
    pin(args.pin_cpu)
    try:
        channel = TurnTaking(args.turn_fifos) if args.turn_fifos else None
    except ValueError as error:
        raise BadInput(str(error))
    start = datetime.now(timezone.utc)
    results, samples = [], []
    total = len(cases) * len(ops) * len(threads)
    done = 0
    for index, (name, block, descriptor) in enumerate(cases):
        prepared = []
        for op in ops:
            model, graph, input_shape, output_shape, length = build(np, onnx, block, op, args.seed + index)
            x = np.random.default_rng(args.seed).uniform(-1, 1, input_shape).astype(np.float32)
            expected = graph.reference(x)
            tolerance = 4 * FLOAT_EPS * length * max(1.0, float(np.abs(expected).max()))
            contenders, errors = [], {}
            for t in threads:
                c = Contender(ort, np, model, t, x, output_shape, level)
                c.call()
                errors[t] = float(np.abs(c.output.astype(np.float64) - expected).max())
                if errors[t] <= tolerance and np.isfinite(c.output).all():
                    c.calibrate(min_ns)
                    contenders.append(c)
            if not channel:
                for rep in range(args.repetitions):
                    for c in contenders:
                        c.samples.append(c.sample())
            prepared.append((op, contenders, errors, tolerance))
        if channel:
            sample_in_turns(channel, [c for _, cs, _, _ in prepared for c in cs], args.repetitions)
        for op, contenders, errors, tolerance in prepared:
            n, cin, h, w, cout, k, s, p, groups = part(block, op)
            macs, flops, params, bn_params, bytes_min = cost(block, op)
            for t in threads:
                c = next((c for c in contenders if c.threads == t), None)
                st = statistics(c.samples) if c else None
                status = "ok" if c else "failed"
                note = "" if c else f"max error {errors[t]} > tolerance {tolerance}"
                vid = f"{op}.onnxruntime.nchw" + (f".t{t}" if t > 1 else "")
                median = st["median"] if st else None
                results.append([
                    SCHEMA, suite, name, op, "onnxruntime", "nchw", t, n, cin, h, w, cout, k, k, s, p,
                    out_size(h, k, s, p), out_size(w, k, s, p), macs, flops, params, bytes_min,
                    len(c.samples) if c else 0, c.iterations if c else 0,
                    number(st and st["min"], 1), number(median, 1), number(st and st["mean"], 1),
                    number(st and st["p90"], 1), number(st and st["sd"], 1),
                    number(median and flops / median, 3), number(median and bytes_min / median, 3),
                    number(errors[t], 12), status, vid, groups, bn_params, number(flops / bytes_min, 4),
                    number(st and st["low"], 1), number(st and st["high"], 1), note, "mlas", "direct",
                    macs, 0,
                ])
                for rep, value in enumerate(c.samples if c else []):
                    samples.append([SCHEMA, suite, name, op, "onnxruntime", "nchw", t, rep, c.iterations,
                                    number(value, 1), "mlas"])
                done += 1
                shown = f"{median / 1e6:.4f} ms" if median else "failed validation"
                print(f"[{done}/{total}] {name} {vid}: {shown}", file=sys.stderr)

    if channel:
        channel.leave()
    write_atomically(os.path.join(args.out, "results.csv"), csv_text(RESULT_COLUMNS, results))
    write_atomically(os.path.join(args.out, "samples.csv"), csv_text(SAMPLE_COLUMNS, samples))
    end = datetime.now(timezone.utc)
    info = machine()
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    meta = {
        "schema": SCHEMA, "tool": "onnxruntime-peer", "commandLine": [sys.argv[0]] + argv,
        "startTime": start.strftime(stamp), "endTime": end.strftime(stamp), "completed": True,
        "machine": info, "fingerprint": fingerprint(info),
        "toolchain": {"swift": "", "configuration": "release", "papiTrait": False},
        "plan": {
            "suite": suite, "cases": [f"{name}={d}" for name, _, d in cases], "ops": ops,
            "variants": ["onnxruntime"], "layouts": ["nchw"], "threads": threads,
            "minSampleNanoseconds": min_ns, "repetitions": args.repetitions,
            "caseBudgetNanoseconds": 0, "seed": args.seed, "events": [], "metric": "time",
        },
        "peer": {
            "name": "onnxruntime", "version": ort.__version__, "onnx": onnx.__version__,
            "numpy": np.__version__, "python": platform.python_version(),
            "graphOptimizationLevel": args.level, "provider": "CPUExecutionProvider",
        },
        "turnsPassed": channel.turns_passed if channel else None,
    }
    write_atomically(os.path.join(args.out, "meta.json"), json.dumps(meta, indent=2, sort_keys=True) + "\n")
    failed = sum(1 for r in results if r[32] == "failed")
    print(f"{len(results) - failed} cases timed, {failed} failed validation", file=sys.stderr)
    print(f"Results: {args.out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    run_main(main)
