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
    // Size, ConstantOfShape, Range) or whose operands are all constants
    // (computed by the constant evaluator, when one is set) become
    // onnx.Constant, so that shape-computing chains feed later shape
    // inference with constants.
    WalkResult result = func.walk([&](ShapeInference op) {
      if (failed(op.inferShapes()))
        return WalkResult::interrupt();
      Operation *raw = op;
      if (isa<ConstantOp>(raw) || raw->getNumResults() != 1)
        return WalkResult::advance();
      ElementsAttr value;
      // A result without elements has one value, whatever computes it.
      auto type = llvm::dyn_cast<RankedTensorType>(raw->getResult(0).getType());
      if (type && type.hasStaticShape() && type.getNumElements() == 0 &&
          (type.getElementType().isIntOrFloat()))
        value = DenseElementsAttr::get(type, ArrayRef<Attribute>());
      SmallVector<OpFoldResult> folded;
      if (!value && succeeded(raw->fold(folded)) && folded.size() == 1)
        value = llvm::dyn_cast_if_present<ElementsAttr>(
            llvm::dyn_cast_if_present<Attribute>(folded[0]));
      if (!value && getConstantEvaluator() && raw->getNumOperands() > 0 &&
          llvm::all_of(raw->getOperands(), [](Value v) {
            return isa_and_nonnull<ConstantOp, NoValueOp>(v.getDefiningOp());
          })) {
        FailureOr<ElementsAttr> computed = getConstantEvaluator()(raw);
        if (succeeded(computed))
          value = *computed;
      }
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
