// onnxc: compiles an ONNX model into one object file and a C header.
#include "compiler/pipeline/Pipeline.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <fstream>
#include <string>

namespace cl = llvm::cl;

/// This process's peak resident memory (VmHWM: of its own address space,
/// not of the process it was forked from); 0 where /proc is missing.
static double peakResidentMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stod(line.substr(6)) / 1024.0; // kB
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("onnxc options");
  cl::opt<std::string> input(cl::Positional, cl::desc("<model.onnx>"),
                             cl::Required, cl::cat(category));
  cl::opt<std::string> output("o", cl::desc("Output file"),
                              cl::value_desc("file"), cl::Required,
                              cl::cat(category));
  cl::opt<std::string> emit(
      "emit",
      cl::desc("What to write: onnx (imported IR), kernels (fused and "
               "scheduled IR), llvm (linked LLVM IR), asm, obj (default; also "
               "writes the header next to it), header"),
      cl::init("obj"), cl::cat(category));
  cl::opt<std::string> target(
      "target", cl::desc("Target: host (default), x86-64-avx2, x86-64-avx512"),
      cl::init("host"), cl::cat(category));
  cl::opt<std::string> name(
      "name",
      cl::desc("Symbol prefix of the generated API (default: the output "
               "file's stem)"),
      cl::cat(category));
  onnxc::SpecializationFlags specialize(category);
  cl::opt<bool> stats(
      "report-resources",
      cl::desc("Print the compile time and the compiler's peak memory "
               "(VmHWM) to stderr"),
      cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "onnxc: ONNX model compiler\n");

  onnxc::CompileOptions options;
  options.inputPath = input;
  options.outputPath = output;
  options.emit = emit;
  options.target = target;
  options.name = name;
  specialize.apply(options);
  std::string error;
  auto start = std::chrono::steady_clock::now();
  if (!onnxc::compileModel(options, error)) {
    llvm::errs() << "onnxc: error: " << error << "\n";
    return 1;
  }
  if (stats) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    llvm::errs() << llvm::format("onnxc: compile_s %.2f peak_mib %.0f\n",
                                 seconds, peakResidentMiB());
  }
  return 0;
}
