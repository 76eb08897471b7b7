"""ONNX Runtime's whole MobileNetV1, written as a `sepbench network` folder.

The same network as `sepbench network mobilenet-v1`: the 3x3 stride-2 stem, 13 depthwise-
separable blocks, global average pooling and the FC layer with bias, at width multiplier α
(channels max(8, floor(α·C))) and resolution R, float32, NCHW, batch 1. Conv nodes carry no
bias; BatchNormalization and Relu are separate nodes, so ONNX Runtime's graph optimiser folds
and fuses them as it would for an exported model. Weights are seeded and scaled by
1/sqrt(fan-in) as sepbench's, so activations stay near magnitude 1 through 28 layers.

The graph is checked against a float64 NumPy forward pass with sepbench's end-to-end bound
before it is timed. Timing follows `sepbench network`: a warm-up of at least --warm-up and two
passes per thread count, then --repetitions rounds, one forward pass per thread count per round.
network.csv has sepbench's columns, tool `onnxruntime`: per thread count one `total` row of the
timed passes, and before it one row per layer (reorder, conv1, b01 to b13, pool, fc) from ONNX
Runtime's profiler in --repetitions further passes: the median of the layer's node times (its
fused nodes' names keep the layer's prefix; the reorders ONNX Runtime inserts count as
`reorder`), its share of the profiled pass, and its GFLOP/s.
meta.json names ONNX Runtime's version and the check. Exit status: 0 timed, 1 the network
failed its check (nothing is written), 2 bad input, 130 Ctrl-C, 3 an unexpected error.
"""

import argparse
import json
import math
import os
import platform
import re
import sys
import tempfile
import time
from datetime import datetime, timezone

import ort_peer as peer
from turns import TurnTaking

SEPARABLE = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
             (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
NETWORK_COLUMNS = [
    "tool", "network", "width", "resolution", "model", "threads", "layer", "kind", "variant_id",
    "layout", "macs", "mults", "params", "samples", "time_ns_median", "time_ns_ci_low",
    "time_ns_ci_high", "share", "gflops", "alone_time_ns", "in_network_over_alone",
    "speedup_of_separable", "mult_ratio",
]


def channels(base, width):
    return max(8, math.floor(base * width))


def layers(width, resolution):
    """[(kind, cin, cout, h_in, stride)] with kind stem, dw, pw; then (pool, c) and (fc, c)."""
    out = []
    c = channels(32, width)
    out.append(("stem", 3, c, resolution, 2))
    h = (resolution - 1) // 2 + 1
    for base, stride in SEPARABLE:
        o = channels(base, width)
        out.append(("dw", c, c, h, stride))
        h = (h - 1) // stride + 1
        out.append(("pw", c, o, h, 1))
        c = o
    return out, c, h


def layer_name(index):
    """The `sepbench network` layer of the index-th entry of `layers`: conv1, then b01 to b13
    (a block's depthwise and pointwise convolutions)."""
    return "conv1" if index == 0 else f"b{(index + 1) // 2:02d}"


def conv_costs(width, resolution):
    """(layer, MACs, params) of each convolution of `layers`, in sepbench's convention
    (`sepbench model`), and the FC layer's input channels."""
    convs, c, _ = layers(width, resolution)
    costs = []
    for index, (kind, cin, cout, h, s) in enumerate(convs):
        oh = (h - 1) // s + 1 if kind != "pw" else h
        per_out = (1 if kind == "pw" else 9) * (1 if kind == "dw" else cin)
        costs.append((layer_name(index), oh * oh * cout * per_out, cout * per_out))
    return costs, c


def layer_macs(width, resolution):
    """{layer: MACs} in sepbench's convention, for the layers `sepbench network` reports."""
    costs, c = conv_costs(width, resolution)
    macs = {"reorder": 0, "pool": 0}
    for layer, work, _ in costs:
        macs[layer] = macs.get(layer, 0) + work
    macs["fc"] = c * 1000
    return macs


# The layers of `sepbench network`'s network.csv, in order.
LAYERS = ["reorder", "conv1"] + [f"b{i:02d}" for i in range(1, 14)] + ["pool", "fc"]
LAYER_KINDS = {"reorder": "reorder", "conv1": "conv_block", "pool": "avg_pool", "fc": "fc",
               "other": "other"}


LAYER_IN_NAME = re.compile(r"(?:^|[^0-9A-Za-z])(conv1|b\d\d|pool|fc)\.")
REORDERS = ("ReorderInput", "ReorderOutput")


def profiled_layers(path, passes):
    """{layer: [ns of each of the last `passes` passes]} and [ns of each of those passes], from
    ONNX Runtime's profile at `path`. A node's layer is the `layer.` prefix its name carries
    (ONNX Runtime keeps it in the names of fused nodes, wherever in the name it puts it); the
    layout reorders it inserts count as `reorder`, any other node as `other` (named on
    stderr). A node that ran in fewer passes counts in the last ones."""
    with open(path) as f:
        events = json.load(f)
    per_node, runs = {}, []
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            node = (event["name"][:-len("_kernel_time")], event.get("args", {}).get("op_name", ""))
            per_node.setdefault(node, []).append(event["dur"] * 1000)
        elif event.get("cat") == "Session" and event["name"] == "model_run":
            runs.append(event["dur"] * 1000)
    layers = {}
    for (node, op), durations in per_node.items():
        match = LAYER_IN_NAME.search(node)
        if match:
            layer = match.group(1)
        elif op in REORDERS or node.startswith(REORDERS):
            layer = "reorder"
        else:
            layer = "other"
            print(f"onnxruntime network: node '{node}' ({op}) belongs to no layer; counted as other",
                  file=sys.stderr)
        sums = layers.setdefault(layer, [0.0] * passes)
        kept = durations[-passes:]
        for i, ns in enumerate(kept, start=passes - len(kept)):
            sums[i] += ns
    return layers, runs[-passes:]


def counts(width, resolution):
    """(macs, params) in sepbench's convention (`sepbench model`)."""
    costs, c = conv_costs(width, resolution)
    return sum(m for _, m, _ in costs) + c * 1000, sum(p for _, _, p in costs) + c * 1000


class NetworkGraph(peer.Graph):
    """Graph with weights scaled by 1/sqrt(fan-in), pooling and a biased FC layer."""

    def conv(self, x, cin, cout, k, s, p, g):
        np = self.np
        scale = 1 / math.sqrt((cin // g) * k * k)
        w_name, w = self._init(self.rng.uniform(-1, 1, (cout, cin // g, k, k)) * scale, "W")
        y = self._name("conv")
        self.nodes.append(self.onnx.helper.make_node(
            "Conv", [x, w_name], [y], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4, group=g,
            name=y))
        self.steps.append(("conv", w, (s, p, g)))
        return y

    def pool_fc(self, x, c, classes):
        helper = self.onnx.helper
        self.layer = "pool."
        pooled = self._name("pool")
        self.nodes.append(helper.make_node("GlobalAveragePool", [x], [pooled], name=pooled))
        self.layer = "fc."
        flat, y = self._name("flat"), self._name("fc")
        self.nodes.append(helper.make_node("Flatten", [pooled], [flat], axis=1, name=flat))
        w_name, w = self._init(self.rng.uniform(-1, 1, (classes, c)) / math.sqrt(c), "fcW")
        b_name, b = self._init(self.rng.uniform(-0.5, 0.5, classes), "fcB")
        self.nodes.append(helper.make_node("Gemm", [flat, w_name, b_name], [y], transB=1, name=y))
        self.steps.append(("pool_fc", (w, b), None))
        return y

    def reference(self, x):
        np = self.np
        y = x.astype(np.float64)
        for kind, arrays, attributes in self.steps:
            if kind == "conv":
                y = peer.conv64(np, y, arrays.astype(np.float64), *attributes)
            elif kind == "bn":
                scale, shift, mean, var = (a.astype(np.float64) for a in arrays)
                factor = scale / np.sqrt(var + attributes)
                y = (y - mean[None, :, None, None]) * factor[None, :, None, None] + shift[None, :, None, None]
            elif kind == "relu":
                y = np.maximum(y, 0)
            else:
                w, b = (a.astype(np.float64) for a in arrays)
                y = y.mean(axis=(2, 3)) @ w.T + b
        return y


def build(np, onnx, width, resolution, seed):
    """(model bytes, graph, sum of accumulation lengths) of MobileNetV1 at α and R."""
    g = NetworkGraph(np, onnx, seed)
    convs, c, h = layers(width, resolution)
    y, length = "X", 0
    for index, (kind, cin, cout, _, s) in enumerate(convs):
        g.layer = layer_name(index) + "."
        if kind == "stem":
            y = g.relu(g.bn(g.conv(y, cin, cout, 3, s, 1, 1), cout))
            length += cin * 9
        elif kind == "dw":
            y = g.relu(g.bn(g.conv(y, cin, cin, 3, s, 1, cin), cin))
            length += 9
        else:
            y = g.relu(g.bn(g.conv(y, cin, cout, 1, 1, 0, 1), cout))
            length += cin
    y = g.pool_fc(y, c, 1000)
    length += h * h + c
    name = f"mobilenet_v1_{width}_{resolution}"
    helper, tp = onnx.helper, onnx.TensorProto
    g.nodes.append(helper.make_node("Identity", [y], ["Y"], name="fc.out"))
    graph = helper.make_graph(
        g.nodes, name, [helper.make_tensor_value_info("X", tp.FLOAT, [1, 3, resolution, resolution])],
        [helper.make_tensor_value_info("Y", tp.FLOAT, [1, 1000])], initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString(), g, length


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--resolution", type=int, default=224)
    parser.add_argument("--threads", default="1")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warm-up", default="200ms")
    parser.add_argument("--turn-fifos", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--pin-cpu", type=int, default=None, help=argparse.SUPPRESS)
    peer.add_common_arguments(parser, force_help="replace network.csv and meta.json in --out",
                              costs_help="print macs,params")
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    if not (0 < args.width <= 4):
        raise peer.BadInput(f"--width {args.width} is not allowed; use a number greater than 0 and at most 4")
    if not (32 <= args.resolution <= 1024):
        raise peer.BadInput(f"--resolution {args.resolution} is not allowed; use 32 to 1024")
    try:
        threads = [int(t) for t in args.threads.split(",")]
    except ValueError:
        raise peer.BadInput(f"threads '{args.threads}' is not allowed; use counts such as 1,2")
    if any(t < 1 or t > 256 for t in threads):
        raise peer.BadInput(f"threads '{args.threads}' is not allowed; each count is 1 to 256")
    if args.repetitions < 1:
        raise peer.BadInput(f"repetitions {args.repetitions} is not allowed; use 1 or more")
    warm_ns = peer.duration_ns(args.warm_up)
    macs, params = counts(args.width, args.resolution)
    if args.costs_only:
        print(f"macs,params\n{macs},{params}")
        return 0
    if not args.out:
        raise peer.BadInput("--out is required: the result folder to write")
    if os.path.exists(os.path.join(args.out, "network.csv")) and not args.force:
        raise peer.BadInput(f"{args.out} already holds a network run; use --force to replace it")
    os.makedirs(args.out, exist_ok=True)

    import numpy as np
    import onnx
    import onnx.numpy_helper  # noqa: F401
    import onnxruntime as ort

    level = peer.optimization_level(ort, args.level)
    peer.pin(args.pin_cpu)
    start = datetime.now(timezone.utc)
    model, graph, length = build(np, onnx, args.width, args.resolution, args.seed)
    x = np.random.default_rng(args.seed).uniform(-1, 1, (1, 3, args.resolution, args.resolution)).astype(np.float32)
    expected = graph.reference(x)
    tolerance = 4 * peer.FLOAT_EPS * length * max(1.0, float(np.abs(expected).max()))
    contenders, checks = [], []
    for t in threads:
        c = peer.Contender(ort, np, model, t, x, (1, 1000), level)
        c.call()
        error = float(np.abs(c.output.astype(np.float64) - expected).max())
        passed = error <= tolerance and bool(np.isfinite(c.output).all())
        checks.append({"threads": t, "maxAbsError": error, "tolerance": tolerance, "passed": passed})
        if not passed:
            print(f"FAILED onnxruntime network on {t} thread(s): max error {error} > allowed {tolerance}",
                  file=sys.stderr)
            return 1
        contenders.append(c)
    # With --turn-fifos (Scripts/peers/ab-onnxruntime-network), one round of timed passes per
    # turn with `sepbench network`, so both tools' passes sit milliseconds apart. The warm-up
    # runs inside the first turn, as sepbench's does.
    try:
        channel = TurnTaking(args.turn_fifos) if args.turn_fifos else None
    except ValueError as error:
        raise peer.BadInput(str(error))
    for c in contenders:
        begin, passes = time.perf_counter_ns(), 0
        while passes < 2 or time.perf_counter_ns() - begin < warm_ns:
            c.call()
            passes += 1
    cpu_while_waiting = 0.0
    for _ in range(args.repetitions):
        for c in contenders:
            c.samples.append(c.sample())
        if channel:
            # The CPU this process uses while sepbench has the turn (pool threads still
            # spinning) would compete with sepbench's pass; it is recorded.
            before = time.process_time()
            channel.pass_turn()
            cpu_while_waiting += time.process_time() - before
    if channel:
        channel.leave()
    # Per layer: ONNX Runtime's profiler, in passes of their own after the timed ones, so that
    # its bookkeeping (a clock read and a record per node) stays out of the timed latency.
    macs_of = layer_macs(args.width, args.resolution)
    rows = []
    for c in contenders:
        vid = "onnxruntime" + (f".t{c.threads}" if c.threads > 1 else "")
        with tempfile.TemporaryDirectory() as scratch:
            profiled = peer.Contender(ort, np, model, c.threads, x, (1, 1000), level,
                                      profile_prefix=os.path.join(scratch, "profile"))
            for _ in range(2 + args.repetitions):
                profiled.call()
            per_layer, runs = profiled_layers(profiled.session.end_profiling(), args.repetitions)
        run_median = peer.statistics(runs)["median"]
        for layer in sorted(per_layer, key=lambda name: LAYERS.index(name) if name in LAYERS else len(LAYERS)):
            st = peer.statistics(per_layer[layer])
            work = macs_of.get(layer, 0)
            rows.append([
                "onnxruntime", "mobilenet-v1", peer.number(args.width, 4), args.resolution, "separable",
                c.threads, layer, LAYER_KINDS.get(layer, "sep_block"), vid, "nchw", work,
                work, "", len(per_layer[layer]), peer.number(st["median"], 1),
                peer.number(st["low"], 1), peer.number(st["high"], 1),
                peer.number(st["median"] / run_median, 4),
                peer.number(2 * work / st["median"], 3) if work and st["median"] else "",
                "", "", "", "",
            ])
        st = peer.statistics(c.samples)
        rows.append([
            "onnxruntime", "mobilenet-v1", peer.number(args.width, 4), args.resolution, "separable",
            c.threads, "total", "network", vid, "nchw", macs, macs, params, len(c.samples),
            peer.number(st["median"], 1), peer.number(st["low"], 1), peer.number(st["high"], 1), 1,
            peer.number(2 * macs / st["median"], 3), "", "", "", "",
        ])
        print(f"onnxruntime network, {c.threads} thread(s): {st['median'] / 1e6:.3f} ms "
              f"({st['low'] / 1e6:.3f}-{st['high'] / 1e6:.3f})", file=sys.stderr)
    peer.write_atomically(os.path.join(args.out, "network.csv"), peer.csv_text(NETWORK_COLUMNS, rows))
    info = peer.machine()
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    meta = {
        "schema": 1, "tool": "onnxruntime-peer", "kind": "network",
        "commandLine": [sys.argv[0]] + argv, "startTime": start.strftime(stamp),
        "endTime": datetime.now(timezone.utc).strftime(stamp), "completed": True,
        "machine": info, "fingerprint": peer.fingerprint(info), "network": "mobilenet-v1",
        "width": args.width, "resolution": args.resolution, "seed": args.seed,
        "repetitions": args.repetitions, "validation": checks,
        "turnsPassed": channel.turns_passed if channel else None,
        "cpuSecondsWhileWaiting": cpu_while_waiting if channel else None,
        "peer": {
            "name": "onnxruntime", "version": ort.__version__, "onnx": onnx.__version__,
            "numpy": np.__version__, "python": platform.python_version(),
            "graphOptimizationLevel": args.level, "provider": "CPUExecutionProvider",
        },
    }
    peer.write_atomically(os.path.join(args.out, "meta.json"), json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"Results: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    peer.run_main(main)
