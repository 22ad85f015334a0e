#!/usr/bin/env python3
"""onnxc against ONNX Runtime on vision models, and onnxc's GFLOP/s.

For each model written by bench/models/make_models.py (NAME.onnx with a
dynamic batch, NAME.b{1,8}.input.npy and PyTorch's NAME.b{1,8}.output.npy):
- compiles it once with onnxc (compile time, the compiler's peak memory);
- checks onnxc's outputs at batch 1 and 8 against PyTorch's (rtol 1e-3,
  atol 1e-4);
- times onnxc (`<name>_run_batch` through ctypes) and ONNX Runtime (all
  graph optimizations, the same thread count) on the same inputs: the
  median of at least --runs runs (and at least 2 s of runs) after 8
  warm-up runs (onnxc's `_run_batch` times its first 7 calls to choose
  how items share the threads), at each batch and thread count, the two timed in
  alternating rounds (a slow spell of a shared host falls on both), and
  prints the ratio onnxc / ONNX Runtime (the median of the rounds'
  ratios).
Then it measures one core's FP32 peak (bench/peak_flops.c), and the GFLOP/s
of a 1024^3 SGEMM (MatMul with constant B) and of the three largest convs
of ResNet-50 at one thread, onnxc next to ONNX Runtime.

`--report FILE` writes the tables as Markdown (docs/benchmarks.md).
"""

import argparse
import ctypes
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def compile_model(onnxc, model, obj):
    """Compiles with onnxc --report-resources; returns (seconds, peak memory in MiB) as
    onnxc measured them (its own VmHWM)."""
    p = subprocess.run([onnxc, model, "-o", obj, "--name", "m", "--report-resources"],
                       capture_output=True, text=True)
    m = re.search(r"compile_s ([\d.]+) peak_mib ([\d.]+)", p.stderr)
    if p.returncode != 0 or not m:
        sys.exit("onnxc %s failed:\n%s%s" % (model, p.stdout, p.stderr))
    return float(m.group(1)), float(m.group(2))


class Compiled:
    """A model compiled by onnxc and loaded as a shared library."""

    def __init__(self, args, model, tmp, name):
        obj = os.path.join(tmp, name + ".o")
        self.compile_s, self.peak_mib = compile_model(args.onnxc, model, obj)
        self.tmp, self.name = tmp, name
        self.so = os.path.join(tmp, name + ".so")
        subprocess.run([args.cc, "-shared", "-o", self.so, obj,
                        args.runtime_lib, "-lpthread", "-lm", "-ldl"],
                       check=True)
        self.lib = None

    def load(self, threads):
        """Loads the library (once) and sizes its thread pool."""
        if self.lib is None:
            self.lib = ctypes.CDLL(self.so)
            self.lib.m_workspace_size.restype = ctypes.c_size_t
            self.ws = np.zeros(self.lib.m_workspace_size() + 64, np.uint8)
            self.ws_ptr = ctypes.c_void_p(self.ws.ctypes.data +
                                          (-self.ws.ctypes.data) % 64)
            self.batched = hasattr(self.lib, "m_run_batch")
        self.lib.m_set_num_threads(threads)

    def batch_way(self):
        """How `_run_batch` spread the items over the threads: "lanes"
        (one item per thread), "one at a time" (each kernel on every
        thread) or "probing"."""
        if not self.batched:
            return ""
        return {0: "probing", 1: "lanes", 2: "one at a time"}.get(
            self.lib.m_batch_way(), "?")

    def prepare(self, inputs, outputs):
        """Binds input and output arrays; returns a function running once."""
        ins = (ctypes.c_void_p * max(1, len(inputs)))(
            *[a.ctypes.data for a in inputs])
        outs = (ctypes.c_void_p * max(1, len(outputs)))(
            *[a.ctypes.data for a in outputs])
        batch = inputs[0].shape[0] if inputs else 1
        if self.batched:
            fn = self.lib.m_run_batch
            fn.argtypes = [ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p,
                           ctypes.c_void_p]
            call = lambda: fn(batch, ins, outs, self.ws_ptr)
        else:
            fn = self.lib.m_run
            fn.argtypes = [ctypes.c_void_p] * 3
            call = lambda: fn(ins, outs, self.ws_ptr)

        def run():
            rc = call()
            if rc != 0:
                sys.exit("the compiled model failed with status %d" % rc)
        return run


# Timing: alternating rounds, at least --runs runs of each side and at
# least MIN_SECONDS of the slower side's runs (at most MAX_RUNS).
ROUNDS = 10
# Untimed runs first: onnxc's `_run_batch` with more than one lane times
# its first seven calls (one untimed, three in lanes and three one item at
# a time) and keeps the faster way.
WARMUP = 8
MIN_SECONDS = 2.0
MAX_RUNS = 400


def paired_median_ms(ours, theirs, runs, rounds=ROUNDS,
                     min_seconds=MIN_SECONDS):
    """The medians of at least `runs` runs of each of `ours` and `theirs`,
    and of as many as take `min_seconds` of the slower one (a fast model's
    20 runs would last a fraction of a second, within one slow spell of a
    shared host), timed in `rounds` alternating rounds (ours first, then
    theirs first, ...) after WARMUP runs of each, so that a slow spell
    falls on both rather than on whichever was being timed. Returns the
    two medians over all runs and the median over the rounds of each
    round's ratio ours / theirs (its two halves adjacent in time, so that
    a slow spell spanning both cancels, and one on a single half is
    outvoted by the other rounds). Each round starts with a pause, in
    which the other runtime's worker threads stop spinning (ONNX Runtime's
    spin after each run, and would take a core from the next round), and
    one untimed run."""
    warm = {ours: [], theirs: []}
    for _ in range(WARMUP):
        for run in (ours, theirs):
            t = time.perf_counter()
            run()
            warm[run].append(time.perf_counter() - t)
    slower = max(min(warm[ours]), min(warm[theirs]))
    runs = max(runs, min(MAX_RUNS, int(min_seconds / max(slower, 1e-6))))
    per_round = -(-runs // rounds)
    times = {ours: [], theirs: []}
    ratios = []
    for i in range(rounds):
        for run in (ours, theirs) if i % 2 == 0 else (theirs, ours):
            time.sleep(0.05)
            run()
            for _ in range(per_round):
                t = time.perf_counter()
                run()
                times[run].append((time.perf_counter() - t) * 1000)
        ratios.append(np.median(times[ours][-per_round:]) /
                      np.median(times[theirs][-per_round:]))
    return (float(np.median(times[ours])), float(np.median(times[theirs])),
            float(np.median(ratios)))


def ort_session(path, threads):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, opts,
                                providers=["CPUExecutionProvider"])


def bench_model(args, name, tmp, rows):
    path = os.path.join(args.models, name + ".onnx")
    model = Compiled(args, path, tmp, name)
    sess_outputs = [o.name for o in onnx.load(path, load_external_data=False)
                    .graph.output]
    data = {}
    for batch in args.batches:
        stem = os.path.join(args.models, "%s.b%d" % (name, batch))
        data[batch] = (np.load(stem + ".input.npy"),
                       np.load(stem + ".output.npy"))
    for threads in args.threads:
        model.load(threads)
        sess = ort_session(path, threads)
        for batch in args.batches:
            x, want = data[batch]
            got = np.zeros(want.shape, np.float32)
            run = model.prepare([x], [got])
            run()
            err = float(np.max(np.abs(got - want)))
            ok = bool(np.allclose(got, want, rtol=1e-3, atol=1e-4))
            feeds = {sess.get_inputs()[0].name: x}
            ours, theirs, ratio = paired_median_ms(
                run, lambda: sess.run(sess_outputs, feeds), args.runs)
            way = model.batch_way() if batch > 1 and threads > 1 else ""
            row = dict(model=name, batch=batch, threads=threads, onnxc=ours,
                       ort=theirs, ratio=ratio, ok=ok, err=err, way=way,
                       compile_s=model.compile_s, peak_mib=model.peak_mib)
            rows.append(row)
            print("%-20s batch %d threads %d  onnxc %9.2f ms  ort %9.2f ms  "
                  "ratio %5.2f  %s (max abs err %.2g)  compile %.1f s, "
                  "%.0f MiB%s" % (name, batch, threads, ours, theirs,
                                  ratio, "match" if ok else "MISMATCH",
                                  err, model.compile_s, model.peak_mib,
                                  "  items: " + way if way else ""),
                  flush=True)
    rows.sort(key=lambda r: (r["model"], r["batch"], r["threads"]))


def measure_peak(args, tmp):
    exe = os.path.join(tmp, "peak")
    flags = ["-mavx512f"] if "avx512f" in open("/proc/cpuinfo").read() \
        else ["-mavx2", "-mfma"]
    subprocess.run([args.cc, "-O2"] + flags +
                   [os.path.join(HERE, "peak_flops.c"), "-o", exe], check=True)
    out = subprocess.run([exe], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[1])


def single_op_model(path, node, inputs, inits):
    graph = helper.make_graph([node], "op", inputs,
                              [helper.make_tensor_value_info(
                                  "y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model = onnx.shape_inference.infer_shapes(model)
    onnx.save(model, path)


def largest_convs(path, count):
    """The `count` convs of the model with the most FLOPs (distinct shapes):
    (flops, x shape, w shape, attributes)."""
    model = onnx.shape_inference.infer_shapes(onnx.load(path))
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input):
        dims = [d.dim_value if d.dim_value else 1
                for d in v.type.tensor_type.shape.dim]
        shapes[v.name] = dims
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    convs = {}
    for node in model.graph.node:
        if node.op_type != "Conv":
            continue
        x, w = shapes[node.input[0]], shapes[node.input[1]]
        attrs = {a.name: helper.get_attribute_value(a)
                 for a in node.attribute}
        y = shapes.get(node.output[0])
        if not y:
            continue
        flops = 2.0 * np.prod(y) * np.prod(w[1:])
        key = (tuple(x), tuple(w), tuple(sorted(
            (k, tuple(v) if isinstance(v, list) else v)
            for k, v in attrs.items())))
        convs[key] = (flops, x, w, attrs)
    return sorted(convs.values(), key=lambda c: -c[0])[:count]


def bench_kernels(args, tmp, peak, rows):
    rng = np.random.default_rng(0)
    cases = []
    n = 1024
    path = os.path.join(tmp, "sgemm.onnx")
    single_op_model(
        path, helper.make_node("MatMul", ["a", "b"], ["y"]),
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])],
        [numpy_helper.from_array(
            rng.standard_normal((n, n)).astype(np.float32), "b")])
    cases.append(("SGEMM 1024x1024x1024", path, 2.0 * n ** 3, [n, n]))
    resnet50 = os.path.join(args.models, "resnet50.onnx")
    if os.path.exists(resnet50):
        for i, (flops, x, w, attrs) in enumerate(
                largest_convs(resnet50, args.convs)):
            path = os.path.join(tmp, "conv%d.onnx" % i)
            single_op_model(
                path, helper.make_node("Conv", ["x", "w", "bias"], ["y"],
                                       **attrs),
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, x)],
                [numpy_helper.from_array(
                    rng.standard_normal(w).astype(np.float32) * 0.05, "w"),
                 numpy_helper.from_array(
                     rng.standard_normal(w[0]).astype(np.float32), "bias")])
            label = "ResNet-50 conv %s %dx%d/%d %d->%d" % (
                "x".join(map(str, x[2:])), w[2], w[3],
                attrs.get("strides", [1])[0], w[1], w[0])
            cases.append((label, path, flops, x))
    for i, (label, path, flops, xshape) in enumerate(cases):
        # A fresh library name each time: dlopen would return the loaded one.
        model = Compiled(args, path, tmp, "kernel%d" % i)
        model.load(1)
        sess = ort_session(path, 1)
        x = rng.standard_normal(xshape).astype(np.float32)
        want = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        got = np.zeros(want.shape, np.float32)
        run = model.prepare([x], [got])
        run()
        ok = bool(np.allclose(got, want, rtol=1e-3, atol=1e-3))
        feeds = {sess.get_inputs()[0].name: x}
        ours, theirs, _ = paired_median_ms(
            run, lambda: sess.run(None, feeds), args.runs)
        row = dict(kernel=label, gflops=flops / ours / 1e6,
                   ort_gflops=flops / theirs / 1e6, onnxc=ours, ort=theirs,
                   ok=ok)
        row["peak_pct"] = 100.0 * row["gflops"] / peak
        rows.append(row)
        print("%-40s onnxc %7.1f GFLOP/s (%4.1f%% of peak)  ort %7.1f "
              "GFLOP/s  %s" % (label, row["gflops"], row["peak_pct"],
                               row["ort_gflops"],
                               "match" if ok else "MISMATCH"), flush=True)


def write_report(path, args, model_rows, kernel_rows, peak):
    lines = ["# Benchmarks", "",
             "Generated by `bench/vision.py`; do not edit by hand.", "",
             "CPU: %s (%d cores). One core's measured FP32 peak "
             "(`bench/peak_flops.c`): %.1f GFLOP/s. ONNX Runtime %s, all "
             "graph optimizations, the same thread count. Times are medians "
             "of at least %d runs after %d warm-up runs, and of as many as "
             "take %.0f s of the slower one's runs (at most %d), onnxc and "
             "ONNX Runtime timed in %d alternating rounds; ratio = the median "
             "over the rounds of each round's onnxc / ONNX Runtime (below 1: "
             "onnxc is faster), so it can differ a little from the two "
             "medians' quotient." % (
                 cpu_model(), os.cpu_count(), peak, ort.__version__,
                 args.runs, WARMUP, MIN_SECONDS, MAX_RUNS, ROUNDS), "",
             "Command: `build/venv/bin/python bench/models/make_models.py "
             "--out build/models && build/venv/bin/python bench/vision.py "
             "--models build/models%s --report docs/benchmarks.md`" % (
                 " --convs %d" % args.convs if args.convs != 3 else ""), "",
             "## Models", "",
             "Random weights (`torch.manual_seed(0)`), opset 17, one object "
             "per model with a dynamic batch. *match*: onnxc's outputs agree "
             "with PyTorch's within rtol 1e-3, atol 1e-4. *items*: how "
             "`_run_batch` ran a batch on more than one thread after timing "
             "both ways in its first calls (*lanes*: one item per thread; "
             "*one at a time*: each kernel on every thread).", "",
             "| model | batch | threads | onnxc ms | ORT ms | ratio | "
             "outputs | compile s | compiler peak MiB | items |",
             "|---|---:|---:|---:|---:|---:|---|---:|---:|---|"]
    for r in model_rows:
        lines.append("| %s | %d | %d | %.2f | %.2f | %.2f | %s | %.1f | %.0f "
                     "| %s |"
                     % (r["model"], r["batch"], r["threads"], r["onnxc"],
                        r["ort"], r["ratio"],
                        "match" if r["ok"] else "MISMATCH (%.2g)" % r["err"],
                        r["compile_s"], r["peak_mib"], r["way"]))
    lines += ["", "## Kernels (one thread)", "",
              "GFLOP/s count the FLOPs of the operation as written (2 per "
              "multiply-add of a direct convolution). onnxc computes 3x3 "
              "stride-1 convolutions with Winograd's F(4x4, 3x3) or F(2x2, "
              "3x3), which does 4 or 2.25 times fewer multiplies, so those "
              "rows can exceed the peak.", "",
              "| kernel | onnxc GFLOP/s | % of peak | ORT GFLOP/s | onnxc ms "
              "| ORT ms | outputs |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in kernel_rows:
        lines.append("| %s | %.1f | %.1f%% | %.1f | %.2f | %.2f | %s |" % (
            r["kernel"], r["gflops"], r["peak_pct"], r["ort_gflops"],
            r["onnxc"], r["ort"], "match" if r["ok"] else "MISMATCH"))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--models", default=os.path.join(ROOT, "build", "models"),
                   help="folder written by make_models.py")
    p.add_argument("--onnxc", default=os.path.join(ROOT, "build", "bin",
                                                   "onnxc"))
    p.add_argument("--runtime-lib", default=os.path.join(
        ROOT, "build", "lib", "libonnxc_runtime.a"))
    p.add_argument("--cc", default="cc")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    p.add_argument("--only", nargs="*", help="model names (default: all "
                   "found in --models)")
    p.add_argument("--no-models", action="store_true",
                   help="only the peak, SGEMM and conv measurements")
    p.add_argument("--convs", type=int, default=3,
                   help="how many of ResNet-50's largest distinct convs to "
                   "time (default 3)")
    p.add_argument("--no-kernels", action="store_true",
                   help="skip the peak, SGEMM and conv measurements")
    p.add_argument("--report", help="write the Markdown report here")
    args = p.parse_args()
    if args.runs < 20:
        print("note: fewer than 20 runs per measurement", file=sys.stderr)

    names = args.only or sorted(
        f[:-5] for f in os.listdir(args.models) if f.endswith(".onnx")
        and os.path.exists(os.path.join(args.models, f[:-5] + ".b1.input.npy")))
    print("CPU: %s; ONNX Runtime %s" % (cpu_model(), ort.__version__))
    model_rows, kernel_rows = [], []
    peak = float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        for name in [] if args.no_models else names:
            bench_model(args, name, tmp, model_rows)
        if not args.no_kernels:
            peak = measure_peak(args, tmp)
            print("one core's FP32 peak: %.1f GFLOP/s" % peak)
            bench_kernels(args, tmp, peak, kernel_rows)
    if args.report:
        write_report(args.report, args, model_rows, kernel_rows, peak)


if __name__ == "__main__":
    main()
