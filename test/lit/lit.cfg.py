# lit configuration: every .mlir and .onnxtext test under test/lit runs with
# onnxc, onnxc-opt and FileCheck on PATH.
import os

import lit.formats

config.name = "onnxc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.onnxc_tools_dir),
                                     "test", "lit")
config.environment["PATH"] = os.pathsep.join(
    [config.onnxc_tools_dir, config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%runtime_include",
                             os.path.join(config.onnxc_source_dir, "runtime",
                                          "include")))
config.substitutions.append(("%runtime_lib",
                             os.path.join(os.path.dirname(
                                 config.onnxc_tools_dir), "lib")))
config.substitutions.append(("%examples",
                             os.path.join(config.onnxc_source_dir, "examples")))
