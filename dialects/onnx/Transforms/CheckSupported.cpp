// onnxc-check-supported: one error listing every node and input that code
// generation cannot handle yet.
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"

#include <string>
#include <vector>

namespace onnxc::onnx {
#define GEN_PASS_DEF_CHECKSUPPORTED
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

std::string nodeName(Operation *op) {
  if (auto name = llvm::dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "?";
}

struct CheckSupportedPass : impl::CheckSupportedBase<CheckSupportedPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Inputs with dynamic dims, sequences and optionals that --shape could
    // have fixed, other inputs that are not tensors, unsupported ops.
    std::vector<std::string> inputs, unshaped, kinds, ops;
    for (BlockArgument arg : func.getArguments()) {
      auto type = llvm::dyn_cast<RankedTensorType>(arg.getType());
      if (type && type.hasStaticShape())
        continue;
      auto name =
          func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "onnx.name");
      if (auto kind = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                        "onnx.kind")) {
        bool shapeable =
            bool(func.getArgAttr(arg.getArgNumber(), "onnx.holds"));
        (shapeable ? unshaped : kinds)
            .push_back("input '" + (name ? name.getValue().str() : "?") +
                       "' is " + kind.getValue().str());
        continue;
      }
      auto params = func.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(),
                                                     "onnx.dim_params");
      std::string dims;
      if (params)
        for (Attribute p : params)
          if (!llvm::cast<StringAttr>(p).getValue().empty())
            dims += (dims.empty() ? "'" : ", '") +
                    llvm::cast<StringAttr>(p).getValue().str() + "'";
      inputs.push_back("input '" + (name ? name.getValue().str() : "?") +
                       "' has the dynamic " +
                       (dims.empty() ? std::string("shape") : "dim " + dims));
    }
    func.walk<WalkOrder::PreOrder>([&](CustomOp op) {
      std::string domain = op.getDomain().str();
      ops.push_back("node '" + nodeName(op) + "' (" +
                    (domain.empty() ? "" : domain + ".") +
                    op.getOpType().str() + ")");
    });
    if (inputs.empty() && unshaped.empty() && kinds.empty() && ops.empty())
      return;
    std::string message;
    if (!ops.empty())
      message = std::to_string(ops.size()) + " unsupported op" +
                (ops.size() == 1 ? "" : "s") + ": " + llvm::join(ops, ", ");
    if (!unshaped.empty())
      message += (message.empty() ? "" : "; ") + llvm::join(unshaped, "; ") +
                 " (sequences and optionals are compiled for the length "
                 "and shapes --shape gives; not supported yet without)";
    if (!kinds.empty())
      message += (message.empty() ? "" : "; ") + llvm::join(kinds, "; ") +
                 " (inputs that are not tensors are not supported yet)";
    if (!inputs.empty())
      message += (message.empty() ? "" : "; ") + llvm::join(inputs, "; ") +
                 " (dynamic shapes other than a batch dim 0 that the inputs "
                 "share are not supported yet; --shape fixes them)";
    func.emitError(message);
    signalPassFailure();
  }
};

} // namespace
} // namespace onnxc::onnx
