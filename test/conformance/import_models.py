#!/usr/bin/env python3
"""Runs `onnxc --emit=onnx` on every model.onnx under the given folders (the
ONNX backend test data: node/, simple/, pytorch-converted/,
pytorch-operator/) and prints how many import, with the failures grouped by
message. Exits non-zero when fewer than --min-pass import or any run crashes
or times out."""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys


def find_models(roots):
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".onnx"):
                    yield os.path.join(dirpath, f)


def run(onnxc, path, timeout):
    try:
        p = subprocess.run([onnxc, "--emit=onnx", path, "-o", os.devnull],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return path, "timeout", "timed out"
    if p.returncode == 0:
        return path, "ok", ""
    if p.returncode < 0 or p.returncode > 1:
        return path, "crash", "exit %d: %s" % (p.returncode,
                                               p.stderr.strip()[-300:])
    return path, "error", p.stderr.strip()


def reason(message):
    """The message without the file name and node names, for grouping."""
    text = message.removeprefix("onnxc: error: ")
    text = text.split(": ", 1)[-1]  # drop the file name
    text = re.sub(r"'[^']*'", "'…'", text)
    return re.sub(r"\d+", "N", text)[:160]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("roots", nargs="*")
    p.add_argument("--pip-backend-data", action="store_true",
                   help="add node/, simple/, pytorch-converted/ and "
                        "pytorch-operator/ of the pip onnx package's data")
    p.add_argument("--onnxc", required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--min-pass", type=int, default=0)
    p.add_argument("--show", type=int, default=25, help="failure groups shown")
    args = p.parse_args()

    roots = list(args.roots)
    if args.pip_backend_data:
        import onnx
        data = os.path.join(os.path.dirname(onnx.__file__), "backend", "test",
                            "data")
        roots += [os.path.join(data, d) for d in
                  ("node", "simple", "pytorch-converted", "pytorch-operator")]
    models = sorted(find_models(roots))
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for r in pool.map(lambda m: run(args.onnxc, m, args.timeout), models):
            results.append(r)
    counts = collections.Counter(status for _, status, _ in results)
    groups = collections.Counter(reason(msg) for _, status, msg in results
                                 if status == "error")
    for path, status, msg in results:
        if status in ("crash", "timeout"):
            print("%s: %s %s" % (status.upper(), path, msg))
    for text, n in groups.most_common(args.show):
        print("%5d  %s" % (n, text))
    print("%d imported, %d failed (%d errors, %d crashes, %d timeouts) of %d"
          % (counts["ok"], len(models) - counts["ok"], counts["error"],
             counts["crash"], counts["timeout"], len(models)))
    bad = counts["crash"] + counts["timeout"]
    return 1 if bad or counts["ok"] < args.min_pass else 0


if __name__ == "__main__":
    sys.exit(main())
