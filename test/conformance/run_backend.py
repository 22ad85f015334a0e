#!/usr/bin/env python3
"""The ONNX backend test suite through onnxc's object-file path.

Every test folder (model.onnx plus test_data_set_*/input_*.pb and
output_*.pb) under node/, simple/, pytorch-converted/ and pytorch-operator/
of the chosen suites is compiled and run with `onnxc-run` (onnxc -> object
-> shared library -> run) on each data set, and the outputs are compared
with the expected ones in Python:

- shapes and element types must match exactly;
- numbers must be within the test's own tolerances (ONNX's loader: rtol
  1e-3, atol 1e-7, or those of the test's data.json). A test that passes
  only within rtol 1e-3, atol 1e-5 counts as passed and is listed as
  compared with looser tolerances than its own;
- NaNs must be NaNs in the same places.

Failures are classified: unsupported (the compiler names ops or inputs it
does not support), compile error, crash (a signal in the compiler or in the
compiled code), run error, wrong shape, wrong type, wrong numbers, timeout,
random outputs: a test whose expected values ONNX drew from an
unseeded generator (Bernoulli) cannot be matched by any implementation; its
shapes, types and value set (0 or 1) are checked and it is not counted as
passed; superseded expected output: wrong numbers in a test whose
expected outputs ONNX has since corrected (SUPERSEDED_OUTPUTS says how), not
counted as passed either; and inconsistent expected output: wrong numbers in
a test whose expected outputs were computed for attributes its model does
not set (INCONSISTENT_OUTPUTS says which; ONNX's reference evaluator
disagrees with them too), not
counted as passed either; and inconsistent test data: a run error because
a test's input file does not have the static shape its own model declares
(ONNX 1.12's castlike bfloat16 tests, declared [3, 4] for a [1] input),
not counted as passed either.

`--report FILE` writes the Markdown report (docs/conformance.md);
`--ratchet FILE` makes the run fail when fewer tests pass than the counts
recorded there; any crash fails the run too.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

KINDS = ["node", "simple", "pytorch-converted", "pytorch-operator"]
OWN_RTOL, OWN_ATOL = 1e-3, 1e-7  # onnx.backend.test.loader defaults
LOOSE_RTOL, LOOSE_ATOL = 1e-3, 1e-5
# Tests whose expected outputs are unseeded random draws (ONNX's Bernoulli
# test cases say so).
RANDOM_OUTPUTS = re.compile(r"test_bernoulli")
# Tests whose expected outputs come from a reference implementation that
# ONNX has since corrected, with the reason; a mismatch there is reported
# as "superseded expected output" (still a failure, never a pass).
SUPERSEDED_OUTPUTS = {
    "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True":
    "ONNX 1.17's reference divides the last ceil_mode window, which runs "
    "past the input, by the whole kernel size; onnx/onnx#6650 (ONNX 1.18) "
    "counts only the cells inside the input and its pads, as PyTorch, ONNX "
    "Runtime and onnxc do",
}


# Tests whose expected outputs their generator computed for other
# attributes than the model's node has, with the reason; a mismatch there
# is reported as "inconsistent expected output" (a failure).
INCONSISTENT_OUTPUTS = {
    "test_adam_multiple":
    "the test's generator computes the expected outputs with epsilon 1e-2 "
    "but its Adam node leaves epsilon at the default 1e-6; ONNX's reference "
    "evaluator, run on the model, differs from them by the same 0.0032",
}


def pip_data_dir():
    import onnx.backend.test
    return os.path.join(os.path.dirname(onnx.backend.test.__file__), "data")


SUITES = {
    "pip": pip_data_dir,
    "debian": lambda: "/usr/share/libonnx-testdata/data",
}


class Test:
    def __init__(self, suite, kind, path):
        self.suite, self.kind, self.path = suite, kind, path
        self.name = os.path.basename(path)
        self.rtol, self.atol = OWN_RTOL, OWN_ATOL
        data = os.path.join(path, "data.json")
        if os.path.exists(data):
            with open(data) as f:
                d = json.load(f)
            self.rtol = d.get("rtol", self.rtol)
            self.atol = d.get("atol", self.atol)
        self.op = ""

    @property
    def key(self):
        return "%s/%s/%s" % (self.suite, self.kind, self.name)


def collect(suites, kinds, name_filter):
    tests = []
    for suite in suites:
        root = SUITES[suite]()
        for kind in kinds:
            for path in sorted(glob.glob(os.path.join(root, kind, "*"))):
                if not os.path.exists(os.path.join(path, "model.onnx")):
                    continue
                t = Test(suite, kind, path)
                if name_filter and not re.search(name_filter, t.name):
                    continue
                tests.append(t)
    # The op a node test is about: the op of its model's single node, or for
    # an expanded test (the op's function body) that of the test it expands.
    single = {}
    for t in tests:
        if t.kind != "node":
            t.op = "(model)"
            continue
        try:
            m = onnx.load(os.path.join(t.path, "model.onnx"),
                          load_external_data=False)
            ops = sorted({n.op_type for n in m.graph.node})
        except Exception:  # the run reports the broken model
            ops = []
        t.op = ops[0] if len(ops) == 1 else "+".join(ops) or "?"
        single[(t.suite, t.name)] = t.op
    for t in tests:
        if t.kind == "node" and "_expanded" in t.name:
            base = re.sub(r"_expanded(_ver\d+)?$", "", t.name)
            t.op = single.get((t.suite, base), t.op)
    return tests


def load_pb(path, proto):
    with open(path, "rb") as f:
        proto.ParseFromString(f.read())
    return proto


def type_kind(t):
    """'tensor', 'optional', 'sequence' or 'optional sequence' (of tensors)
    for a TypeProto; 'other' for maps and the rest."""
    optional = t.HasField("optional_type")
    if optional:
        t = t.optional_type.elem_type
    if t.HasField("tensor_type"):
        return "optional" if optional else "tensor"
    if t.HasField("sequence_type") and \
            t.sequence_type.elem_type.HasField("tensor_type"):
        return "optional sequence" if optional else "sequence"
    return "other"


def load_value(path, kind):
    """The value in an input_*.pb or output_*.pb file of a value of `kind`:
    an array, a list of arrays (a sequence), or None (an optional that holds
    nothing)."""
    if kind == "tensor":
        return numpy_helper.to_array(load_pb(path, onnx.TensorProto()))
    if kind == "sequence":
        return [numpy_helper.to_array(t) for t in
                load_pb(path, onnx.SequenceProto()).tensor_values]
    o = load_pb(path, onnx.OptionalProto())
    if o.HasField("tensor_value"):
        return numpy_helper.to_array(o.tensor_value)
    if o.HasField("sequence_value"):
        return [numpy_helper.to_array(t)
                for t in o.sequence_value.tensor_values]
    return None


def numbered(data_set, prefix):
    return sorted(glob.glob(os.path.join(data_set, prefix + "_*.pb")),
                  key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))


def expected_outputs(data_set, output_kinds):
    """The expected outputs (arrays, or lists of arrays for sequences); None
    when the model has outputs onnxc-run cannot write (maps, optionals that
    hold nothing)."""
    if "other" in output_kinds:
        return None
    outs = []
    for f, kind in zip(numbered(data_set, "output"), output_kinds):
        value = load_value(f, kind)
        if value is None:
            return None
        outs.append(value)
    return outs


def float8_decoder(name):
    """A function from float8 bits to float32 values for an ONNX float8
    dtype name, or None for other names."""
    return {
        "e4m3fn": lambda b: numpy_helper.float8e4m3_to_float32(b),
        "e4m3fnuz": lambda b: numpy_helper.float8e4m3_to_float32(b, uz=True),
        "e5m2": lambda b: numpy_helper.float8e5m2_to_float32(b),
        "e5m2fnuz": lambda b: numpy_helper.float8e5m2_to_float32(
            b, fn=True, uz=True),
    }.get(name)


def comparable(got, want):
    """numpy has no float8 or 4-bit types: ONNX gives them as structured
    dtypes over one byte, and onnxc-run writes their bytes. Float8 tensors
    are compared by value (NaN bit patterns differ), 4-bit ones as bytes."""
    if not want.dtype.names or got.dtype.itemsize != 1:
        return got, want
    name = want.dtype.names[0]
    bits = want.view(want.dtype[name])
    decode = float8_decoder(name)
    if decode is None:
        return got, bits
    if got.dtype != np.uint8:
        return got, bits  # reported as the wrong type
    return (decode(got).astype(np.float32).reshape(got.shape),
            decode(bits).astype(np.float32).reshape(bits.shape))


def compare(got, want, rtol, atol):
    """None when `got` matches `want`; else (category, detail)."""
    got, want = comparable(got, want)
    if got.shape != want.shape:
        return "wrong shape", "shape %s, expected %s" % (list(got.shape),
                                                        list(want.shape))
    if want.dtype == object:  # strings: onnxc-run writes numpy str arrays
        if got.dtype.kind != "U":
            return "wrong type", "type %s, expected strings" % got.dtype
        if got.tolist() != want.tolist():
            return "wrong numbers", "strings differ"
        return None
    if got.dtype != want.dtype:
        return "wrong type", "type %s, expected %s" % (got.dtype, want.dtype)
    if not np.issubdtype(want.dtype, np.number) and want.dtype != np.bool_:
        if got.tolist() != want.tolist():
            return "wrong numbers", "values differ"
        return None
    if want.dtype == np.bool_ or np.issubdtype(want.dtype, np.integer):
        bad = np.count_nonzero(got != want)
        if bad:
            return "wrong numbers", "%d of %d elements differ" % (bad, want.size)
        return None
    g, w = got.astype(np.float64), want.astype(np.float64)
    nan = np.isnan(w)
    if np.any(np.isnan(g) != nan):
        return "wrong numbers", "NaN in other places"
    g, w = g[~nan], w[~nan]
    with np.errstate(invalid="ignore"):
        inf = np.isinf(w)
        if np.any(g[inf] != w[inf]):
            return "wrong numbers", "infinities differ"
        g, w = g[~inf], w[~inf]
        err = np.abs(g - w)
        bad = err > atol + rtol * np.abs(w)
    if np.any(bad):
        return "wrong numbers", "max abs err %.3g, max rel err %.3g" % (
            err.max(), (err / np.maximum(np.abs(w), 1e-30)).max())
    return None


def input_mismatch(graph_inputs, data_set):
    """Why the data set's tensor inputs do not fit the static dims their
    model declares, or None when they do."""
    for k, f in enumerate(numbered(data_set, "input")):
        if k >= len(graph_inputs) or \
                type_kind(graph_inputs[k].type) != "tensor":
            continue
        declared = [d.dim_value if d.HasField("dim_value") else None
                    for d in graph_inputs[k].type.tensor_type.shape.dim]
        t = onnx.TensorProto()
        try:
            with open(f, "rb") as fh:
                t.ParseFromString(fh.read())
        except Exception:
            continue
        dims = list(t.dims)
        if len(dims) != len(declared) or any(
                d is not None and d != v for d, v in zip(declared, dims)):
            return ("%s holds %s, but the model declares input '%s' as %s" % (
                os.path.relpath(f, os.path.dirname(data_set)), dims,
                graph_inputs[k].name,
                ["?" if d is None else d for d in declared]))
    return None


def first_error(stderr):
    for line in stderr.splitlines():
        if "error" in line:
            return line.strip()
    lines = [l for l in stderr.splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def deciding_inputs(test):
    """(position, name) of the model's integer and bool graph inputs
    (without defaults): the inputs that may decide shapes (axes, a target
    shape, repeats...) and control flow (a trip count, a cond)."""
    m = onnx.load(os.path.join(test.path, "model.onnx"),
                  load_external_data=False)
    inits = {i.name for i in m.graph.initializer}
    kinds = {onnx.TensorProto.INT64, onnx.TensorProto.INT32,
             onnx.TensorProto.BOOL}
    deciding = lambda v: v.type.HasField("tensor_type") and \
        v.type.tensor_type.elem_type in kinds
    # An input with a default (an initializer too) that the test leaves
    # out is bound to its default (position None).
    return [(i, v.name) for i, v in enumerate(
        [v for v in m.graph.input if v.name not in inits]) if deciding(v)] + \
        [(None, v.name) for v in m.graph.input
         if v.name in inits and deciding(v)]


def run_test(test, onnxc_run, timeout):
    """(status, detail, looser, bound) for one test. A test whose shapes
    depend on integer inputs is run again with those inputs bound at
    compile time (`--bind`); one refused for dynamic dims other than a batch
    is run again compiled for its inputs' shapes (`--shape`). A sequence
    input is always compiled for the test's length and shapes. `bound` says
    what was bound, so that such a pass is not counted as a plain one."""
    shaped = {}
    status, detail, looser = run_once(test, onnxc_run, timeout, [], shaped)
    retries = []
    if status in ("unsupported", "compile error") and (
            "must be a constant" in detail or "read at run time" in detail
            or "needs a constant" in detail or "known only at run time" in
            detail):
        bind = deciding_inputs(test)
        if bind:
            retries = [(bind, False), (bind, True)]
    if status == "unsupported" and (
            "cannot be dynamic" in detail or "does not carry the batch" in
            detail or "dynamic shapes other than" in detail):
        retries = [([], True)]
    for bind, fix_dims in retries:
        shaped2 = {}
        status2, detail2, looser2 = run_once(test, onnxc_run, timeout, bind,
                                             shaped2, fix_dims)
        if status2 == "pass":
            return status2, detail2, looser2, \
                [n for _, n in bind] + sorted(shaped2.values())
    return status, detail, looser, sorted(shaped.values()) \
        if status == "pass" else []


def run_once(test, onnxc_run, timeout, bind, shaped, fix_dims=False):
    """(status, detail, looser) for one test, `bind` being (position, name)
    of the inputs to bind; with `fix_dims`, tensor inputs with dynamic dims
    are compiled for the data's shapes. Notes what --shape fixed in
    `shaped` (name: what)."""
    data_sets = sorted(glob.glob(os.path.join(test.path, "test_data_set_*")))
    if not data_sets:
        return "no data", "the test has no data set", False
    looser = False
    bind_names = dict(bind)
    work = tempfile.mkdtemp(prefix="onnxc-conf-")
    try:
        try:
            model = onnx.load(os.path.join(test.path, "model.onnx"),
                              load_external_data=False)
            inits = {i.name for i in model.graph.initializer}
            output_kinds = [type_kind(o.type) for o in model.graph.output]
            graph_inputs = [i for i in model.graph.input
                            if i.name not in inits]
        except Exception as e:  # onnxc reports what is wrong with it
            model = None
            output_kinds = []
            graph_inputs = []
        for ds in data_sets:
            want = expected_outputs(ds, output_kinds)
            out_dir = os.path.join(work, os.path.basename(ds))
            cmd = [onnxc_run, os.path.join(test.path, "model.onnx"),
                   "--save-outputs", out_dir]
            # Tensors are passed as they are; an optional's file (an
            # OptionalProto) as its tensor, or "absent"; a sequence is
            # compiled for its length and shapes (--shape), its tensors
            # passed one by one.
            bound = {pos for pos, _ in bind}
            for init in model.graph.initializer if model else []:
                if (None, init.name) in bind:
                    path = os.path.join(work, "default_%s.pb" % len(cmd))
                    with open(path, "wb") as out:
                        out.write(init.SerializeToString())
                    cmd += ["--bind", "%s=%s" % (init.name, path)]
            files = []
            for k, f in enumerate(numbered(ds, "input")):
                if k in bound:
                    cmd += ["--bind", "%s=%s" % (bind_names[k], f)]
                    continue
                kind = type_kind(graph_inputs[k].type) \
                    if k < len(graph_inputs) else "tensor"
                if kind in ("tensor", "other"):
                    files.append(f)
                    tt = graph_inputs[k].type.tensor_type \
                        if k < len(graph_inputs) else None
                    if fix_dims and kind == "tensor" and (
                            not tt.HasField("shape") or any(
                                not d.HasField("dim_value")
                                for d in tt.shape.dim)):
                        name = graph_inputs[k].name
                        cmd += ["--shape", "%s=[%s]" % (name, ",".join(
                            map(str, load_value(f, kind).shape)))]
                        shaped[name] = "the shape of %s" % name
                    continue
                value = load_value(f, kind)
                name = graph_inputs[k].name
                if value is None and kind == "optional":
                    files.append("absent")
                    continue
                if value is None:
                    cmd += ["--shape", "%s=none" % name]
                    shaped[name] = "%s left out" % name
                    continue
                parts = [value] if kind == "optional" else value
                if kind != "optional":
                    cmd += ["--shape", "%s={%s}" % (name, ",".join(
                        "[%s]" % ",".join(map(str, v.shape)) for v in value))]
                    shaped[name] = "the length and shapes of sequence %s" % name
                for j, v in enumerate(parts):
                    files.append(os.path.join(work, "%s_%d_%d.npy" % (
                        os.path.basename(ds), k, j)))
                    np.save(files[-1], v)
            if files:
                cmd += ["--inputs"] + files
            try:
                p = subprocess.run(cmd, capture_output=True, text=True,
                                   timeout=timeout, errors="replace")
            except subprocess.TimeoutExpired:
                return "timeout", "over %g s" % timeout, False
            compiled = "compiled " in p.stdout
            if p.returncode < 0 or p.returncode >= 128:
                where = "compiled code" if compiled else "compiler"
                return "crash", "%s: exit %d %s" % (
                    where, p.returncode, first_error(p.stderr)), False
            if p.returncode != 0:
                msg = first_error(p.stderr)
                if "unsupported op" in msg or "not supported yet" in msg:
                    return "unsupported", msg, False
                if not compiled:
                    return "compile error", msg, False
                mismatch = input_mismatch(graph_inputs, ds)
                if mismatch:
                    return "inconsistent test data", mismatch, False
                return "run error", msg, False
            if want is None:
                return "unsupported", "outputs are not tensors", False
            pairs = []  # (label, file, expected array)
            for i, w in enumerate(want):
                if not isinstance(w, list):
                    pairs.append((str(i), "output_%d.npy" % i, w))
                    continue
                # A sequence: output_<i>_<k>.npy for each of its tensors.
                made = len(glob.glob(os.path.join(out_dir, "output_%d_*.npy" % i)))
                if made != len(w):
                    return "wrong shape", "output %d: a sequence of %d " \
                        "tensors, expected %d" % (i, made, len(w)), False
                pairs += [("%d[%d]" % (i, k), "output_%d_%d.npy" % (i, k), x)
                          for k, x in enumerate(w)]
            for i, file, w in pairs:
                path = os.path.join(out_dir, file)
                if not os.path.exists(path):
                    return "run error", "output %s was not written" % i, False
                got = np.load(path)
                bad = compare(got, w, test.rtol, test.atol)
                if bad is None:
                    continue
                if bad[0] == "wrong numbers" and (
                        test.rtol < LOOSE_RTOL or test.atol < LOOSE_ATOL) and \
                        compare(got, w, max(test.rtol, LOOSE_RTOL),
                                max(test.atol, LOOSE_ATOL)) is None:
                    looser = True
                    continue
                if bad[0] == "wrong numbers" and test.name in INCONSISTENT_OUTPUTS:
                    return "inconsistent expected output", "output %s: %s; %s" % (
                        i, bad[1], INCONSISTENT_OUTPUTS[test.name]), False
                if bad[0] == "wrong numbers" and test.name in SUPERSEDED_OUTPUTS:
                    return "superseded expected output", "output %s: %s; %s" % (
                        i, bad[1], SUPERSEDED_OUTPUTS[test.name]), False
                if bad[0] == "wrong numbers" and RANDOM_OUTPUTS.match(
                        test.name) and np.isin(got, [0, 1]).all():
                    return "random outputs", (
                        "output %s: shape, type and values (0 or 1) right; "
                        "ONNX drew the expected values unseeded" % i), False
                return bad[0], "output %s: %s" % (i, bad[1]), False
        return "pass", "", looser
    finally:
        shutil.rmtree(work, ignore_errors=True)


def clean(message, test):
    """A failure line without the test's own paths."""
    message = message.replace(test.path + "/", "").replace(test.path, "")
    return message.replace("onnxc-run: error: ", "").replace("onnxc: error: ", "")


def report(tests, results, args, elapsed):
    lines = []
    add = lines.append
    passed = lambda ts: sum(results[t.key][0] == "pass" for t in ts)
    strict = lambda ts: sum(results[t.key][0] == "pass" and not results[t.key][3]
                            for t in ts)
    add("# ONNX backend conformance")
    add("")
    add("Generated by `test/conformance/run_backend.py`; do not edit by hand.")
    add("Each test is compiled by `onnxc` to an object file, linked and run by "
        "`onnxc-run` on every data set, and compared with its expected outputs "
        "(shapes and types exactly; numbers within the test's own tolerances, "
        "rtol %g and atol %g unless its data.json says otherwise)." %
        (OWN_RTOL, OWN_ATOL))
    add("")
    add("Suites: %s. Command: `%s`. Run time: %.0f s with %d jobs." % (
        ", ".join("%s (`%s`)" % (s, SUITES[s]()) for s in args.suites),
        "build/venv/bin/python test/conformance/run_backend.py "
        "--onnxc-run build/bin/onnxc-run " + " ".join(
            "--suite %s" % s for s in args.suites) +
        " --jobs %d --report docs/conformance.md" % args.jobs, elapsed,
        args.jobs))
    add("")
    add("## Summary")
    add("")
    add("*passed* counts tests compiled from the model as it is (an input "
        "that decides a result's shape is read at run time when the model "
        "declares that shape, and checked against it). *passed with bound "
        "inputs* adds tests whose result shapes depend on integer inputs "
        "(axes, starts, a target shape...) without a declaration onnxc can "
        "use (an intermediate result, an empty one): these pass only when "
        "those inputs are bound to the test's values at compile time "
        "(`--bind`; integer and bool inputs, control flow included). It also "
        "adds tests compiled for their inputs' shapes (`--shape`): every "
        "test with a sequence input (onnxc compiles a sequence for a length "
        "and shapes), and tests refused for dynamic dims other than a batch. "
        "All are listed below with what was bound.")
    add("")
    add("| suite | kind | passed | rate | passed with bound inputs | rate | total |")
    add("|---|---|---:|---:|---:|---:|---:|")
    def row(suite, kind, ts):
        n = max(1, len(ts))
        add("| %s | %s | %d | %.1f%% | %d | %.1f%% | %d |" % (
            suite, kind, strict(ts), 100.0 * strict(ts) / n, passed(ts),
            100.0 * passed(ts) / n, len(ts)))
    for suite in args.suites:
        for kind in KINDS:
            ts = [t for t in tests if t.suite == suite and t.kind == kind]
            if ts:
                row(suite, kind, ts)
        node = [t for t in tests if t.suite == suite and t.kind == "node"]
        plain = [t for t in node if "_expanded" not in t.name]
        if plain:
            row(suite, "node, without `_expanded`", plain)
    row("all", "all", tests)
    add("")
    counts = collections.Counter(results[t.key][0] for t in tests)
    add("Outcomes: " + ", ".join(
        "%s %d" % (k, v) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    add("")
    bound = [t for t in tests if results[t.key][3]]
    add("## Passed with inputs bound at compile time")
    add("")
    for t in bound:
        add("- %s (bound: %s)" % (t.key, ", ".join(results[t.key][3])))
    if not bound:
        add("None.")
    add("")
    looser = [t for t in tests if results[t.key][2]]
    add("## Compared with looser tolerances than the test's own")
    add("")
    if looser:
        add("These pass within rtol %g, atol %g but not within their own "
            "tolerances:" % (LOOSE_RTOL, LOOSE_ATOL))
        add("")
        for t in looser:
            add("- %s (own rtol %g, atol %g)" % (t.key, t.rtol, t.atol))
    else:
        add("None.")
    add("")
    add("## Node tests by op")
    add("")
    add("Every suite of the run together; an `_expanded` test counts for the "
        "op it expands.")
    add("")
    add("| op | passed | with bound inputs | total |")
    add("|---|---:|---:|---:|")
    by_op = collections.defaultdict(list)
    for t in tests:
        if t.kind == "node":
            by_op[t.op].append(t)
    for op in sorted(by_op):
        add("| %s | %d | %d | %d |" % (op, strict(by_op[op]), passed(by_op[op]),
                                       len(by_op[op])))
    add("")
    add("## Failing tests")
    add("")
    for t in tests:
        status, detail, _, _ = results[t.key]
        if status != "pass":
            add("- %s: **%s**: %s" % (t.key, status, clean(detail, t)[:300]))
    add("")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--onnxc-run", required=True)
    p.add_argument("--suite", dest="suites", action="append",
                   choices=sorted(SUITES), help="pip, debian (default: both)")
    p.add_argument("--kind", dest="kinds", action="append", choices=KINDS)
    p.add_argument("--filter", help="regex on test names")
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--report", help="write the Markdown report here")
    p.add_argument("--ratchet", help="JSON file with the least 'passed' and "
                   "'passed_with_bound_inputs' counts allowed")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    args.suites = args.suites or ["pip", "debian"]
    kinds = args.kinds or KINDS

    tests = collect(args.suites, kinds, args.filter)
    start = time.time()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, t, args.onnxc_run, args.timeout): t
                   for t in tests}
        for f in concurrent.futures.as_completed(futures):
            t = futures[f]
            try:
                results[t.key] = f.result()
            except Exception as e:  # a test the runner cannot read
                results[t.key] = ("runner error", "%s: %s" % (
                    type(e).__name__, e), False, [])
            if args.verbose:
                print("%s: %s %s" % (results[t.key][0].upper(), t.key,
                                     clean(results[t.key][1], t)), flush=True)
    elapsed = time.time() - start
    if args.report:
        with open(args.report, "w") as f:
            f.write(report(tests, results, args, elapsed))

    counts = collections.Counter(r[0] for r in results.values())
    n_pass = counts["pass"]
    n_strict = sum(r[0] == "pass" and not r[3] for r in results.values())
    node = [t for t in tests if t.kind == "node"]
    n_node = sum(results[t.key][0] == "pass" and not results[t.key][3]
                 for t in node)
    print("%d of %d tests pass (node: %d of %d); %d more with bound inputs; "
          "%.0f s; %s" % (n_strict, len(tests), n_node, len(node),
                          n_pass - n_strict, elapsed,
                          ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    ok = True
    if counts["crash"]:
        print("FAIL: %d crashes" % counts["crash"])
        ok = False
    if args.ratchet:
        with open(args.ratchet) as f:
            floor = json.load(f)
        for key, got in (("passed", n_strict), ("passed_with_bound_inputs", n_pass)):
            want = floor.get(key, 0)
            if got < want:
                print("FAIL: %s %d, fewer than the %d recorded in %s" % (
                    key, got, want, args.ratchet))
                ok = False
            elif got > want:
                print("note: %s %d, more than the %d recorded in %s: raise it" % (
                    key, got, want, args.ratchet))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
