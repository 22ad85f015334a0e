#!/usr/bin/env python3
"""End-to-end check: compiles the MNIST example with onnxc, links and runs it,
and compares its output with the onnxruntime reference."""

import argparse
import os
import re
import shlex
import subprocess
import sys

import numpy as np

RTOL = 1e-3
ATOL = 1e-5
RUN_TIMEOUT_S = 300
LINE_RE = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\] = (?P<value>\S+)$")
ARGMAX_RE = re.compile(r"^argmax = (?P<index>-?\d+)$")


class CheckFailure(Exception):
    pass


def run(cmd, what, env=None, timeout=RUN_TIMEOUT_S):
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env,
                              timeout=timeout, universal_newlines=True)
    except FileNotFoundError as e:
        raise CheckFailure("%s: cannot execute %s: %s" % (what, cmd[0], e))
    except subprocess.TimeoutExpired:
        raise CheckFailure("%s: timed out after %d s" % (what, timeout))
    return proc


def describe(proc):
    text = ""
    if proc.stdout.strip():
        text += "\n--- stdout ---\n" + proc.stdout.rstrip()
    if proc.stderr.strip():
        text += "\n--- stderr ---\n" + proc.stderr.rstrip()
    return text


def check_ok(proc, what):
    if proc.returncode != 0:
        raise CheckFailure("%s failed with exit status %d%s" %
                           (what, proc.returncode, describe(proc)))


def compile_model(args, model, obj):
    proc = run([args.onnxc, model, "-o", obj, "--name", "mnist"], "onnxc")
    check_ok(proc, "onnxc")
    header = os.path.join(os.path.dirname(obj), "mnist.h")
    for path in (obj, header):
        if not os.path.isfile(path):
            raise CheckFailure("onnxc succeeded but did not write %s" % path)


def link_example(args, obj, exe):
    cc = shlex.split(args.cc)
    base = cc + [
        "-I" + os.path.dirname(obj),
        "-I" + args.runtime_include,
        os.path.join(args.example_dir, "main.c"),
        obj,
        "-L" + args.runtime_lib_dir,
        "-lonnxc_runtime",
        "-lpthread",
        "-lm",
        "-o", exe,
    ]
    proc = run(base, "link")
    if proc.returncode == 0:
        return
    # glibc before 2.34 keeps dlopen in a separate libdl; the documented
    # link line omits it, so a retry tells the two failure kinds apart.
    retry = run(base + ["-ldl"], "link with -ldl")
    if retry.returncode == 0:
        print("note: linking needed -ldl in addition to the documented line")
        return
    raise CheckFailure("compiling/linking main.c failed with exit status "
                       "%d%s" % (proc.returncode, describe(proc)))


def parse_output(text, name, count):
    values = {}
    argmax = None
    for line in text.splitlines():
        line = line.strip()
        m = LINE_RE.match(line)
        if m:
            if m.group("name") != name:
                raise CheckFailure("unexpected output name in line %r" % line)
            index = int(m.group("index"))
            if index >= count:
                raise CheckFailure("output index out of range in line %r "
                                   "(expected %d elements)" % (line, count))
            if index in values:
                raise CheckFailure("output index %d printed twice" % index)
            try:
                values[index] = float(m.group("value"))
            except ValueError:
                raise CheckFailure("cannot parse value in line %r" % line)
            continue
        m = ARGMAX_RE.match(line)
        if m:
            if argmax is not None:
                raise CheckFailure("argmax printed twice")
            argmax = int(m.group("index"))
            continue
        if line:
            raise CheckFailure("unexpected output line %r" % line)
    missing = [i for i in range(count) if i not in values]
    if missing:
        raise CheckFailure("program did not print %s elements %s" %
                           (name, missing))
    if argmax is None:
        raise CheckFailure("program did not print an 'argmax = k' line")
    return np.array([values[i] for i in range(count)]), argmax


def load_reference(path):
    import onnx
    from onnx import numpy_helper

    if not os.path.isfile(path):
        raise CheckFailure("reference output %s does not exist" % path)
    tensor = onnx.load_tensor(path)
    return tensor.name, numpy_helper.to_array(tensor)


def compare(actual, expected):
    expected = expected.astype(np.float64)
    abs_err = np.abs(actual - expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_err = np.where(expected != 0, abs_err / np.abs(expected), 0.0)
    both_nan = np.isnan(actual) & np.isnan(expected)
    abs_err = np.where(both_nan, 0.0, abs_err)
    rel_err = np.where(both_nan, 0.0, rel_err)
    print("max abs error: %.3g" % np.max(abs_err))
    print("max rel error: %.3g" % np.max(rel_err))
    close = np.isclose(actual, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
    if not close.all():
        lines = ["  [%d] got %.9g, expected %.9g" % (i, actual[i], expected[i])
                 for i in np.flatnonzero(~close)]
        raise CheckFailure("%d of %d elements differ beyond rtol=%g atol=%g:"
                           "\n%s" % (np.count_nonzero(~close), actual.size,
                                     RTOL, ATOL, "\n".join(lines)))


def check(args):
    model = os.path.join(args.example_dir, "mnist.onnx")
    reference = os.path.join(args.example_dir, "test_data_set_0",
                             "output_0.pb")
    if not os.path.isfile(model):
        raise CheckFailure("model %s does not exist" % model)
    name, expected = load_reference(reference)
    expected = expected.reshape(-1)

    os.makedirs(args.workdir, exist_ok=True)
    obj = os.path.join(args.workdir, "mnist.o")
    exe = os.path.join(args.workdir, "mnist_example")
    for stale in (obj, os.path.join(args.workdir, "mnist.h"), exe):
        if os.path.exists(stale):
            os.remove(stale)

    compile_model(args, model, obj)
    link_example(args, obj, exe)

    env = dict(os.environ)
    # Lets a shared build of the runtime load without installing it.
    for var in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
        parts = [args.runtime_lib_dir] + [p for p in [env.get(var)] if p]
        env[var] = os.pathsep.join(parts)
    proc = run([exe], "example program", env=env)
    check_ok(proc, "example program")
    actual, argmax = parse_output(proc.stdout, name, expected.size)

    compare(actual, expected)
    expected_argmax = int(np.argmax(expected))
    if argmax != int(np.argmax(actual)):
        raise CheckFailure("printed argmax %d does not match the printed "
                           "values (argmax %d)" % (argmax,
                                                   int(np.argmax(actual))))
    if argmax != expected_argmax:
        raise CheckFailure("argmax %d differs from the reference argmax %d" %
                           (argmax, expected_argmax))
    print("argmax: %d (matches reference)" % argmax)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--onnxc", required=True, help="onnxc executable")
    parser.add_argument("--runtime-include", required=True,
                        help="directory holding onnxc/runtime.h")
    parser.add_argument("--runtime-lib-dir", required=True,
                        help="directory holding libonnxc_runtime")
    parser.add_argument("--example-dir", required=True,
                        help="examples/mnist source directory")
    parser.add_argument("--workdir", required=True,
                        help="scratch directory for generated files")
    parser.add_argument("--cc", default="cc",
                        help="C compiler command (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        check(args)
    except CheckFailure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
