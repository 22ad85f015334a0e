// Translation of the host module, linking of kernel and runtime bitcode,
// and object emission with LLVM 19.
#include "codegen/host/EmitObject.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"

namespace onnxc {

static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetInfo &target, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser(); // the Halide runtime has inline asm
  const llvm::Target *t =
      llvm::TargetRegistry::lookupTarget(target.triple, error);
  if (!t)
    return nullptr;
  llvm::TargetOptions options;
  // The medium code model keeps code and small data within +-2 GiB of each
  // other but puts globals over 64 KiB (the weights) in .lrodata, reached
  // with 64-bit addresses: models with over 2 GiB of weights still link.
  // Small code is the same as under the small model.
  std::optional<llvm::CodeModel::Model> codeModel;
  if (llvm::Triple(target.triple).getArch() == llvm::Triple::x86_64)
    codeModel = llvm::CodeModel::Medium;
  std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(
      target.triple, target.cpu, target.features, options, llvm::Reloc::PIC_,
      codeModel, llvm::CodeGenOptLevel::Aggressive));
  if (tm && codeModel)
    tm->setLargeDataThreshold(64 * 1024);
  return tm;
}

std::unique_ptr<llvm::Module>
linkModel(mlir::ModuleOp host, const std::vector<KernelBitcode> &kernels,
          const std::string &runtime, const TargetInfo &target,
          llvm::LLVMContext &context, std::string &error) {
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  host.getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> module =
      mlir::translateModuleToLLVMIR(host, context, "onnxc_model");
  if (!module) {
    error = "translation of the host module to LLVM IR failed";
    return nullptr;
  }
  auto tm = createTargetMachine(target, error);
  if (!tm)
    return nullptr;
  module->setTargetTriple(target.triple);
  module->setDataLayout(tm->createDataLayout());

  llvm::Linker linker(*module);
  auto link = [&](const std::string &bitcode, const std::string &what) {
    auto buffer = llvm::MemoryBuffer::getMemBuffer(bitcode, what, false);
    auto parsed = llvm::parseBitcodeFile(buffer->getMemBufferRef(), context);
    if (!parsed) {
      error = what + ": " + llvm::toString(parsed.takeError());
      return false;
    }
    // Halide's LLVM writes an older data layout string; the code is for the
    // same target, so adopt ours instead of letting the linker warn.
    (*parsed)->setDataLayout(module->getDataLayout());
    (*parsed)->setTargetTriple(target.triple);
    if (linker.linkInModule(std::move(*parsed))) {
      error = "linking " + what + " failed";
      return false;
    }
    return true;
  };
  for (const KernelBitcode &kernel : kernels)
    if (!link(kernel.bitcode, "kernel " + kernel.symbol))
      return nullptr;
  if (!link(runtime, "the Halide runtime"))
    return nullptr;

  // Only the API (`<name>_run`, ...) and the weak Halide runtime are
  // exported; kernels and their Halide wrappers (_argv, _metadata) are
  // internal, and the unused wrappers go away.
  for (llvm::Function &f : *module)
    if (!f.isDeclaration() &&
        llvm::any_of(kernels, [&](const KernelBitcode &k) {
          return f.getName().starts_with(k.symbol);
        }))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (bool changed = true; changed;) {
    changed = false;
    for (llvm::Function &f : llvm::make_early_inc_range(*module))
      if (f.hasLocalLinkage() && f.use_empty()) {
        f.eraseFromParent();
        changed = true;
      }
    for (llvm::GlobalVariable &g :
         llvm::make_early_inc_range(module->globals()))
      if (g.hasLocalLinkage() && g.use_empty()) {
        g.eraseFromParent();
        changed = true;
      }
  }

  std::string verifyMessage;
  llvm::raw_string_ostream verifyStream(verifyMessage);
  if (llvm::verifyModule(*module, &verifyStream)) {
    error = "the linked module is invalid: " + verifyMessage;
    return nullptr;
  }
  return module;
}

bool emitObjectFile(llvm::Module &module, const TargetInfo &target,
                    llvm::raw_pwrite_stream &os, bool assembly,
                    std::string &error) {
  auto tm = createTargetMachine(target, error);
  if (!tm)
    return false;
  llvm::legacy::PassManager passes;
  if (tm->addPassesToEmitFile(passes, os, nullptr,
                              assembly ? llvm::CodeGenFileType::AssemblyFile
                                       : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return false;
  }
  passes.run(module);
  return true;
}

} // namespace onnxc
