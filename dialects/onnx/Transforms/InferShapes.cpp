// onnxc-infer-shapes: propagate static shapes through a function in order.
#include "dialects/onnx/Transforms/Passes.h"

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
    WalkResult result = func.walk([](ShapeInference op) {
      return failed(op.inferShapes()) ? WalkResult::interrupt()
                                      : WalkResult::advance();
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
