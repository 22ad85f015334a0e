// onnxc-infer-shapes: propagate static shapes through a function in order.
#include "dialects/onnx/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace onnxc::onnx {
#define GEN_PASS_DEF_INFERSHAPES
#include "dialects/onnx/Transforms/Passes.h.inc"
} // namespace onnxc::onnx

using namespace mlir;

namespace onnxc::onnx {
namespace {

struct InferShapesPass : impl::InferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // ONNX graphs are topologically sorted, and so is the imported function:
    // one forward walk sees every producer before its users.
    // Ops that fold to a constant once their shapes are known (Shape,
    // Size) become onnx.Constant, so that shape-computing chains feed
    // later shape inference with constants.
    WalkResult result = func.walk([](ShapeInference op) {
      if (failed(op.inferShapes()))
        return WalkResult::interrupt();
      Operation *raw = op;
      SmallVector<OpFoldResult> folded;
      if (isa<ConstantOp>(raw) || raw->getNumResults() != 1 ||
          failed(raw->fold(folded)) || folded.size() != 1)
        return WalkResult::advance();
      auto value = llvm::dyn_cast_if_present<ElementsAttr>(
          llvm::dyn_cast_if_present<Attribute>(folded[0]));
      if (!value)
        return WalkResult::advance();
      OpBuilder b(raw);
      auto constant =
          b.create<ConstantOp>(raw->getLoc(), value.getType(), value);
      raw->getResult(0).replaceAllUsesWith(constant.getResult());
      raw->erase();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    Operation *terminator = func.getBody().back().getTerminator();
    SmallVector<Type> resultTypes(terminator->getOperandTypes());
    FunctionType type = func.getFunctionType();
    for (auto [i, declared] : llvm::enumerate(type.getResults())) {
      auto ranked = llvm::dyn_cast<RankedTensorType>(declared);
      if (ranked && ranked.hasStaticShape() && ranked != resultTypes[i]) {
        func.emitError() << "result " << i << " is declared " << declared
                         << " but computes " << resultTypes[i];
        return signalPassFailure();
      }
    }
    func.setType(
        FunctionType::get(&getContext(), type.getInputs(), resultTypes));
  }
};

} // namespace
} // namespace onnxc::onnx
