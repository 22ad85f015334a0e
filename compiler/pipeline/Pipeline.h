// The compiler driver: the stage order from ONNX file to object file, shared
// by onnxc and onnxc-run.
#ifndef ONNXC_COMPILER_PIPELINE_PIPELINE_H
#define ONNXC_COMPILER_PIPELINE_PIPELINE_H

#include "codegen/host/Header.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

namespace onnxc {

struct CompileOptions {
  std::string inputPath;
  std::string outputPath;
  std::string name; // symbol prefix; derived from outputPath if empty
  std::string target = "host"; // see knownTargetNames()
  std::string emit = "obj";    // onnx | kernels | llvm | asm | obj | header
  // "name=file.pb": inputs replaced by constants (see bindInputs).
  std::vector<std::string> bindings;
  // "name=[2,3]", "name={[2],[3]}", "name=none": input shapes fixed (see
  // shapeInputs).
  std::vector<std::string> shapes;
};

/// The flags that specialize a model, shared by onnxc and onnxc-run:
/// --bind name=file.pb and --shape name=SPEC, declared in `category`.
class SpecializationFlags {
public:
  explicit SpecializationFlags(llvm::cl::OptionCategory &category);
  /// Copies the flags' values into `options`.
  void apply(CompileOptions &options) const;

private:
  llvm::cl::list<std::string> bind, shape;
};

/// Every dialect the compiler's IR may hold.
void registerDialects(mlir::DialectRegistry &registry);
/// Every onnxc pass, for onnxc-opt and pass-pipeline parsing.
void registerPasses();

/// Graph passes on the onnx dialect: support check, shape inference.
void buildFrontendPipeline(mlir::OpPassManager &pm);
/// Fusion into kernel groups and scheduling for `target`.
void buildKernelPipeline(mlir::OpPassManager &pm, const std::string &target);

/// A C identifier from a file name ("models/resnet-18.o" -> "resnet_18").
std::string defaultModelName(const std::string &outputPath);

/// Runs the stages `options.emit` asks for and writes the output (for obj
/// also the header beside it). Returns false and sets `error` to one line.
/// `signature`, when given, receives the model's inputs and outputs.
bool compileModel(const CompileOptions &options, std::string &error,
                  ModelSignature *signature = nullptr);

} // namespace onnxc

#endif
