// The compiler as a plain sequence of stages; each comment says what the
// stage leaves behind.
#include "compiler/pipeline/Pipeline.h"

#include "codegen/Passes.h"
#include "codegen/halide/HalideKernels.h"
#include "codegen/host/EmitObject.h"
#include "compiler/importer/FirstError.h"
#include "compiler/importer/Importer.h"
#include "dialects/onnx/Transforms/Passes.h"
#include "onnxc/runtime.h"
#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace onnxc {

SpecializationFlags::SpecializationFlags(llvm::cl::OptionCategory &category)
    : bind("bind",
           llvm::cl::desc("Specialize the model: input <name> becomes the "
                          "constant in <file.pb> (repeatable)"),
           llvm::cl::value_desc("name=file.pb"), llvm::cl::ZeroOrMore,
           llvm::cl::cat(category)),
      shape("shape",
            llvm::cl::desc(
                "Specialize the model: input <name> takes this shape, "
                "[d0,d1,...] for a tensor, {[...],[...]} for a sequence (one "
                "input per tensor, <name>[i]), none for an optional left out "
                "(repeatable)"),
            llvm::cl::value_desc("name=shape"), llvm::cl::ZeroOrMore,
            llvm::cl::cat(category)) {}

void SpecializationFlags::apply(CompileOptions &options) const {
  options.bindings.assign(bind.begin(), bind.end());
  options.shapes.assign(shape.begin(), shape.end());
}

void registerDialects(DialectRegistry &registry) {
  registry.insert<onnx::OnnxDialect, kernel::KernelDialect, func::FuncDialect,
                  LLVM::LLVMDialect>();
  // Shape inference folds all-constant ops with the kernels' own code
  // (results up to 64 Ki elements: shape arithmetic, small tables).
  onnx::setConstantEvaluator(
      [](Operation *op) { return evaluateConstantOp(op, 1 << 16); });
}

void registerPasses() {
  onnx::registerOnnxTransformsPasses();
  registerCodegenPasses();
}

void buildFrontendPipeline(OpPassManager &pm) {
  // A dynamic batch dim (dim 0 of the inputs) becomes one item.
  pm.addNestedPass<func::FuncOp>(onnx::createBatchInputs());
  // Everything code generation cannot do yet, in one error.
  pm.addNestedPass<func::FuncOp>(onnx::createCheckSupported());
  // Static result types on every op; explicit pads/strides/dilations.
  pm.addNestedPass<func::FuncOp>(onnx::createInferShapes());
  // Ops with several results become single-result ops.
  pm.addNestedPass<func::FuncOp>(onnx::createDecompose());
  // With a batch: every op works on each item alone.
  pm.addNestedPass<func::FuncOp>(onnx::createCheckBatch());
}

void buildKernelPipeline(OpPassManager &pm, const std::string &target) {
  // Zero Pads before a Conv become the conv's own padding.
  pm.addNestedPass<func::FuncOp>(createFoldPads());
  // 3x3 stride-1 convolutions become Winograd tile transforms around a
  // batch of matrix products.
  pm.addNestedPass<func::FuncOp>(createWinograd());
  // Pointwise convolutions, strided ones and those with narrow outputs
  // become matrix products; stacked matmuls multiply all their rows at
  // once.
  pm.addNestedPass<func::FuncOp>(createMatMulForms());
  // One kernel.group per anchor with its elementwise epilogue.
  pm.addNestedPass<func::FuncOp>(createFuseKernels());
  // A `schedule` dictionary on every group, chosen for the target.
  pm.addNestedPass<func::FuncOp>(
      createScheduleKernels(ScheduleKernelsOptions{target}));
  // Depthwise convs computed in blocks inside the pointwise products that
  // read them.
  pm.addNestedPass<func::FuncOp>(createFuseDepthwise());
  // Constant weights of products laid out as their schedule reads them.
  pm.addNestedPass<func::FuncOp>(createPackWeights());
}

std::string defaultModelName(const std::string &outputPath) {
  std::string stem = llvm::sys::path::stem(outputPath).str();
  std::string name;
  for (char c : stem)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  // Leading underscores would make reserved C identifiers ("__run").
  name.erase(0, name.find_first_not_of('_'));
  if (name.empty())
    return "model";
  if (std::isdigit(static_cast<unsigned char>(name[0])))
    name = "model_" + name;
  return name;
}

static bool isCIdentifier(const std::string &s) {
  if (s.empty() || s[0] == '_' ||
      std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  return llvm::all_of(s, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

static bool writeText(const std::string &path, const std::string &text,
                      std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write " + path + ": " + ec.message();
    return false;
  }
  os << text;
  return true;
}

bool compileModel(const CompileOptions &options, std::string &error,
                  ModelSignature *signature) {
  std::string name = options.name.empty() ? defaultModelName(options.outputPath)
                                          : options.name;
  if (!isCIdentifier(name)) {
    error = "--name '" + name +
            "' is not a C identifier (letters, digits and _, starting with a "
            "letter)";
    return false;
  }
  static const char *emits[] = {"onnx", "kernels", "llvm",
                                "asm",  "obj",     "header"};
  if (!llvm::is_contained(emits, llvm::StringRef(options.emit))) {
    error = "unknown --emit '" + options.emit +
            "' (onnx, kernels, llvm, asm, obj, header)";
    return false;
  }
  if (options.emit == "obj" && options.outputPath == "-") {
    error = "an object file needs a file name (the header is written next "
            "to it); use -o model.o";
    return false;
  }
  std::optional<TargetInfo> target = lookupTarget(options.target, error);
  if (!target)
    return false;

  DialectRegistry registry;
  registerDialects(registry);
  MLIRContext context(registry);
  // Passes run on one thread; compileKernels uses the context's threads
  // for the kernels.
  context.disableMultithreading();
  // The first error of any stage, as one line naming the node.
  FirstError errors(&context);
  auto failWith = [&](const std::string &what) {
    error = options.inputPath + ": " + errors.line(what);
    return false;
  };

  // Import: one func of onnx ops, types as the model declares them.
  OwningOpRef<ModuleOp> module =
      importModelFile(options.inputPath, context, error);
  if (!module)
    return false;
  if (!bindInputs(*module, options.bindings, error) ||
      !shapeInputs(*module, options.shapes, error)) {
    error = options.inputPath + ": " + error;
    return false;
  }
  // Streamed to the file: the IR of a large model (weights as hex) is
  // never held in memory as one string.
  auto print = [&]() {
    std::error_code ec;
    llvm::raw_fd_ostream os(options.outputPath, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      error = "cannot write " + options.outputPath + ": " + ec.message();
      return false;
    }
    module->print(os);
    return true;
  };
  if (options.emit == "onnx")
    return print();

  // Graph passes, fusion and scheduling.
  PassManager pm(&context);
  buildFrontendPipeline(pm);
  buildKernelPipeline(pm, target->name);
  if (failed(pm.run(*module)))
    return failWith("the pass pipeline failed");
  if (options.emit == "kernels")
    return print();

  auto graph = *module->getOps<func::FuncOp>().begin();
  ModelSignature sig = getSignature(graph);
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSignature &t : *list)
      if (t.dtype == 0)
        return failWith("tensor '" + t.name +
                        "' has an element type that is not supported yet "
                        "(complex is not)");
  if (signature)
    *signature = sig;
  std::string header =
      generateHeader(sig, name, llvm::sys::path::filename(options.inputPath));
  if (options.emit == "header")
    return writeText(options.outputPath, header, error);

  // Halide: one bitcode function per group, plus one runtime.
  std::vector<KernelBitcode> kernels;
  if (failed(compileKernels(*module, name, *target, kernels)))
    return failWith("kernel generation failed");
  std::string runtime = compileHalideRuntime(*target, error);
  if (runtime.empty())
    return false;

  // Host code: `<name>_run` in the LLVM dialect; the graph is gone.
  PassManager host(&context);
  host.addPass(createLowerToHost(LowerToHostOptions{name}));
  if (failed(host.run(*module)))
    return failWith("lowering to host code failed");

  // LLVM 19: one module with host code, kernels and runtime.
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> linked =
      linkModel(*module, kernels, runtime, *target, llvmContext, error);
  if (!linked) {
    error = options.inputPath + ": " + error;
    return false;
  }
  if (options.emit == "llvm") {
    std::string text;
    llvm::raw_string_ostream os(text);
    linked->print(os, nullptr);
    return writeText(options.outputPath, text, error);
  }
  std::error_code ec;
  llvm::ToolOutputFile out(options.outputPath, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write " + options.outputPath + ": " + ec.message();
    return false;
  }
  if (!emitObjectFile(*linked, *target, out.os(), options.emit == "asm", error))
    return false;
  out.keep();
  if (options.emit == "obj") {
    llvm::SmallString<256> headerPath(options.outputPath);
    llvm::sys::path::replace_extension(headerPath, "h");
    if (!writeText(headerPath.str().str(), header, error))
      return false;
  }
  return true;
}

} // namespace onnxc
