#!/usr/bin/env python3
"""Times a model compiled by onnxc (via onnxc-run --bench) next to ONNX
Runtime on the same random input, and prints compile time, object size and
latencies. Usage: compare_ort.py --onnxc-run PATH --onnxc PATH model.onnx"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort


def ort_latency(path, feeds, threads, runs):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    for _ in range(3):
        outputs = sess.run(None, feeds)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        sess.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times)), float(np.min(times)), outputs


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("model")
    p.add_argument("--onnxc", required=True)
    p.add_argument("--onnxc-run", required=True)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = p.parse_args()

    sess = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feeds = {i.name: rng.random([d if isinstance(d, int) else 1
                                 for d in i.shape], dtype=np.float32)
             for i in sess.get_inputs()}

    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "model.o")
        t = time.perf_counter()
        subprocess.run([args.onnxc, args.model, "-o", obj], check=True)
        compile_s = time.perf_counter() - t
        print("model %s" % args.model)
        print("compile_s %.2f object_bytes %d" % (compile_s, os.path.getsize(obj)))

        inputs = []
        for k, v in enumerate(feeds.values()):
            inputs.append(os.path.join(tmp, "in%d.npy" % k))
            np.save(inputs[-1], v)
        for threads in args.threads:
            ort_med, ort_min, expected = ort_latency(args.model, feeds,
                                                     threads, args.runs)
            refs = []
            for k, v in enumerate(expected):
                refs.append(os.path.join(tmp, "ref%d.npy" % k))
                np.save(refs[-1], v)
            out = subprocess.run(
                [args.onnxc_run, args.model, "--inputs", *inputs, "--compare",
                 *refs, "--atol", "1e-4", "--threads", str(threads),
                 "--bench", str(args.runs)], capture_output=True, text=True)
            m = re.search(r"latency_ms median=([\d.]+) min=([\d.]+)", out.stdout)
            if out.returncode != 0 or not m:
                sys.exit("onnxc-run failed:\n" + out.stdout + out.stderr)
            med = float(m.group(1))
            print("threads %d onnxc_ms median=%.3f min=%s ort_ms median=%.3f "
                  "min=%.3f ratio=%.2f" % (threads, med, m.group(2), ort_med,
                                          ort_min, med / ort_med))


if __name__ == "__main__":
    main()
